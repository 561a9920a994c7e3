package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/entzip/entzip/container"
)

// printHelp writes the usage text. The flag list comes from the flag set,
// the presets from container.LevelParams and the model × coder table from
// container.Params.Validate, so the text follows the library.
func printHelp(w io.Writer) {
	var b strings.Builder
	flags := newFlagSet(&config{}).FlagUsagesWrapped(100)
	// Line the presets up with the usage column of the flags.
	col := strings.Index(flags, "compress (the default)")
	if nl := strings.LastIndexByte(flags[:max(col, 0)], '\n'); col >= 0 {
		col -= nl + 1
	}
	fmt.Fprintf(&b, `Usage: entzip [FLAGS] [FILE...]
Compress FILEs to FILE.ez (keeping FILE), or decompress FILE.ez to FILE.
With no FILE, or when FILE is -, read standard input and write standard output.

Flags:
%-*s preset, fastest to strongest (default -%d, see Presets)
%s
Presets:
`, max(col-1, 0), "  -1 .. -9", container.DefaultLevel, flags)
	writePresets(&b)
	fmt.Fprintf(&b, `
Models and coders (-m MODEL -e CODER; static and adaptive name the modes
that work, - a pair entzip refuses):
`)
	writePairs(&b)
	fmt.Fprintf(&b, `
-m, -e, --order, --static, --adaptive and --frame-size refine the preset,
wherever they stand on the command line. With -m cm the preset number is
cm's memory level: -m cm -1 needs about 25 MiB, -m cm -6 (the default)
180 MiB, -m cm -9 1.3 GiB, to compress and to decompress alike.

Exit status: 0 if all went well, 1 if a file failed or was skipped,
2 for a usage error, 129, 130 or 143 when stopped by SIGHUP, SIGINT or
SIGTERM (the unfinished output is removed, the input kept).

Subcommands (first argument; compress a file named so as ./bench):
  entzip bench [FLAGS] PATH...  measure every pair and the baselines (bench --help)
  entzip entropy FILE...        the entropy profile of each FILE (entropy --help)
  entzip logits -o L.npz FILE   export a model's predictions for FILE as logits (logits --help)

Examples:
  entzip -9 big.log             write big.log.ez, keep big.log
  entzip -dc big.log.ez | less  decompress to standard output
  tar -I entzip -cf d.tar.ez d  use entzip with tar
  entzip --index --restart 4 f  a seekable stream (cm restarting every 4 frames);
                                entzip -d --range 1G:4M f.ez decodes only what covers
                                the range, entzip -l -v f.ez lists its frames
  entzip --train -o j.ezd s/*   train a dictionary on sample files; entzip -D j.ezd
                                rec.json and entzip -d -D j.ezd rec.json.ez use it
  entzip -m lm --logits L.npz f code f with a language model's logits (L.npz
                                from tools/lm_logits.py or entzip logits);
                                entzip -d --logits L.npz f.ez decodes it
`)
	for line := range strings.Lines(b.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

// writePresets writes what each preset level selects.
func writePresets(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for l := container.MinLevel; l <= container.MaxLevel; l++ {
		p, err := container.LevelParams(l)
		if err != nil {
			fmt.Fprintf(tw, "  -%d\t%s\n", l, errText(err))
			continue
		}
		note := ""
		if l == container.DefaultLevel {
			note = "(default)"
		}
		mem := "decoder memory " + approxSize(p.DecoderMemory())
		fmt.Fprintf(tw, "  -%d\t%s\t%s\t%s\n", l, p, mem, note)
	}
	tw.Flush()
}

// maxProbeOrder bounds the orders writePairs tries; the library's range is
// well inside it.
const maxProbeOrder = 32

// writePairs writes the model × coder table, asking Params.Validate about
// every model, coder, order and mode. Rows of consecutive orders that work
// alike are merged ("orderk 3-8").
func writePairs(w io.Writer) {
	coders := allCoders()
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprint(tw, "  \t")
	for _, c := range coders {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	row := func(p container.Params) []string {
		cells := make([]string, len(coders))
		for i, c := range coders {
			p.Coder = c
			var modes []string
			for _, static := range []bool{true, false} {
				p.Static = static
				if p.Validate() == nil {
					modes = append(modes, map[bool]string{true: "static", false: "adaptive"}[static])
				}
			}
			cells[i] = strings.Join(modes, ", ")
			if cells[i] == "" {
				cells[i] = "-"
			}
		}
		return cells
	}
	refused := func(cells []string) bool {
		for _, c := range cells {
			if c != "-" {
				return false
			}
		}
		return true
	}
	for _, m := range allModels() {
		base := container.Params{Model: m}
		err := base.Validate()
		if cells := row(base); !refused(cells) {
			fmt.Fprintf(tw, "  %s\t%s\t\n", m, strings.Join(cells, "\t"))
			continue
		}
		// The model needs an order: one row per run of orders alike.
		printed := false
		var first int
		var prev []string
		flush := func(last int) {
			if prev == nil || refused(prev) {
				return
			}
			name := fmt.Sprintf("%s %d", m, first)
			if last > first {
				name = fmt.Sprintf("%s %d-%d", m, first, last)
			}
			fmt.Fprintf(tw, "  %s\t%s\t\n", name, strings.Join(prev, "\t"))
			printed = true
		}
		for k := 1; k <= maxProbeOrder+1; k++ {
			var cells []string
			if k <= maxProbeOrder {
				p := base
				p.Order = k
				cells = row(p)
			}
			if !slices.Equal(cells, prev) {
				flush(k - 1)
				first, prev = k, cells
			}
		}
		if !printed {
			fmt.Fprintf(tw, "  %s\t%s\n", m, strings.TrimPrefix(errText(err), "unsupported: "))
		}
	}
	tw.Flush()
}

// allModels lists the models registered with the container package.
func allModels() []container.Model {
	var ms []container.Model
	for _, s := range container.Models() {
		ms = append(ms, s.ID)
	}
	return ms
}

// allCoders lists the coders the container package knows.
func allCoders() []container.Coder {
	var cs []container.Coder
	for c := container.Coder(0); !errors.Is(container.Params{Coder: c}.Validate(), container.ErrUnknownCoder); c++ {
		cs = append(cs, c)
	}
	return cs
}

// modelNames and coderNames list the names -m and -e accept.
func modelNames() string { return joinNames(allModels()) }
func coderNames() string { return joinNames(allCoders()) }

func joinNames[T fmt.Stringer](xs []T) string {
	var s []string
	for _, x := range xs {
		s = append(s, x.String())
	}
	return strings.Join(s, ", ")
}

// printVersion writes the version of entzip and of its format.
func printVersion(w io.Writer) {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(w, "entzip %s (format version %d, %s)\n", v, container.Version, runtime.Version())
}

// approxSize is n bytes rounded for reading: 12 MiB, 1.3 GiB.
func approxSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
}
