package bench

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/entzip/entzip/container"
)

// Kind says where a Method comes from.
type Kind string

// The kinds of methods.
const (
	KindEntzip  Kind = "entzip"  // an entzip model × coder pair, in process
	KindLibrary Kind = "library" // a Go library baseline, in process
	KindTool    Kind = "tool"    // an external command found on PATH, in a child process
	KindCustom  Kind = "custom"  // a Method built by the caller
)

// A Method is one way of compressing that Run measures: an entzip pair, a
// Go library, an external tool or the caller's own. Compress and Decompress
// must be safe to call repeatedly; Run calls them from one goroutine.
type Method struct {
	// Name identifies the method in reports, e.g. "orderk4-arith",
	// "zstd-go-best", "xz-9e". Names are unique within a run.
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Version is the version of the library or tool.
	Version string `json:"version,omitempty"`
	// Command is how to reproduce the method: entzip flags, a Go call or
	// the tool's command line.
	Command string `json:"command,omitempty"`
	// Level is the entzip preset (1..9) whose parameters the method uses,
	// 0 if none.
	Level int `json:"level,omitempty"`

	// Params are the container parameters of an entzip method.
	Params *container.Params `json:"-"`
	// Compress appends the compressed form of src to dst.
	Compress func(dst, src []byte) ([]byte, error) `json:"-"`
	// Decompress appends to dst the n bytes src decompresses to.
	Decompress func(dst, src []byte, n int) ([]byte, error) `json:"-"`
	// Ideal, if not nil, returns the ideal code length of src in bits
	// under the method's model, and the bits its output spends describing
	// the model, its tables (see StreamCost).
	Ideal func(src []byte) (data, model float64, err error) `json:"-"`

	tool *tool   // external tools: run with resource usage
	lm   *Logits // model lm: its logits (LMMethod)
}

// A Skipped method was asked for but cannot run here.
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Selection chooses methods for Methods.
type Selection struct {
	// Models, Coders and Orders restrict the entzip pairs; empty means
	// all. Orders applies to orderk.
	Models []container.Model
	Coders []container.Coder
	Orders []int
	// Levels adds the presets; with Levels and nothing else only the
	// presets run.
	Levels []int
	// Baselines names the baselines to run: "all" (the default when nil),
	// "none", or any of "zstd-go", "gzip-go", "xz", "bzip2", "brotli",
	// "zstd", "7z" (a name selects every method it prefixes).
	Baselines []string
	// Solid adds a solid variant (model state kept across frames) of every
	// adaptive pair selected.
	Solid bool
	// Quick selects a small fast set: presets 1, 2, 5, 6 and 9 unless pairs or
	// presets are chosen above, and zstd-go-default unless Baselines is
	// set.
	Quick bool
	// LongWindow adds zstd-go-best with a 128 MiB window; Methods sets it
	// when an input is larger than zstd's default 8 MiB window.
	LongWindow bool
	// Logits, if not nil, adds model lm with these logits (LMMethod), with
	// each of Coders (arith, rans and huffman if none); they fit one input only. Models
	// naming container.LM alone selects only those (and the baselines).
	Logits *Logits
}

