package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/entzip/entzip/bench"
	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model/lm"
)

// childFlag is the hidden flag with which entzip bench re-executes itself
// to measure the peak RSS of one in-process operation (bench.ServeChild).
const childFlag = "measure-child"

// benchConfig is the parsed command line of entzip bench.
type benchConfig struct {
	models     []string
	coders     []string
	orders     []int
	levels     []int
	baselines  []string
	quick      bool
	solid      bool
	logits     string
	from       string
	json       bool
	csv        bool
	md         bool
	plot       string
	maxOrder   int
	rate       float64
	minTime    time.Duration
	maxRuns    int
	noProgress bool
	quiet      bool
	help       bool
	child      bool
}

// newBenchFlags returns the flags of entzip bench, storing into c.
func newBenchFlags(c *benchConfig) *pflag.FlagSet {
	fs := quietFlagSet("entzip bench")
	fs.StringSliceVarP(&c.models, "model", "m", nil, "entzip pairs with `MODEL`s only: "+modelNames())
	fs.StringSliceVarP(&c.coders, "coder", "e", nil, "entzip pairs with `CODER`s only: "+coderNames())
	fs.IntSliceVar(&c.orders, "order", nil, "orderk pairs with context order `K` only (list: 2,4)")
	fs.IntSliceVarP(&c.levels, "level", "L", nil, "the presets `N` (list: 1,6,9); alone, only them")
	fs.StringSliceVar(&c.baselines, "baseline", []string{"all"}, "baselines: all, none or `NAME`s of "+strings.Join(bench.BaselineNames(), ", "))
	fs.BoolVar(&c.quick, "quick", false, "a fast subset: presets -1 -2 -5 -6 -9 (unless -m, -e, --order or -L) and zstd-go-default (unless --baseline)")
	fs.BoolVar(&c.solid, "solid", false, "also run each adaptive pair as a solid stream (model state kept across frames)")
	fs.StringVar(&c.logits, "logits", "", "also measure model lm with the logits `FILE` made for the one PATH (each coder, or those of -e; -m lm alone: only it)")
	fs.BoolVar(&c.json, "json", false, "write one JSON document (schema in docs/BENCH.md)")
	fs.BoolVar(&c.csv, "csv", false, "write CSV, one row per method per file")
	fs.BoolVar(&c.md, "md", false, "write Markdown tables")
	fs.StringVar(&c.from, "from", "", "run nothing: format the report saved with --json in `FILE` (with --md, --csv, --plot)")
	fs.StringVar(&c.plot, "plot", "", "also draw bits/byte per method per file with the entropy bounds to `FILE` (.svg, .png or .pdf)")
	fs.Float64Var(&c.rate, "rate", 0, "also show the source's true entropy rate, `BITS` per byte (a synthetic source's; docs/BENCH.md)")
	fs.IntVar(&c.maxOrder, "max-order", bench.DefaultMaxOrder, fmt.Sprintf("report the entropy bounds H0..H`K` (0..%d)", bench.MaxEntropyOrder))
	fs.DurationVar(&c.minTime, "min-time", bench.DefaultMinTime, "repeat each operation until its runs take `D` in all")
	fs.IntVar(&c.maxRuns, "max-runs", bench.DefaultMaxRuns, "but at most `N` times; the median run is reported")
	fs.BoolVar(&c.noProgress, "no-progress", false, "no progress bar")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "no progress bar, no notes on standard error")
	fs.BoolVarP(&c.help, "help", "h", false, "print this help")
	fs.BoolVar(&c.child, childFlag, false, "internal: measure one operation in a child process")
	_ = fs.MarkHidden(childFlag)
	return fs
}

