package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrRoundTrip reports a method whose output did not decompress to its
// input byte for byte. Run's error wraps it for every such method and file.
var ErrRoundTrip = errors.New("bench: round trip failed")

// Defaults of Options.
const (
	DefaultMinTime = 200 * time.Millisecond
	DefaultMaxRuns = 20
)

// Options configure Run. The zero value runs every method Methods selects
// by default and measures memory in process (MemoryGoAlloc).
type Options struct {
	// Methods to run; nil runs Methods(Selection{}) (every entzip pair and
	// preset, every baseline found), with LongWindow when an input is
	// larger than 8 MiB. Names must be unique.
	Methods []Method
	// Skipped methods are reported as such (Methods' second result).
	Skipped []Skipped
	// MaxOrder is the highest order of the entropy bounds (0 means
	// DefaultMaxOrder, a negative value H0 only).
	MaxOrder int
	// MinTime and MaxRuns: each compress and decompress is repeated until
	// its runs take MinTime in all, at least once and at most MaxRuns
	// times; the median run is reported. 0 means DefaultMinTime and
	// DefaultMaxRuns.
	MinTime time.Duration
	MaxRuns int
	// Child, if not empty, is the command line (program and leading
	// arguments) of a process that runs ServeChild with the arguments Run
	// appends. Run then measures the peak memory of in-process methods
	// as the peak RSS of such a child (MemoryChildRSS) instead of in
	// process (MemoryGoAlloc). The entzip command passes itself.
	Child []string
	// Progress, if not nil, is called before each method runs on each file
	// and once at the end.
	Progress func(Progress)
	// Command is recorded in the report.
	Command string
	// Rate, if not 0, is the entropy rate of the source the inputs come
	// from, in bits per byte, when the caller knows it (a synthetic source):
	// the report shows it beside the empirical bounds.
	Rate float64
}

// Progress tells how far Run is.
type Progress struct {
	Done, Total int    // method runs done and in all
	File        string // the file and method about to run; empty at the end
	Method      string
}

// An Input is a named byte string for RunInputs.
type Input struct {
	Name string
	Path string // informational
	Data []byte
}

// Run measures every method of opts on every file of paths (a directory
// stands for the regular files below it, in lexical order, dot files
// excepted): it compresses, decompresses and compares the result with the
// input byte for byte, times both directions, computes the ideal code
// length and the memory, and the entropy profile of each file.
//
// Run returns the report even when methods failed: a failed method's
// result carries its Error and no numbers, and the returned error joins
// every failure (wrapping ErrRoundTrip for outputs that did not decompress
// to their input). Reading an input or ctx being done ends Run with a nil
// report.
func Run(ctx context.Context, paths []string, opts Options) (*Report, error) {
	files, err := ExpandPaths(paths)
	if err != nil {
		return nil, err
	}
	var inputs []Input
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, Input{Name: f.Name, Path: f.Path, Data: data})
	}
	return RunInputs(ctx, inputs, opts)
}

// A File is an input file found by ExpandPaths.
type File struct {
	Name string // short name for reports
	Path string
}

// ExpandPaths lists the files Run reads for paths: a file stands for
// itself (named by its base name), a directory for the regular files
// below it in lexical order, dot files and dot directories excepted (each
// named by its path relative to the directory).
func ExpandPaths(paths []string) ([]File, error) {
	var files []File
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, File{Name: filepath.Base(p), Path: p})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(p, path)
				files = append(files, File{Name: filepath.ToSlash(rel), Path: path})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, errors.New("bench: no input files")
	}
	// Make names unique.
	seen := map[string]int{}
	for i := range files {
		n := files[i].Name
		if seen[n]++; seen[n] > 1 {
			files[i].Name = fmt.Sprintf("%s#%d", n, seen[n])
		}
	}
	return files, nil
}

