package bench

import (
	"encoding/json"
	"io"
	"time"
)

// Schema is the value of Report.Schema, the name and version of the JSON
// document WriteJSON writes (described in docs/BENCH.md). Fields may be
// added within a version; none is removed or changes meaning.
const Schema = "entzip-bench/1"

// A Report is the result of Run: every method on every file, totals per
// method and the entropy bounds. Sizes are in bytes, rates in bits per
// input byte, speeds in MB/s of input (10^6 bytes per second), times in
// seconds and memory in bytes.
type Report struct {
	Schema   string       `json:"schema"`
	Date     time.Time    `json:"date"`
	Command  string       `json:"command,omitempty"` // the command line that made the report
	Machine  Machine      `json:"machine"`
	Settings Settings     `json:"settings"`
	Methods  []Method     `json:"methods"`
	Skipped  []Skipped    `json:"skipped"`
	Files    []FileResult `json:"files"`
	Totals   []Total      `json:"totals"` // one per method, in the order of Methods
	Bounds   []Bound      `json:"bounds"` // the entropy bounds summed over all files, per order
}

// Machine describes where a report was made.
type Machine struct {
	CPU   string `json:"cpu"` // model name, from /proc/cpuinfo where there is one
	Cores int    `json:"cores"`
	OS    string `json:"os"`
	Arch  string `json:"arch"`
	Go    string `json:"go"`
}

// Settings records how a report was measured.
type Settings struct {
	// MinTimeSeconds and MaxRuns: each operation was repeated until its runs
	// took MinTimeSeconds in all (at least one run, at most MaxRuns); the
	// median run is reported.
	MinTimeSeconds float64 `json:"min_time_seconds"`
	MaxRuns        int     `json:"max_runs"`
	// MaxOrder is the highest order k of the entropy bounds H_k.
	MaxOrder int `json:"max_order"`
	// Memory is how the peak memory of in-process methods was measured:
	// MemoryChildRSS or MemoryGoAlloc. External tools are always measured
	// as MemoryChildRSS.
	Memory string `json:"memory"`
	// Rate is the entropy rate the caller gave (Options.Rate), in bits per
	// byte; 0 if none.
	Rate float64 `json:"rate,omitempty"`
}

// How memory was measured (Memory.Kind, Settings.Memory).
const (
	// MemoryChildRSS is the peak resident set size (getrusage ru_maxrss)
	// of a child process that reads its input file, runs the one
	// operation and exits: it includes the process's runtime, its code,
	// the input and the output.
	MemoryChildRSS = "child-maxrss"
	// MemoryGoAlloc is the number of bytes the operation allocated on the
	// Go heap (runtime/metrics /gc/heap/allocs:bytes): an upper bound on
	// the heap it added, not a resident size, and blind to memory the
	// method kept from an earlier run (pools, reused encoders).
	MemoryGoAlloc = "go-alloc"
)

// FileResult is every method's result on one input.
type FileResult struct {
	Name    string  `json:"name"` // short name: a path relative to the directory given, or the base name
	Path    string  `json:"path"`
	Bytes   int64   `json:"bytes"`
	Entropy Profile `json:"entropy"`
	// BaselineRSS is the peak RSS of a child process that only reads the
	// file: the floor under every MemoryChildRSS figure of the file's
	// in-process methods. 0 when not measured.
	BaselineRSS int64    `json:"baseline_rss,omitempty"`
	Results     []Result `json:"results"` // in the order of Report.Methods
}

// Result is one method on one file. When Error is set the method failed
// (it could not compress, or the round trip did not give back the input
// byte for byte) and the numbers are zero.
type Result struct {
	Method          string  `json:"method"`
	CompressedBytes int64   `json:"compressed_bytes"`
	BitsPerByte     float64 `json:"bits_per_byte"` // 8·compressed/bytes
	Ratio           float64 `json:"ratio"`         // bytes/compressed
	Ideal           *Ideal  `json:"ideal,omitempty"`
	// LM, for model lm, is the result per token next to the float
	// cross-entropy of the logits (which is then Ideal.Bits).
	LM     *LMResult `json:"lm,omitempty"`
	Timing Timing    `json:"timing"`
	Memory *Memory   `json:"memory,omitempty"`
	Error  string    `json:"error,omitempty"`
}