// Methods returns the methods sel selects, in a stable order (entzip pairs
// by model, order and coder, then the presets not among them, then the
// baselines), and the external tools that were asked for but not found.
func Methods(sel Selection) ([]Method, []Skipped, error) {
	lmOnly := false
	if i := slices.Index(sel.Models, container.LM); i >= 0 {
		if sel.Logits == nil {
			return nil, nil, errors.New("bench: no working model × coder pair for model lm without the logits of an external language model (Selection.Logits, --logits)")
		}
		sel.Models = slices.Delete(slices.Clone(sel.Models), i, i+1)
		lmOnly = len(sel.Models) == 0
	}
	if lmOnly {
		ms, skipped, err := baselineMethods(sel, lmMethods(sel))
		return ms, skipped, err
	}
	if sel.Quick {
		if len(sel.Models)+len(sel.Coders)+len(sel.Orders)+len(sel.Levels) == 0 {
			sel.Levels = []int{1, 2, 5, 6, 9}
		}
		if sel.Baselines == nil {
			sel.Baselines = []string{"zstd-go-default"}
		}
	}
	all := len(sel.Models)+len(sel.Coders)+len(sel.Orders)+len(sel.Levels) == 0
	if all {
		for l := container.MinLevel; l <= container.MaxLevel; l++ {
			sel.Levels = append(sel.Levels, l)
		}
	}
	var ms []Method
	pairsWanted := all || len(sel.Models)+len(sel.Coders)+len(sel.Orders) > 0 || len(sel.Levels) == 0
	if pairsWanted {
		for _, p := range Pairs() {
			if matches(sel, p) {
				ms = append(ms, EntzipMethod(p))
				if q, ok := solidOf(p); sel.Solid && ok {
					ms = append(ms, EntzipMethod(q))
				}
			}
		}
	}
	if pairsWanted && len(sel.Levels) == 0 {
		// The presets that pass the filters, such as those of models
		// without a pair in Pairs.
		for l := container.MinLevel; l <= container.MaxLevel; l++ {
			if p, err := container.LevelParams(l); err == nil && matches(sel, p) {
				sel.Levels = append(sel.Levels, l)
			}
		}
	}
	for _, l := range sel.Levels {
		p, err := container.LevelParams(l)
		if err != nil {
			return nil, nil, err
		}
		if !slices.ContainsFunc(ms, func(m Method) bool { return *m.Params == p }) {
			ms = append(ms, EntzipMethod(p))
		}
	}
	if pairsWanted && len(ms) == 0 {
		return nil, nil, errors.New("bench: no working model × coder pair matches the selection")
	}
	return baselineMethods(sel, append(ms, lmMethods(sel)...))
}

// lmMethods returns the methods of model lm sel selects.
func lmMethods(sel Selection) []Method {
	if sel.Logits == nil {
		return nil
	}
	var ms []Method
	for _, c := range lmCoders {
		if len(sel.Coders) == 0 || slices.Contains(sel.Coders, c) {
			ms = append(ms, LMMethod(sel.Logits, c))
		}
	}
	return ms
}

// baselineMethods appends to ms the baselines sel selects.
func baselineMethods(sel Selection, ms []Method) ([]Method, []Skipped, error) {
	if sel.Quick && sel.Baselines == nil {
		sel.Baselines = []string{"zstd-go-default"}
	}
	want := func(name string) bool {
		if sel.Baselines == nil {
			return true
		}
		for _, b := range sel.Baselines {
			if b == "all" || strings.HasPrefix(name, b) && (len(name) == len(b) || name[len(b)] == '-') {
				return true
			}
		}
		return false
	}
	for _, m := range libraryMethods(sel.LongWindow) {
		if want(m.Name) {
			ms = append(ms, m)
		}
	}
	var skipped []Skipped
	for _, spec := range toolSpecs {
		if !want(spec.name) {
			continue
		}
		m, err := toolMethod(spec)
		if err != nil {
			skipped = append(skipped, Skipped{Name: spec.name, Reason: err.Error()})
			continue
		}
		ms = append(ms, m)
	}
	for _, b := range sel.Baselines {
		if b == "all" || b == "none" {
			continue
		}
		known := slices.ContainsFunc(ms, func(m Method) bool { return want(m.Name) && strings.HasPrefix(m.Name, b) }) ||
			slices.ContainsFunc(skipped, func(s Skipped) bool { return strings.HasPrefix(s.Name, b) })
		if !known {
			return nil, nil, fmt.Errorf("bench: unknown baseline %q (known: %s)", b, strings.Join(BaselineNames(), ", "))
		}
	}
	return ms, skipped, nil
}

// BaselineNames lists the baseline families Selection.Baselines accepts.
func BaselineNames() []string {
	names := []string{"zstd-go", "gzip-go"}
	for _, s := range toolSpecs {
		names = append(names, s.family)
	}
	return names
}

