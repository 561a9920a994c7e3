package bench

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// table is a grid of cells rendered as aligned text or Markdown: the first
// column is left-aligned, the others right-aligned.
type table struct {
	head []string
	rows [][]string
	left bool // every column left-aligned in Markdown (a table of text)
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// text writes t with columns padded to their widest cell, indented.
func (t *table) text(w io.Writer, indent string) {
	widths := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	line := func(r []string) {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range r {
			pad := strings.Repeat(" ", max(widths[min(i, len(widths)-1)]-utf8.RuneCountInString(c), 0))
			switch {
			case i == 0:
				b.WriteString(c + pad)
			case i < len(widths):
				b.WriteString("  " + pad + c)
			default:
				b.WriteString("  " + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.head)
	for _, r := range t.rows {
		line(r)
	}
}

// markdown writes t as a GitHub Markdown table.
func (t *table) markdown(w io.Writer) {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	row := func(r []string) {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = esc(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	row(t.head)
	seps := make([]string, len(t.head))
	for i := range seps {
		seps[i] = "---:"
		if i == 0 || t.left {
			seps[i] = "---"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(seps, "|"))
	for _, r := range t.rows {
		row(r)
	}
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// speed formats MB/s with three significant digits or so.
func speed(x float64) string {
	switch {
	case x == 0:
		return "-"
	case x < 10:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case x < 100:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'f', 0, 64)
}

// mib formats a byte count in MiB.
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
}

// memCells formats a Memory as "compress/decompress" MiB; a figure that is
// not a child's RSS is marked with a trailing *.
func memCell(m *Memory) string {
	if m == nil {
		return "-"
	}
	at := func(n int64) string {
		if m.Floor > 0 && n <= m.Floor+m.Floor/32 {
			return "≤" + mib(n)
		}
		return mib(n)
	}
	s := at(m.Compress) + "/" + at(m.Decompress)
	if m.Kind == MemoryGoAlloc {
		s += "*"
	}
	return s
}

// overheadCells formats an Ideal's cells: ideal and model bits per byte,
// overhead as "+1.23%" and "+0.045".
func overheadCells(id *Ideal) (idealBPB, modelBPB, pct, bpb string) {
	if id == nil {
		return "-", "-", "-", "-"
	}
	return f3(id.BitsPerByte), f3(id.ModelBitsPerByte), fmt.Sprintf("%+.2f%%", id.OverheadPct), fmt.Sprintf("%+.3f", id.OverheadBitsPerByte)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// method returns the method named name.
func (r *Report) method(name string) Method {
	for _, m := range r.Methods {
		if m.Name == name {
			return m
		}
	}
	return Method{Name: name}
}

func preset(m Method) string {
	if m.Level == 0 {
		return ""
	}
	return "-" + strconv.Itoa(m.Level)
}

var resultHead = []string{"method", "preset", "bytes", "bits/B", "ratio", "ideal b/B", "model b/B", "overhead", "ovh b/B", "comp MB/s", "dec MB/s", "mem c/d MiB"}

// resultRow formats one result or total.
func resultRow(m Method, compressed int64, bpb, ratio float64, id *Ideal, cs, ds float64, mem *Memory, errText string) []string {
	if errText != "" {
		return []string{m.Name, preset(m), "FAILED", "", "", "", "", "", "", "", "", "", errText}
	}
	i, mb, p, b := overheadCells(id)
	return []string{m.Name, preset(m), thousands(compressed), f3(bpb), strconv.FormatFloat(ratio, 'f', 2, 64), i, mb, p, b, speed(cs), speed(ds), memCell(mem)}
}

// boundsLine formats H0..Hk of a profile.
func boundsLine(p *Profile) string {
	var parts []string
	for k, h := range p.H {
		parts = append(parts, fmt.Sprintf("H%d %s", k, f3(h)))
	}
	return strings.Join(parts, "  ")
}

// sortedTotals returns the indexes of r.Totals, smallest total first,
// failed methods last.
func (r *Report) sortedTotals() []int {
	idx := make([]int, len(r.Totals))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ta, tb := r.Totals[a], r.Totals[b]
		if (ta.Error == "") != (tb.Error == "") {
			if ta.Error == "" {
				return -1
			}
			return 1
		}
		return cmp.Compare(ta.CompressedBytes, tb.CompressedBytes)
	})
	return idx
}

// WriteText writes the report as aligned tables for a terminal: one table
// per file (with its entropy bounds), the totals, the methods and what was
// skipped.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	for _, f := range r.Files {
		fmt.Fprintf(ew, "%s: %s bytes\n", f.Name, thousands(f.Bytes))
		fmt.Fprintf(ew, "  entropy bounds, bits/byte (best static order-k model, its parameters free): %s\n", boundsLine(&f.Entropy))
		t := table{head: resultHead}
		for i, res := range f.Results {
			m := r.Methods[i]
			t.add(resultRow(m, res.CompressedBytes, res.BitsPerByte, res.Ratio, res.Ideal, res.Timing.CompressMBps, res.Timing.DecompressMBps, res.Memory, res.Error)...)
		}
		t.text(ew, "  ")
		if lt := lmTable(r.Methods, f.Results); lt != nil {
			fmt.Fprintln(ew, "  language model (--logits), per token:")
			lt.text(ew, "  ")
		}
		if f.BaselineRSS > 0 {
			fmt.Fprintf(ew, "  (a child process that only reads the file peaks at %s MiB RSS)\n", mib(f.BaselineRSS))
		}
		fmt.Fprintln(ew)
	}
	var n int64
	for _, f := range r.Files {
		n += f.Bytes
	}
	fmt.Fprintf(ew, "TOTAL: %s, %s bytes (smallest first)\n", plural(len(r.Files), "file"), thousands(n))
	var bl []string
	for _, b := range r.Bounds {
		bl = append(bl, fmt.Sprintf("H%d %s", b.Order, f3(b.BitsPerByte)))
	}
	if r.Settings.Rate > 0 {
		bl = append(bl, "entropy rate "+f3(r.Settings.Rate))
	}
	fmt.Fprintf(ew, "  entropy bounds, bits/byte (Σ over files of each file's bound): %s\n", strings.Join(bl, "  "))
	t := table{head: resultHead}
	for _, i := range r.sortedTotals() {
		tt := r.Totals[i]
		t.add(resultRow(r.method(tt.Method), tt.CompressedBytes, tt.BitsPerByte, tt.Ratio, tt.Ideal, tt.CompressMBps, tt.DecompressMBps, tt.Memory, tt.Error)...)
	}
	t.text(ew, "  ")
	fmt.Fprintln(ew)
	r.writeNotes(ew, false)
	return ew.err
}

// writeNotes explains the columns, lists the methods and the skipped ones.
func (r *Report) writeNotes(w io.Writer, md bool) {
	bullet := "  "
	if md {
		bullet = "- "
	}
	if r.hasLM() {
		fmt.Fprintf(w, "%slanguage model: bits/tok: 8·compressed/tokens (one token per logits row); float CE: the logits' cross-entropy Σ −log2 softmax(row)[token] in bits/token (the ideal of the lm rows); perplexity: 2^(float CE); quant: the quantized rows' ideal code length over float CE; coding: coded size over the quantized ideal (coder and framing); total: both, bits/token\n", bullet)
	}
	mem := "peak RSS of a child process, compress/decompress, in MiB: for in-process methods a fresh entzip process that reads the input and runs the one operation (its VmHWM; runtime and input included, see the per-file read-only figure); for tools getrusage of the tool, started from such a process, whose resident size is a floor under the figure (≤ marks figures at the floor)"
	if r.Settings.Memory == MemoryGoAlloc || r.hasLM() {
		mem += "; * marks Go heap bytes allocated by one run instead (in-process methods, and model lm, whose logits a child would not have)"
	}
	fmt.Fprintf(w, "%sbits/B: 8·compressed/input bytes; ideal b/B: the ideal code length of the data under the probabilities the coder was given, measured while coding (an adaptive model's cross-entropy; n·H_k of a semi-static code under its contexts; frames stored raw count 8 bits a byte); model b/B: the bits the stream spends on tables and codes, the other part of a two-part code; overhead: coded size less both, over ideal (the coder's loss and the container's framing)\n", bullet)
	fmt.Fprintf(w, "%sMB/s: input bytes (10^6) per second, the median run of each operation, repeated until its runs last %gs together (at least 1 run, at most %d); external tools include process start-up and file I/O\n", bullet, r.Settings.MinTimeSeconds, r.Settings.MaxRuns)
	fmt.Fprintf(w, "%smem c/d: %s\n", bullet, mem)
	fmt.Fprintf(w, "%smachine: %s, %d cores, %s/%s, %s; %s\n", bullet, cmp.Or(r.Machine.CPU, "unknown CPU"), r.Machine.Cores, r.Machine.OS, r.Machine.Arch, r.Machine.Go, r.Date.Format("2006-01-02 15:04 MST"))
	if r.Command != "" {
		fmt.Fprintf(w, "%scommand: %s\n", bullet, code(r.Command, md))
	}
	if md {
		fmt.Fprintln(w)
		t := table{head: []string{"method", "kind", "version", "command"}, left: true}
		for _, m := range r.Methods {
			t.add(m.Name, string(m.Kind), m.Version, code(m.Command, true))
		}
		t.markdown(w)
		fmt.Fprintln(w)
	} else {
		fmt.Fprintln(w, "methods:")
		t := table{head: []string{"  method", "version", "command"}}
		for _, m := range r.Methods {
			t.add("  "+m.Name, m.Version, m.Command)
		}
		leftAll(&t, w)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "%sskipped:", strings.TrimSuffix(bullet, "  "))
		for _, s := range r.Skipped {
			fmt.Fprintf(w, " %s (%s);", s.Name, s.Reason)
		}
		fmt.Fprintln(w)
	}
}

// leftAll writes t with every column left-aligned.
func leftAll(t *table, w io.Writer) {
	widths := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range append([][]string{t.head}, t.rows...) {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func code(s string, md bool) string {
	if md && s != "" {
		return "`" + s + "`"
	}
	return s
}

// WriteMarkdown writes the report as Markdown, ready for a README: the
// totals per method (smallest first) with the summed entropy bounds,
// bits/byte per method per file, the entropy profile of each file and the
// list of methods.
func (r *Report) WriteMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	var n int64
	for _, f := range r.Files {
		n += f.Bytes
	}
	fmt.Fprintf(ew, "Totals over %s, %s bytes, smallest first:\n\n", plural(len(r.Files), "file"), thousands(n))
	head := slices.Clone(resultHead)
	head[len(head)-1] = "mem c/d MiB"
	t := table{head: head}
	for _, i := range r.sortedTotals() {
		tt := r.Totals[i]
		row := resultRow(r.method(tt.Method), tt.CompressedBytes, tt.BitsPerByte, tt.Ratio, tt.Ideal, tt.CompressMBps, tt.DecompressMBps, tt.Memory, tt.Error)
		if len(row) > len(head) {
			row = append(row[:2], append([]string{"FAILED: " + row[len(row)-1]}, make([]string, len(head)-3)...)...)
		}
		t.add(row...)
	}
	for _, b := range r.Bounds {
		t.add(boundRow(fmt.Sprintf("*H%d bound*", b.Order), b.Bits, b.BitsPerByte, len(head))...)
	}
	if rate := r.Settings.Rate; rate > 0 {
		var n int64
		for _, f := range r.Files {
			n += f.Bytes
		}
		t.add(boundRow("*entropy rate*", rate*float64(n), rate, len(head))...)
	}
	t.markdown(ew)
	fmt.Fprintln(ew)
	for _, f := range r.Files {
		if lt := lmTable(r.Methods, f.Results); lt != nil {
			fmt.Fprintf(ew, "Language model (--logits) on %s, per token:\n\n", f.Name)
			lt.markdown(ew)
			fmt.Fprintln(ew)
		}
	}

	fmt.Fprintf(ew, "Bits per byte per file (*H_k*: the best static order-k model of the file, parameters free):\n\n")
	t = table{head: []string{"method"}}
	for _, f := range r.Files {
		t.head = append(t.head, f.Name)
	}
	t.head = append(t.head, "total")
	for k := 0; k <= r.Settings.MaxOrder; k++ {
		row := []string{fmt.Sprintf("*H%d*", k)}
		for _, f := range r.Files {
			row = append(row, f3(f.Entropy.H[k]))
		}
		t.add(append(row, f3(r.Bounds[k].BitsPerByte))...)
	}
	for i, m := range r.Methods {
		row := []string{m.Name}
		for _, f := range r.Files {
			if res := f.Results[i]; res.Error != "" {
				row = append(row, "FAILED")
			} else {
				row = append(row, f3(res.BitsPerByte))
			}
		}
		tt := r.Totals[i]
		if tt.Error != "" {
			row = append(row, "FAILED")
		} else {
			row = append(row, f3(tt.BitsPerByte))
		}
		t.add(row...)
	}
	t.markdown(ew)
	fmt.Fprintln(ew)

	fmt.Fprintf(ew, "Entropy profile of each file, bits/byte (docs/BENCH.md defines each):\n\n")
	t = table{head: []string{"file", "bytes", "distinct"}}
	for k := 0; k <= r.Settings.MaxOrder; k++ {
		t.head = append(t.head, fmt.Sprintf("H%d", k))
	}
	t.head = append(t.head, "Miller–Madow", "Rényi H2", "min-entropy")
	for _, f := range r.Files {
		p := f.Entropy
		row := []string{f.Name, thousands(f.Bytes), strconv.Itoa(p.Distinct)}
		for _, h := range p.H {
			row = append(row, f3(h))
		}
		t.add(append(row, f3(p.MillerMadow), f3(p.Collision), f3(p.MinEntropy))...)
	}
	t.markdown(ew)
	fmt.Fprintln(ew)
	r.writeNotes(ew, true)
	return ew.err
}

// WriteCSV writes one row per method per file, then one per entropy bound
// per file (kind "bound", only bits_per_byte set), then one per method
// total (file "TOTAL"), under a header row naming the columns.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"file", "bytes", "method", "kind", "preset", "compressed_bytes", "bits_per_byte", "ratio",
		"ideal_bits_per_byte", "model_bits_per_byte", "overhead_pct", "overhead_bits_per_byte", "compress_mbps", "decompress_mbps",
		"compress_runs", "decompress_runs", "memory_kind", "memory_compress", "memory_decompress", "error",
		"tokens", "bits_per_token", "cross_entropy_bits_per_token", "perplexity", "quantization_overhead_pct", "overhead_bits_per_token"})
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	row := func(file string, n int64, m Method, c int64, bpb, ratio float64, id *Ideal, tm Timing, mem *Memory, errText string, l *LMResult) {
		rec := []string{file, strconv.FormatInt(n, 10), m.Name, string(m.Kind), preset(m)}
		if errText != "" {
			rec = append(rec, make([]string, 14)...)
		} else {
			rec = append(rec, strconv.FormatInt(c, 10), g(bpb), g(ratio))
			if id != nil {
				rec = append(rec, g(id.BitsPerByte), g(id.ModelBitsPerByte), g(id.OverheadPct), g(id.OverheadBitsPerByte))
			} else {
				rec = append(rec, "", "", "", "")
			}
			rec = append(rec, g(tm.CompressMBps), g(tm.DecompressMBps), strconv.Itoa(tm.CompressRuns), strconv.Itoa(tm.DecompressRuns))
			if mem != nil {
				rec = append(rec, mem.Kind, strconv.FormatInt(mem.Compress, 10), strconv.FormatInt(mem.Decompress, 10))
			} else {
				rec = append(rec, "", "", "")
			}
		}
		rec = append(rec, errText)
		if l != nil && errText == "" {
			rec = append(rec, strconv.FormatInt(l.Tokens, 10), g(l.BitsPerToken), g(l.CrossEntropyBitsPerToken), g(l.Perplexity), g(l.QuantizationOverheadPct), g(l.OverheadBitsPerToken))
		} else {
			rec = append(rec, make([]string, 6)...)
		}
		cw.Write(rec)
	}
	for _, f := range r.Files {
		for i, res := range f.Results {
			row(f.Name, f.Bytes, r.Methods[i], res.CompressedBytes, res.BitsPerByte, res.Ratio, res.Ideal, res.Timing, res.Memory, res.Error, res.LM)
		}
	}
	for _, f := range r.Files {
		for k, h := range f.Entropy.H {
			rec := make([]string, 26)
			rec[0], rec[1], rec[2], rec[3], rec[6] = f.Name, strconv.FormatInt(f.Bytes, 10), "H"+strconv.Itoa(k), "bound", g(h)
			cw.Write(rec)
		}
	}
	for i, t := range r.Totals {
		tm := Timing{CompressMBps: t.CompressMBps, DecompressMBps: t.DecompressMBps}
		row("TOTAL", t.Bytes, r.Methods[i], t.CompressedBytes, t.BitsPerByte, t.Ratio, t.Ideal, tm, t.Memory, t.Error, t.LM)
	}
	cw.Flush()
	return cw.Error()
}

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}