// printBenchHelp writes the usage of entzip bench.
func printBenchHelp(w io.Writer) {
	fmt.Fprintf(w, `Usage: entzip bench [FLAGS] PATH...
Measure every entzip model × coder pair and preset, and the baselines (zstd
and gzip through Go libraries; xz, bzip2, brotli, zstd and 7z when found on
PATH), on each file (a directory stands for the files below it). Every
result is decompressed and compared with the input byte for byte.

Reported per method and file: compressed bytes, bits/byte, ratio, the
model's ideal code length and the coder's overhead over it, compress and
decompress MB/s (median of repeated runs), peak memory (RSS of a child
process); per file the entropy bounds H0..Hk; totals per method. With
--logits, model lm is measured too, with bits/token, the logits' float
cross-entropy and perplexity, and the quantization and coding overhead.

Flags:
%s
Exit status: 0 if every method round-tripped every file, 1 if any failed
(the tables still show the others), 2 for a usage error.

Examples:
  entzip bench ../shared/corpus/canterbury
  entzip bench --quick --md testdata/alice-ch1-2.txt
  entzip bench -m orderk --order 4,6 --baseline zstd-go,xz --plot bpb.svg FILES
  entzip bench -m lm --logits alice.npz --baseline xz alice.txt
`, newBenchFlags(&benchConfig{}).FlagUsagesWrapped(100))
}