// RunInputs is Run on inputs in memory.
func RunInputs(ctx context.Context, inputs []Input, opts Options) (*Report, error) {
	o := opts
	if o.MinTime <= 0 {
		o.MinTime = DefaultMinTime
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = DefaultMaxRuns
	}
	switch {
	case o.MaxOrder == 0:
		o.MaxOrder = DefaultMaxOrder
	case o.MaxOrder < 0:
		o.MaxOrder = 0
	case o.MaxOrder > MaxEntropyOrder:
		return nil, fmt.Errorf("bench: entropy order %d out of range 0..%d", o.MaxOrder, MaxEntropyOrder)
	}
	if o.Methods == nil {
		long := slices.ContainsFunc(inputs, func(in Input) bool { return len(in.Data) > 8<<20 })
		var err error
		if o.Methods, o.Skipped, err = Methods(Selection{LongWindow: long}); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, m := range o.Methods {
		if seen[m.Name] {
			return nil, fmt.Errorf("bench: method %q given twice", m.Name)
		}
		if m.tool == nil && (m.Compress == nil || m.Decompress == nil) {
			return nil, fmt.Errorf("bench: method %q has no Compress or Decompress", m.Name)
		}
		seen[m.Name] = true
	}

	r := &Report{
		Schema:  Schema,
		Date:    time.Now().UTC().Truncate(time.Second),
		Command: o.Command,
		Machine: thisMachine(),
		Settings: Settings{
			MinTimeSeconds: o.MinTime.Seconds(),
			MaxRuns:        o.MaxRuns,
			MaxOrder:       o.MaxOrder,
			Memory:         MemoryGoAlloc,
			Rate:           o.Rate,
		},
		Methods: o.Methods,
		Skipped: append([]Skipped{}, o.Skipped...),
	}
	if len(o.Child) > 0 {
		r.Settings.Memory = MemoryChildRSS
	}
	dir, err := os.MkdirTemp("", "entzip-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	rn := &runner{o: o, dir: dir}

	var errs []error
	total := len(inputs) * len(o.Methods)
	done := 0
	for fi, in := range inputs {
		prof, err := Entropy(in.Data, o.MaxOrder)
		if err != nil {
			return nil, err
		}
		fr := FileResult{Name: in.Name, Path: in.Path, Bytes: int64(len(in.Data)), Entropy: prof}
		inPath := filepath.Join(dir, "in"+strconv.Itoa(fi))
		if err := os.WriteFile(inPath, in.Data, 0o600); err != nil {
			return nil, err
		}
		if len(o.Child) > 0 {
			fr.BaselineRSS, _, _ = rn.child(ctx, "read", inPath)
		}
		for _, m := range o.Methods {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if o.Progress != nil {
				o.Progress(Progress{Done: done, Total: total, File: in.Name, Method: m.Name})
			}
			res, err := rn.run(ctx, m, in.Data, inPath)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				res = Result{Method: m.Name, Error: err.Error()}
				errs = append(errs, fmt.Errorf("%s on %s: %w", m.Name, in.Name, err))
			}
			fr.Results = append(fr.Results, res)
			done++
		}
		os.Remove(inPath)
		r.Files = append(r.Files, fr)
	}
	if o.Progress != nil {
		o.Progress(Progress{Done: done, Total: total})
	}
	r.computeTotals()
	return r, errors.Join(errs...)
}

// runner runs methods on inputs.
type runner struct {
	o   Options
	dir string
	buf []byte // reused output buffer
}

// run measures m on data (also stored at inPath).
func (rn *runner) run(ctx context.Context, m Method, data []byte, inPath string) (Result, error) {
	if m.tool != nil {
		return rn.runTool(ctx, m, data, inPath)
	}
	res := Result{Method: m.Name}
	runtime.GC()

	// The first runs check the round trip; their times count as samples.
	start := time.Now()
	z, err := m.Compress(nil, data)
	first := time.Since(start)
	if err != nil {
		return res, fmt.Errorf("compress: %w", err)
	}
	start = time.Now()
	got, err := m.Decompress(nil, z, len(data))
	firstDec := time.Since(start)
	if err != nil {
		return res, fmt.Errorf("%w: decompress: %v", ErrRoundTrip, err)
	}
	if err := sameBytes(data, got); err != nil {
		return res, err
	}
	res.CompressedBytes = int64(len(z))
	res.BitsPerByte, res.Ratio = rates(int64(len(data)), res.CompressedBytes)

	comp, err := rn.repeat(ctx, first, func() error {
		var err error
		rn.buf, err = m.Compress(rn.buf[:0], data)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("compress: %w", err)
	}
	dec, err := rn.repeat(ctx, firstDec, func() error {
		var err error
		got, err = m.Decompress(got[:0], z, len(data))
		return err
	})
	if err != nil {
		return res, fmt.Errorf("%w: decompress: %v", ErrRoundTrip, err)
	}
	res.Timing = timing(len(data), comp, dec)

	if m.lm != nil {
		cl, err := LMBits(m.lm, data)
		if err != nil {
			return res, fmt.Errorf("ideal code length: %w", err)
		}
		res.Ideal = newIdeal(cl.CrossEntropy, 0, int64(len(data)), res.CompressedBytes)
		res.LM = newLMResult(cl, res.CompressedBytes)
	} else if m.Ideal != nil {
		bits, model, err := m.Ideal(data)
		if err != nil {
			return res, fmt.Errorf("ideal code length: %w", err)
		}
		res.Ideal = newIdeal(bits, model, int64(len(data)), res.CompressedBytes)
	}
	res.Memory, err = rn.memory(ctx, m, data, z, inPath)
	if err != nil {
		return res, fmt.Errorf("memory: %w", err)
	}
	return res, nil
}

// repeat runs fn until the samples, starting with first, add up to
// MinTime, or there are MaxRuns of them, and returns the samples.
func (rn *runner) repeat(ctx context.Context, first time.Duration, fn func() error) ([]time.Duration, error) {
	samples := []time.Duration{first}
	sum := first
	for sum < rn.o.MinTime && len(samples) < rn.o.MaxRuns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		d := time.Since(start)
		samples = append(samples, d)
		sum += d
	}
	return samples, nil
}

// timing summarizes the compress and decompress samples of n bytes.
func timing(n int, comp, dec []time.Duration) Timing {
	t := Timing{
		CompressRuns:      len(comp),
		DecompressRuns:    len(dec),
		CompressSeconds:   median(comp).Seconds(),
		DecompressSeconds: median(dec).Seconds(),
	}
	t.CompressMBps = mbps(int64(n), t.CompressSeconds)
	t.DecompressMBps = mbps(int64(n), t.DecompressSeconds)
	return t
}

// median returns the median of ds (the mean of the middle two for an even
// count).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// sameBytes returns an error wrapping ErrRoundTrip unless got equals want.
func sameBytes(want, got []byte) error {
	if bytes.Equal(want, got) {
		return nil
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	return fmt.Errorf("%w: output differs from the input at byte %d (got %d bytes, want %d)", ErrRoundTrip, i, len(got), len(want))
}

// memory measures the peak memory of one compress and one decompress of
// m: in a child process when Options.Child is set and the method can be
// found by name there (parseMethod), else in process.
func (rn *runner) memory(ctx context.Context, m Method, data, z []byte, inPath string) (*Memory, error) {
	// Model lm is measured in process: a child could not find its logits.
	if len(rn.o.Child) > 0 && (m.Kind == KindEntzip || m.Kind == KindLibrary) && m.lm == nil {
		if _, err := parseMethod(m.Name); err == nil {
			zPath := filepath.Join(rn.dir, "z")
			if err := os.WriteFile(zPath, z, 0o600); err != nil {
				return nil, err
			}
			defer os.Remove(zPath)
			mem := &Memory{Kind: MemoryChildRSS}
			var err error
			if mem.Compress, _, err = rn.child(ctx, "compress", m.Name, inPath); err != nil {
				return nil, err
			}
			if mem.Decompress, _, err = rn.child(ctx, "decompress", m.Name, zPath, strconv.Itoa(len(data))); err != nil {
				return nil, err
			}
			return mem, nil
		}
	}
	mem := &Memory{Kind: MemoryGoAlloc}
	var err error
	mem.Compress = heapAllocs(func() { _, err = m.Compress(nil, data) })
	if err != nil {
		return nil, err
	}
	mem.Decompress = heapAllocs(func() { _, err = m.Decompress(nil, z, len(data)) })
	return mem, err
}

// heapAllocs returns the bytes fn allocates on the Go heap.
func heapAllocs(fn func()) int64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	fn()
	metrics.Read(s)
	return int64(s[0].Value.Uint64() - before)
}

// child runs Options.Child with the arguments of ServeChild and returns
// the peak RSS it reports and its floor.
func (rn *runner) child(ctx context.Context, args ...string) (peak, floor int64, err error) {
	cmd := exec.CommandContext(ctx, rn.o.Child[0], append(slices.Clone(rn.o.Child[1:]), args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("child %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	if _, err := fmt.Sscanf(stdout.String(), "peak %d floor %d", &peak, &floor); err != nil {
		return 0, 0, fmt.Errorf("child %s: unexpected output %q", strings.Join(args, " "), stdout.String())
	}
	return peak, floor, nil
}

// ServeChild is the child side of Options.Child. It runs one operation
// and writes "peak BYTES floor BYTES" to w: the peak resident set size of
// the operation and the floor under that figure. args are one of
//
//	read PATH                   read the file PATH
//	compress METHOD PATH        read PATH and compress it with METHOD (parseMethod)
//	decompress METHOD PATH N    read the compressed file PATH and decompress
//	                            it with METHOD, checking that it gives N bytes
//	exec OUT PROG ARG...        run PROG with ARGs, its standard output going
//	                            to the file OUT (- for none)
//
// For the first three the peak is this process's own (VmHWM on Linux),
// runtime and input included, and the floor 0; for exec it is PROG's
// (getrusage of the child) and the floor this process's resident size
// when it started PROG, which on Linux PROG's figure cannot go below.
func ServeChild(args []string, w io.Writer) error {
	if len(args) < 2 {
		return fmt.Errorf("bench: child: bad arguments %q", args)
	}
	var err error
	var peak, floor int64
	switch op := args[0]; {
	case op == "read" && len(args) == 2:
		var data []byte
		data, err = os.ReadFile(args[1])
		runtime.KeepAlive(data)
		peak = selfPeakRSS()
	case op == "compress" && len(args) == 3, op == "decompress" && len(args) == 4:
		peak, err = serveMethod(args)
	case op == "exec" && len(args) >= 3:
		peak, floor, err = serveExec(args[1], args[2], args[3:])
	default:
		return fmt.Errorf("bench: child: bad arguments %q", args)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "peak %d floor %d\n", peak, floor)
	return err
}

// serveMethod runs ServeChild's compress and decompress.
func serveMethod(args []string) (int64, error) {
	m, err := parseMethod(args[1])
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile(args[2])
	if err != nil {
		return 0, err
	}
	if args[0] == "compress" {
		_, err = m.Compress(nil, data)
		return selfPeakRSS(), err
	}
	n, err := strconv.Atoi(args[3])
	if err != nil {
		return 0, fmt.Errorf("bench: child: bad size %q", args[3])
	}
	out, err := m.Decompress(nil, data, n)
	if err == nil && len(out) != n {
		err = fmt.Errorf("%w: %d bytes, want %d", ErrRoundTrip, len(out), n)
	}
	return selfPeakRSS(), err
}

// serveExec runs ServeChild's exec.
func serveExec(out, prog string, args []string) (peak, floor int64, err error) {
	cmd := exec.Command(prog, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return 0, 0, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	floor = selfPeakRSS()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%s: %v: %s", prog, err, strings.TrimSpace(stderr.String()))
	}
	return maxRSS(cmd.ProcessState), floor, nil
}

// runTool measures an external tool: it compresses the file at inPath,
// decompresses the result with the same tool, compares, and repeats each
// direction for the timing. With Options.Child it measures one compress
// and one decompress again through a child process for the memory.
func (rn *runner) runTool(ctx context.Context, m Method, data []byte, inPath string) (Result, error) {
	t := m.tool
	res := Result{Method: m.Name}
	zPath := filepath.Join(rn.dir, "z")
	if t.spec.archive {
		zPath += ".7z"
	}
	outPath := filepath.Join(rn.dir, "out")
	defer os.Remove(zPath)
	defer os.Remove(outPath)

	first, err := t.run(ctx, t.spec.comp, inPath, zPath)
	if err != nil {
		return res, fmt.Errorf("compress: %w", err)
	}
	info, err := os.Stat(zPath)
	if err != nil {
		return res, err
	}
	firstDec, err := t.run(ctx, t.spec.dec, zPath, outPath)
	if err != nil {
		return res, fmt.Errorf("%w: decompress: %v", ErrRoundTrip, err)
	}
	got, err := os.ReadFile(outPath)
	if err != nil {
		return res, err
	}
	if err := sameBytes(data, got); err != nil {
		return res, err
	}
	res.CompressedBytes = info.Size()
	res.BitsPerByte, res.Ratio = rates(int64(len(data)), res.CompressedBytes)

	comp, err := rn.repeat(ctx, first, func() error {
		_, err := t.run(ctx, t.spec.comp, inPath, zPath)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("compress: %w", err)
	}
	dec, err := rn.repeat(ctx, firstDec, func() error {
		_, err := t.run(ctx, t.spec.dec, zPath, outPath)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("decompress: %w", err)
	}
	res.Timing = timing(len(data), comp, dec)

	if len(rn.o.Child) > 0 {
		mem := &Memory{Kind: MemoryChildRSS}
		cArgs, cOut := t.argv(t.spec.comp, inPath, zPath)
		var floorC, floorD int64
		if mem.Compress, floorC, err = rn.child(ctx, append([]string{"exec", cOut, t.path}, cArgs...)...); err != nil {
			return res, fmt.Errorf("memory: %w", err)
		}
		dArgs, dOut := t.argv(t.spec.dec, zPath, outPath)
		if mem.Decompress, floorD, err = rn.child(ctx, append([]string{"exec", dOut, t.path}, dArgs...)...); err != nil {
			return res, fmt.Errorf("memory: %w", err)
		}
		mem.Floor = max(floorC, floorD)
		res.Memory = mem
	}
	return res, nil
}

// thisMachine describes the machine Run runs on.
func thisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