// hasLM reports whether some result is of model lm.
func (r *Report) hasLM() bool {
	for _, t := range r.Totals {
		if t.LM != nil {
			return true
		}
	}
	for _, f := range r.Files {
		for _, res := range f.Results {
			if res.LM != nil {
				return true
			}
		}
	}
	return false
}

// lmTable returns the per-token table of the model lm results, nil if
// there are none.
func lmTable(methods []Method, results []Result) *table {
	t := &table{head: []string{"method", "tokens", "bits/tok", "float CE", "perplexity", "quant", "coding", "total b/tok"}}
	for i, res := range results {
		l := res.LM
		if l == nil || res.Error != "" {
			continue
		}
		pct := func(x float64) string {
			if l.CrossEntropyBits == 0 {
				return "-"
			}
			return fmt.Sprintf("%+.4f%%", 100*x/l.CrossEntropyBits)
		}
		t.add(methods[i].Name, thousands(l.Tokens), f3(l.BitsPerToken), f3(l.CrossEntropyBitsPerToken),
			strconv.FormatFloat(l.Perplexity, 'f', 2, 64), pct(l.QuantizationOverheadBits), pct(l.CodingOverheadBits),
			fmt.Sprintf("%+.4f", l.OverheadBitsPerToken))
	}
	if len(t.rows) == 0 {
		return nil
	}
	return t
}

// boundRow is a row of cols cells for a bound of bits, bpb bits per byte.
func boundRow(name string, bits, bpb float64, cols int) []string {
	row := make([]string, cols)
	row[0], row[2], row[3] = name, thousands(int64(bits/8+0.5)), f3(bpb)
	return row
}