// Ideal compares a method's size with the two parts of a two-part code
// (see StreamCost): the ideal code length of the data under its model, and
// the bits the stream spends describing the model (tables, codes). The
// overhead is the rest: what the coder loses and the container's framing.
type Ideal struct {
	Bits                float64 `json:"bits"`
	BitsPerByte         float64 `json:"bits_per_byte"`
	ModelBits           float64 `json:"model_bits"`
	ModelBitsPerByte    float64 `json:"model_bits_per_byte"`
	OverheadBits        float64 `json:"overhead_bits"`          // 8·compressed − Bits − ModelBits
	OverheadBitsPerByte float64 `json:"overhead_bits_per_byte"` // OverheadBits/bytes
	OverheadPct         float64 `json:"overhead_pct"`           // 100·OverheadBits/Bits; 0 when Bits is 0
}

// Timing is the median time of the compress and decompress runs.
type Timing struct {
	CompressRuns      int     `json:"compress_runs"`
	DecompressRuns    int     `json:"decompress_runs"`
	CompressSeconds   float64 `json:"compress_seconds"`
	DecompressSeconds float64 `json:"decompress_seconds"`
	CompressMBps      float64 `json:"compress_mbps"`
	DecompressMBps    float64 `json:"decompress_mbps"`
}

// Memory is the peak memory of one compress and one decompress run.
type Memory struct {
	Kind       string `json:"kind"` // MemoryChildRSS or MemoryGoAlloc
	Compress   int64  `json:"compress"`
	Decompress int64  `json:"decompress"`
	// Floor, for external tools measured through a child process, is the
	// resident size of that process when it started the tool: on Linux a
	// tool's figure cannot go below it, so a figure at the floor means
	// "at most this much".
	Floor int64 `json:"floor,omitempty"`
}

// Total sums one method over every file, the way compressors are compared:
// total compressed bytes and overall bits per byte. Speeds are total bytes
// over the summed median times; Memory is the largest over the files.
type Total struct {
	Method            string    `json:"method"`
	Files             int       `json:"files"` // files with a result
	Bytes             int64     `json:"bytes"`
	CompressedBytes   int64     `json:"compressed_bytes"`
	BitsPerByte       float64   `json:"bits_per_byte"`
	Ratio             float64   `json:"ratio"`
	Ideal             *Ideal    `json:"ideal,omitempty"` // when every file has one
	LM                *LMResult `json:"lm,omitempty"`    // model lm, when every file has one
	CompressSeconds   float64   `json:"compress_seconds"`
	DecompressSeconds float64   `json:"decompress_seconds"`
	CompressMBps      float64   `json:"compress_mbps"`
	DecompressMBps    float64   `json:"decompress_mbps"`
	Memory            *Memory   `json:"memory,omitempty"`
	// Error is set when the method failed on some file; the sums then
	// cover only the others and must not be compared.
	Error string `json:"error,omitempty"`
}

// Bound is an entropy bound summed over all files: Σ_files BoundBits(k),
// the cost of coding each file with its own best static order-k model,
// parameters free.
type Bound struct {
	Order       int     `json:"order"`
	Bits        float64 `json:"bits"`
	BitsPerByte float64 `json:"bits_per_byte"`
}

// WriteJSON writes r as one indented JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Total returns the total of the named method, or nil.
func (r *Report) Total(method string) *Total {
	for i := range r.Totals {
		if r.Totals[i].Method == method {
			return &r.Totals[i]
		}
	}
	return nil
}