// matches reports whether pair p passes the model, coder and order
// filters. Orders restrict orderk; a model without an order passes them
// only when it is named in Models.
func matches(sel Selection, p container.Params) bool {
	if len(sel.Models) > 0 && !slices.Contains(sel.Models, p.Model) {
		return false
	}
	if len(sel.Coders) > 0 && !slices.Contains(sel.Coders, p.Coder) {
		return false
	}
	if len(sel.Orders) > 0 && !slices.Contains(sel.Orders, p.Order) && (takesOrder(p.Model) || len(sel.Models) == 0) {
		return false
	}
	return true
}

// Pairs returns every working model × coder pair Run measures by default:
// each mode (coder, static or adaptive) of each registered model that
// takes no level and needs no resources, at every order of its order range
// that the mode takes, as a Writer sets it up with those options (so with
// its default codewords, frame size and model memory). Models with a
// level (cm) are measured at the presets that choose them, model lm with
// its logits (LMMethod). The static pairs come first, then the adaptive
// ones by order and coder.
func Pairs() []container.Params {
	var ps []container.Params
	for _, s := range container.Models() {
		if s.Level != nil || s.Resolve != nil {
			continue
		}
		orders := []int{0}
		if r := s.Order; r != nil {
			orders = orders[:0]
			for k := r.Min; k <= r.Max; k++ {
				orders = append(orders, k)
			}
		}
		var adaptive []container.Coder
		for _, m := range s.Coders {
			if !m.Static {
				adaptive = append(adaptive, m.Coder)
				continue
			}
			for _, k := range orders {
				if p, err := writerParams(s, m.Coder, true, k, false); err == nil {
					ps = append(ps, p)
				}
			}
		}
		slices.Sort(adaptive)
		for _, k := range orders {
			for _, c := range adaptive {
				if p, err := writerParams(s, c, false, k, false); err == nil {
					ps = append(ps, p)
				}
			}
		}
	}
	return ps
}

// resolvePair returns the parameters a Writer takes for p's model, coder
// and order (for a model with an order) and the options extra: the
// container's own defaults for everything else.
func resolvePair(p container.Params, extra ...container.WriterOption) (container.Params, error) {
	opts := []container.WriterOption{container.WithModel(p.Model), container.WithCoder(p.Coder)}
	if takesOrder(p.Model) {
		opts = append(opts, container.WithOrder(p.Order))
	}
	return container.Resolve(append(opts, extra...)...)
}

// writerParams is resolvePair for model s with coder c and order k,
// static or adaptive and solid or not.
func writerParams(s container.ModelSpec, c container.Coder, static bool, k int, solid bool) (container.Params, error) {
	return resolvePair(container.Params{Model: s.ID, Coder: c, Order: k}, container.WithStatic(static), container.WithSolid(solid))
}

// solidOf returns the solid variant of pair p as a Writer makes it (an
// adaptive pair of a model that can be solid), and whether there is one.
func solidOf(p container.Params) (container.Params, bool) {
	s, ok := container.LookupModel(p.Model)
	if !ok || p.Static || p.Solid || s.NoSolid != "" {
		return p, false
	}
	q, err := writerParams(s, p.Coder, false, p.Order, true)
	q.MemBits, q.FrameSize, q.Level = p.MemBits, p.FrameSize, p.Level
	return q, err == nil
}

// takesOrder reports whether model m has an order parameter.
func takesOrder(m container.Model) bool {
	s, ok := container.LookupModel(m)
	return ok && s.Order != nil
}

// withDefaults returns p with the zero frame size and model memory filled
// in as the container fills them.
func withDefaults(p container.Params) container.Params {
	if q, err := container.Resolve(container.WithParams(p)); err == nil {
		return q
	}
	return p
}

// defaultOf returns p with its frame size and model memory left to the
// container: what PairName and entzipFlags compare against.
func defaultOf(p container.Params) container.Params {
	p.FrameSize, p.MemBits = 0, 0
	q := withDefaults(p)
	if q.FrameSize == 0 {
		// A model withDefaults leaves alone: the container's rule for frames.
		q.FrameSize = container.DefaultFrameSize
		if q.Coder == container.Arith && !q.Static {
			q.FrameSize = container.DefaultArithFrameSize
		}
	}
	return q
}