// runBench is entzip bench with arguments args; it returns the exit status.
func runBench(args []string, stdout, stderr io.Writer) int {
	var c benchConfig
	fs := newBenchFlags(&c)
	if err := fs.Parse(args); err != nil {
		return benchUsage(stderr, err)
	}
	if c.child {
		if err := bench.ServeChild(fs.Args(), stdout); err != nil {
			fmt.Fprintf(stderr, "entzip bench: %v\n", err)
			return exitError
		}
		return exitOK
	}
	if c.help {
		printBenchHelp(stdout)
		return exitOK
	}
	sel, err := c.selection()
	if err != nil {
		return benchUsage(stderr, err)
	}
	nFormats := 0
	for _, f := range []bool{c.json, c.csv, c.md} {
		if f {
			nFormats++
		}
	}
	switch {
	case fs.NArg() == 0 && c.from == "":
		return benchUsage(stderr, errors.New("bench needs at least one PATH"))
	case fs.NArg() > 0 && c.from != "":
		return benchUsage(stderr, errors.New("--from runs nothing: give no PATH"))
	case c.logits != "" && c.from != "":
		return benchUsage(stderr, errors.New("--from runs nothing: give no --logits"))
	case c.logits == "" && slices.Contains(sel.Models, container.LM):
		return benchUsage(stderr, errors.New("-m lm needs the logits of the input (--logits FILE)"))
	case nFormats > 1:
		return benchUsage(stderr, errors.New("--json, --csv and --md exclude each other"))
	case c.maxOrder < 0 || c.maxOrder > bench.MaxEntropyOrder:
		return benchUsage(stderr, fmt.Errorf("--max-order %d out of range 0..%d", c.maxOrder, bench.MaxEntropyOrder))
	case c.rate < 0 || c.rate > 8:
		return benchUsage(stderr, fmt.Errorf("--rate %g is not a rate in bits per byte, 0..8", c.rate))
	case c.maxRuns < 1:
		return benchUsage(stderr, errors.New("--max-runs must be at least 1"))
	}
	var plotFormat string
	if c.plot != "" {
		if plotFormat, err = bench.PlotFormat(c.plot); err != nil {
			return benchUsage(stderr, err)
		}
	}
	if c.from != "" {
		rep, err := readReport(c.from)
		if err != nil {
			fmt.Fprintf(stderr, "entzip bench: %v\n", err)
			return exitError
		}
		return c.output(rep, plotFormat, stdout, stderr)
	}
	files, err := bench.ExpandPaths(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "entzip bench: %v\n", err)
		return exitError
	}
	for _, f := range files {
		if info, err := os.Stat(f.Path); err == nil && info.Size() > 8<<20 {
			sel.LongWindow = true
		}
	}
	if c.logits != "" {
		if len(files) != 1 {
			return benchUsage(stderr, fmt.Errorf("--logits fits exactly one input file, not %d", len(files)))
		}
		f, err := lm.Open(c.logits)
		if err != nil {
			fmt.Fprintf(stderr, "entzip bench: %v\n", err)
			return exitError
		}
		defer f.Close()
		sel.Logits = &bench.Logits{Path: c.logits, File: f}
	}
	methods, skipped, err := bench.Methods(sel)
	if err != nil {
		return benchUsage(stderr, err)
	}
	opts := bench.Options{
		Methods:  methods,
		Skipped:  skipped,
		MaxOrder: c.maxOrder,
		Rate:     c.rate,
		MinTime:  c.minTime,
		MaxRuns:  c.maxRuns,
		Command:  "entzip bench " + strings.Join(args, " "),
	}
	if c.maxOrder == 0 {
		opts.MaxOrder = -1
	}
	if self, err := os.Executable(); err == nil {
		opts.Child = []string{self, "bench", "--" + childFlag, "--"}
	}
	if !c.quiet && !c.noProgress && isTerminal(stderr) {
		bar := newBenchBar(stderr, len(files)*len(methods))
		defer bar.Clear()
		opts.Progress = func(p bench.Progress) {
			if p.Method != "" {
				bar.Describe(fmt.Sprintf("%-16s %-22s", trimTo(p.File, 16), p.Method))
			}
			_ = bar.Set(p.Done)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rep, runErr := bench.Run(ctx, fs.Args(), opts)
	if opts.Progress != nil {
		opts.Progress(bench.Progress{Done: len(files) * len(methods)})
	}
	if rep == nil {
		fmt.Fprintf(stderr, "\nentzip bench: %v\n", runErr)
		return exitError
	}
	if status := c.output(rep, plotFormat, stdout, stderr); status != exitOK {
		return status
	}
	if !c.quiet {
		for _, s := range skipped {
			fmt.Fprintf(stderr, "entzip bench: skipped %s: %s\n", s.Name, s.Reason)
		}
		fmt.Fprintf(stderr, "entzip bench: %s × %s in %s\n", plural(len(files), "file"), plural(len(methods), "method"), time.Since(start).Round(100*time.Millisecond))
	}
	if runErr != nil {
		for _, e := range unjoin(runErr) {
			fmt.Fprintf(stderr, "entzip bench: %s\n", errText(e))
		}
		return exitError
	}
	return exitOK
}

// output writes rep in the format the flags ask for, and the plot.
func (c *benchConfig) output(rep *bench.Report, plotFormat string, stdout, stderr io.Writer) int {
	var err error
	switch {
	case c.json:
		err = rep.WriteJSON(stdout)
	case c.csv:
		err = rep.WriteCSV(stdout)
	case c.md:
		err = rep.WriteMarkdown(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err == nil && c.plot != "" {
		err = writePlot(rep, c.plot, plotFormat)
	}
	if err != nil {
		fmt.Fprintf(stderr, "entzip bench: %v\n", err)
		return exitError
	}
	return exitOK
}

// readReport reads a report written by entzip bench --json.
func readReport(name string) (*bench.Report, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var rep bench.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if rep.Schema != bench.Schema {
		return nil, fmt.Errorf("%s: not an entzip bench report (schema %q, want %q)", name, rep.Schema, bench.Schema)
	}
	return &rep, nil
}

// selection turns the flags into a bench.Selection.
func (c *benchConfig) selection() (bench.Selection, error) {
	sel := bench.Selection{Orders: c.orders, Levels: c.levels, Baselines: c.baselines, Quick: c.quick, Solid: c.solid}
	for _, s := range c.models {
		m, err := container.ParseModel(s)
		if err != nil {
			return sel, plain(err)
		}
		sel.Models = append(sel.Models, m)
	}
	for _, s := range c.coders {
		cd, err := container.ParseCoder(s)
		if err != nil {
			return sel, plain(err)
		}
		sel.Coders = append(sel.Coders, cd)
	}
	if len(c.baselines) == 1 && c.baselines[0] == "all" {
		sel.Baselines = nil
	}
	return sel, nil
}

// writePlot writes the chart of rep to name.
func writePlot(rep *bench.Report, name, format string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := rep.WritePlot(f, format); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// newBenchBar returns a progress bar over n method runs.
func newBenchBar(w io.Writer, n int) *progressbar.ProgressBar {
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// trimTo shortens s to n runes, keeping its end.
func trimTo(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}

// unjoin returns the errors joined in err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// plural returns "1 file", "2 files".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// benchUsage reports a bad bench or entropy command line.
func benchUsage(w io.Writer, err error) int {
	fmt.Fprintf(w, "entzip: %s\nTry 'entzip bench --help' or 'entzip entropy --help' for more information.\n", errText(err))
	return exitUsage
}