// computeTotals fills r.Totals and r.Bounds from r.Files.
func (r *Report) computeTotals() {
	r.Totals = r.Totals[:0]
	for i, m := range r.Methods {
		t := Total{Method: m.Name}
		var ideal, modelBits float64
		idealAll := true
		var lmCL LMCodeLengths
		lmAll := true
		failed := 0
		for _, f := range r.Files {
			res := f.Results[i]
			if res.Error != "" {
				failed++
				continue
			}
			t.Files++
			t.Bytes += f.Bytes
			t.CompressedBytes += res.CompressedBytes
			t.CompressSeconds += res.Timing.CompressSeconds
			t.DecompressSeconds += res.Timing.DecompressSeconds
			if res.Ideal != nil {
				ideal += res.Ideal.Bits
				modelBits += res.Ideal.ModelBits
			} else {
				idealAll = false
			}
			if res.LM != nil {
				lmCL.Tokens += res.LM.Tokens
				lmCL.CrossEntropy += res.LM.CrossEntropyBits
				lmCL.Quantized += res.LM.QuantizedBits
			} else {
				lmAll = false
			}
			if res.Memory != nil {
				if t.Memory == nil {
					t.Memory = &Memory{Kind: res.Memory.Kind}
				}
				t.Memory.Compress = max(t.Memory.Compress, res.Memory.Compress)
				t.Memory.Decompress = max(t.Memory.Decompress, res.Memory.Decompress)
				t.Memory.Floor = max(t.Memory.Floor, res.Memory.Floor)
			}
		}
		t.BitsPerByte, t.Ratio = rates(t.Bytes, t.CompressedBytes)
		t.CompressMBps = mbps(t.Bytes, t.CompressSeconds)
		t.DecompressMBps = mbps(t.Bytes, t.DecompressSeconds)
		if idealAll && t.Files > 0 {
			t.Ideal = newIdeal(ideal, modelBits, t.Bytes, t.CompressedBytes)
		}
		if lmAll && t.Files > 0 {
			t.LM = newLMResult(lmCL, t.CompressedBytes)
		}
		if failed > 0 {
			t.Error = plural(failed, "file") + " failed"
		}
		r.Totals = append(r.Totals, t)
	}
	r.Bounds = r.Bounds[:0]
	var n int64
	for _, f := range r.Files {
		n += f.Bytes
	}
	for k := 0; k <= r.Settings.MaxOrder; k++ {
		b := Bound{Order: k}
		for _, f := range r.Files {
			b.Bits += f.Entropy.BoundBits(k)
		}
		if n > 0 {
			b.BitsPerByte = b.Bits / float64(n)
		}
		r.Bounds = append(r.Bounds, b)
	}
}

// rates returns bits/byte and the ratio of n bytes compressed to c bytes.
func rates(n, c int64) (bitsPerByte, ratio float64) {
	if n > 0 {
		bitsPerByte = 8 * float64(c) / float64(n)
	}
	if c > 0 {
		ratio = float64(n) / float64(c)
	}
	return bitsPerByte, ratio
}

// mbps returns n bytes over sec seconds in MB/s, 0 for no time.
func mbps(n int64, sec float64) float64 {
	if sec <= 0 {
		return 0
	}
	return float64(n) / 1e6 / sec
}

// newIdeal compares bits ideal bits and model bits describing the model
// with c compressed bytes of n input bytes.
func newIdeal(bits, model float64, n, c int64) *Ideal {
	id := &Ideal{Bits: bits, ModelBits: model, OverheadBits: 8*float64(c) - bits - model}
	if n > 0 {
		id.BitsPerByte = bits / float64(n)
		id.ModelBitsPerByte = model / float64(n)
		id.OverheadBitsPerByte = id.OverheadBits / float64(n)
	}
	if bits > 0 {
		id.OverheadPct = 100 * id.OverheadBits / bits
	}
	return id
}