// PairName names the entzip method with parameters p:
// MODEL[K]-CODER[-static|-adaptive][-solid][-codewords|-bytes][-mBITS][-fLOG], e.g. "order0-huffman",
// "orderk1-rans-static", "orderk4-arith", "orderk6-arith-m24". The rANS
// mode is named only where both exist (order 0 and order 1); -m appears
// when the model memory is not the container's default for the pair, -f
// (log2 of the frame size) when the frame size is not, -codewords or
// -bytes when Params.Codewords is not what a Writer chooses by default.
func PairName(p container.Params) string {
	p = withDefaults(p)
	var b strings.Builder
	b.WriteString(p.Model.String())
	if takesOrder(p.Model) {
		b.WriteString(strconv.Itoa(p.Order))
	}
	b.WriteString("-" + p.Coder.String())
	if bothModes(p) {
		if p.Static {
			b.WriteString("-static")
		} else {
			b.WriteString("-adaptive")
		}
	}
	if p.Solid {
		b.WriteString("-solid")
	}
	if p.Codewords != codewordsByDefault(p) {
		if p.Codewords {
			b.WriteString("-codewords")
		} else {
			b.WriteString("-bytes")
		}
	}
	d := defaultOf(p)
	if p.MemBits != d.MemBits {
		fmt.Fprintf(&b, "-m%d", p.MemBits)
	}
	if p.FrameSize != d.FrameSize {
		fmt.Fprintf(&b, "-f%d", bitsLen(p.FrameSize))
	}
	// Parameters this package does not know by name (added to Params
	// later) still make names unique: -FIELDVALUE, -FIELD for a bool.
	v := reflect.ValueOf(p)
	for i, f := range reflect.VisibleFields(v.Type()) {
		if knownParams[f.Name] || !f.IsExported() {
			continue
		}
		switch x := v.Field(i); x.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if x.Int() != 0 {
				fmt.Fprintf(&b, "-%s%d", strings.ToLower(f.Name), x.Int())
			}
		case reflect.Bool:
			if x.Bool() {
				b.WriteString("-" + strings.ToLower(f.Name))
			}
		}
	}
	return b.String()
}

// knownParams are the container.Params fields PairName names itself.
var knownParams = map[string]bool{"Model": true, "Coder": true, "Order": true, "MemBits": true, "Static": true, "Solid": true, "Codewords": true, "FrameSize": true}

// codewordsByDefault reports whether a Writer codes codewords for p
// without WithCodewords.
func codewordsByDefault(p container.Params) bool {
	q, err := resolvePair(p, container.WithStatic(p.Static), container.WithSolid(p.Solid))
	return err == nil && q.Codewords
}

// bothModes reports whether p's model codes p (its order) with p's coder
// both statically and adaptively, so that a name must say which.
func bothModes(p container.Params) bool {
	_, err := resolvePair(p, container.WithStatic(!p.Static))
	return err == nil
}

// defaultStatic reports whether a Writer codes p's model and order with
// p's coder statically when not told.
func defaultStatic(p container.Params) bool {
	q, err := resolvePair(p)
	return err == nil && q.Static
}

// setExtraParam sets the field of *p that PairName writes as suffix x,
// reporting whether there is one.
func setExtraParam(p *container.Params, x string) bool {
	v := reflect.ValueOf(p).Elem()
	for i, f := range reflect.VisibleFields(v.Type()) {
		if knownParams[f.Name] || !f.IsExported() {
			continue
		}
		name := strings.ToLower(f.Name)
		switch fv := v.Field(i); fv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if rest, ok := strings.CutPrefix(x, name); ok {
				if n, err := strconv.ParseInt(rest, 10, 64); err == nil && !fv.OverflowInt(n) {
					fv.SetInt(n)
					return true
				}
			}
		case reflect.Bool:
			if x == name {
				fv.SetBool(true)
				return true
			}
		}
	}
	return false
}

func bitsLen(n int) int {
	l := 0
	for n > 1 {
		n >>= 1
		l++
	}
	return l
}

// EntzipMethod returns the method compressing with container parameters p
// (which must be valid), named by PairName. Its Level is the preset with
// exactly these parameters, if any.
func EntzipMethod(p container.Params) Method {
	p = withDefaults(p)
	opts := []container.WriterOption{container.WithParams(p)}
	level := 0
	for l := container.MinLevel; l <= container.MaxLevel; l++ {
		if lp, err := container.LevelParams(l); err == nil && lp == p {
			level = l
			break
		}
	}
	m := Method{
		Name:    PairName(p),
		Kind:    KindEntzip,
		Version: fmt.Sprintf("format %d", container.Version),
		Command: entzipFlags(p, level),
		Level:   level,
		Params:  &p,
		Compress: func(dst, src []byte) ([]byte, error) {
			return container.Compress(dst, src, opts...)
		},
		Decompress: func(dst, src []byte, n int) ([]byte, error) {
			return container.Decompress(dst, src)
		},
	}
	m.Ideal = func(src []byte) (float64, float64, error) {
		c, err := StreamCost(p, src)
		return c.Data + c.Stored, c.Model, err
	}
	return m
}

// entzipFlags returns the entzip command line selecting p, which is
// preset level if that is not 0.
func entzipFlags(p container.Params, level int) string {
	if level != 0 {
		return fmt.Sprintf("entzip -%d (%s)", level, p)
	}
	s := "entzip -m " + p.Model.String()
	if takesOrder(p.Model) {
		s += " --order " + strconv.Itoa(p.Order)
	}
	s += " -e " + p.Coder.String()
	if bothModes(p) {
		if p.Static {
			s += " --static"
		} else {
			s += " --adaptive"
		}
	}
	d := defaultOf(p)
	if p.MemBits != d.MemBits {
		s += fmt.Sprintf(" (model memory 2^%d)", p.MemBits)
	}
	if p.FrameSize != d.FrameSize {
		s += " --frame-size " + strconv.Itoa(p.FrameSize)
	}
	if p.Solid {
		s += " --solid"
	}
	if p.Codewords != codewordsByDefault(p) {
		if p.Codewords {
			s += " --codewords"
		} else {
			s += " --no-codewords"
		}
	}
	return s
}

// parseMethod returns the in-process method (entzip pair or Go library)
// with the given name, as Methods would build it. It is how a child
// process started for a memory measurement finds its method.
func parseMethod(name string) (Method, error) {
	for _, m := range libraryMethods(true) {
		if m.Name == name {
			return m, nil
		}
	}
	p, err := parsePairName(name)
	if err != nil {
		return Method{}, err
	}
	return EntzipMethod(p), nil
}

// parsePairName inverts PairName.
func parsePairName(name string) (container.Params, error) {
	bad := fmt.Errorf("bench: unknown method %q", name)
	parts := strings.Split(name, "-")
	if len(parts) < 2 {
		return container.Params{}, bad
	}
	var p container.Params
	// MODEL, or MODEL followed by its order.
	model, order := parts[0], ""
	mod, err := container.ParseModel(model)
	if err != nil {
		model = strings.TrimRight(parts[0], "0123456789")
		order = parts[0][len(model):]
		mod, err = container.ParseModel(model)
	}
	if err != nil || (order != "") != takesOrder(mod) {
		return p, bad
	}
	p.Model = mod
	if order != "" {
		if p.Order, err = strconv.Atoi(order); err != nil {
			return p, bad
		}
	}
	c, err := container.ParseCoder(parts[1])
	if err != nil {
		return p, bad
	}
	p.Coder = c
	p.Static = defaultStatic(p)
	codewords := 0 // 1: -codewords, 2: -bytes
	for _, x := range parts[2:] {
		var err error
		switch {
		case x == "codewords":
			codewords = 1
		case x == "bytes":
			codewords = 2
		case setExtraParam(&p, x):
		case x == "static":
			p.Static = true
		case x == "adaptive":
			p.Static = false
		case x == "solid":
			p.Solid = true
		case strings.HasPrefix(x, "m"):
			p.MemBits, err = strconv.Atoi(x[1:])
		case strings.HasPrefix(x, "f"):
			var l int
			l, err = strconv.Atoi(x[1:])
			p.FrameSize = 1 << min(max(l, 0), 40)
		default:
			err = bad
		}
		if err != nil {
			return p, bad
		}
	}
	p.Codewords = codewords == 1 || codewords == 0 && codewordsByDefault(p)
	p = withDefaults(p)
	if d := defaultOf(p); p.FrameSize == 0 {
		p.FrameSize = d.FrameSize
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	if PairName(p) != name {
		return p, bad
	}
	return p, nil
}

// libraryMethods returns the Go library baselines: klauspost zstd at its
// fastest, default and best levels (and best with a 128 MiB window when
// long is set) and compress/gzip at level 9. All run single-threaded.
func libraryMethods(long bool) []Method {
	zv := moduleVersion("github.com/klauspost/compress")
	type zlevel struct {
		name  string
		level zstd.EncoderLevel
		flag  string
		opts  []zstd.EOption
	}
	levels := []zlevel{
		{"zstd-go-fastest", zstd.SpeedFastest, "SpeedFastest", nil},
		{"zstd-go-default", zstd.SpeedDefault, "SpeedDefault", nil},
		{"zstd-go-best", zstd.SpeedBestCompression, "SpeedBestCompression", nil},
	}
	if long {
		levels = append(levels, zlevel{"zstd-go-best-w27", zstd.SpeedBestCompression, "SpeedBestCompression, WithWindowSize(1<<27)",
			[]zstd.EOption{zstd.WithWindowSize(1 << 27)}})
	}
	var ms []Method
	for _, l := range levels {
		ms = append(ms, zstdMethod(l.name, l.flag, zv, append([]zstd.EOption{zstd.WithEncoderLevel(l.level)}, l.opts...)))
	}
	ms = append(ms, Method{
		Name:    "gzip-go-9",
		Kind:    KindLibrary,
		Version: "Go " + runtime.Version(),
		Command: "compress/gzip, gzip.BestCompression",
		Compress: func(dst, src []byte) ([]byte, error) {
			b := bytes.NewBuffer(dst)
			w, err := gzip.NewWriterLevel(b, gzip.BestCompression)
			if err != nil {
				return dst, err
			}
			if _, err := w.Write(src); err != nil {
				return dst, err
			}
			if err := w.Close(); err != nil {
				return dst, err
			}
			return b.Bytes(), nil
		},
		Decompress: func(dst, src []byte, n int) ([]byte, error) {
			r, err := gzip.NewReader(bytes.NewReader(src))
			if err != nil {
				return dst, err
			}
			b := bytes.NewBuffer(slices.Grow(dst, n))
			if _, err := io.Copy(b, r); err != nil {
				return b.Bytes(), err
			}
			return b.Bytes(), r.Close()
		},
	})
	return ms
}

// zstdMethod returns a klauspost zstd method; the encoder and decoder are
// made on first use and reused.
func zstdMethod(name, flag, version string, opts []zstd.EOption) Method {
	var enc *zstd.Encoder
	var dec *zstd.Decoder
	return Method{
		Name:    name,
		Kind:    KindLibrary,
		Version: version,
		Command: "klauspost/compress/zstd EncodeAll, " + flag,
		Compress: func(dst, src []byte) ([]byte, error) {
			if enc == nil {
				var err error
				if enc, err = zstd.NewWriter(nil, append([]zstd.EOption{zstd.WithEncoderConcurrency(1)}, opts...)...); err != nil {
					return dst, err
				}
			}
			return enc.EncodeAll(src, dst), nil
		},
		Decompress: func(dst, src []byte, n int) ([]byte, error) {
			if dec == nil {
				var err error
				if dec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<29)); err != nil {
					return dst, err
				}
			}
			return dec.DecodeAll(src, slices.Grow(dst, n))
		},
	}
}

// moduleVersion returns "path version" of a dependency of the running
// binary, or the path alone when the build has no module information.
func moduleVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Path + " " + d.Version
			}
		}
	}
	return path
}
