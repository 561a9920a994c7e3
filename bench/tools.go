package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// toolSpec describes an external compressor. In its argument lists {in}
// and {out} stand for the input and output paths. Without archive the
// tool writes its result to standard output, which goes to {out}; with
// archive it writes {out} itself (7z), and the compressed size is the size
// of that archive, headers included.
type toolSpec struct {
	name    string // method name
	family  string // what Selection.Baselines calls it
	bin     string
	comp    []string
	dec     []string
	archive bool
	version []string // arguments that print the version
}

// toolSpecs are the external baselines, strongest settings of each, one
// thread each.
var toolSpecs = []toolSpec{
	{name: "xz-9e", family: "xz", bin: "xz",
		comp: []string{"-9e", "-T1", "-k", "-c", "{in}"}, dec: []string{"-d", "-T1", "-k", "-c", "{in}"},
		version: []string{"--version"}},
	{name: "bzip2-9", family: "bzip2", bin: "bzip2",
		comp: []string{"-9", "-k", "-c", "{in}"}, dec: []string{"-d", "-k", "-c", "{in}"},
		version: []string{"--version"}},
	{name: "brotli-q11-w24", family: "brotli", bin: "brotli",
		comp: []string{"-q", "11", "-w", "24", "-c", "{in}"}, dec: []string{"-d", "-c", "{in}"},
		version: []string{"--version"}},
	{name: "zstd-22-long27", family: "zstd", bin: "zstd",
		comp: []string{"--ultra", "-22", "--long=27", "-T1", "-q", "-c", "{in}"}, dec: []string{"-d", "--long=27", "-q", "-c", "{in}"},
		version: []string{"--version"}},
	{name: "7z-ppmd-o16", family: "7z", bin: "7z",
		comp:    []string{"a", "-t7z", "-m0=PPMd:o=16:mem=256m", "-mmt=1", "-bd", "-y", "{out}", "{in}"},
		dec:     []string{"e", "-so", "{in}"},
		archive: true, version: nil},
}

// tool is a toolSpec found on PATH.
type tool struct {
	spec toolSpec
	path string
}

// toolTimeout bounds every run of an external tool.
const toolTimeout = 10 * time.Minute

// toolMethod returns the method of spec, or an error saying why it cannot
// run (not found on PATH).
func toolMethod(spec toolSpec) (Method, error) {
	path, err := exec.LookPath(spec.bin)
	if err != nil {
		return Method{}, fmt.Errorf("%s not found on PATH", spec.bin)
	}
	t := &tool{spec: spec, path: path}
	m := Method{
		Name:    spec.name,
		Kind:    KindTool,
		Version: t.versionString(),
		Command: spec.bin + " " + strings.Join(spec.comp, " "),
		tool:    t,
	}
	if !spec.archive {
		m.Command += " > {out}"
	}
	m.Compress = func(dst, src []byte) ([]byte, error) {
		out, err := t.roundFiles(src, func(in, out string) error {
			_, err := t.run(context.Background(), spec.comp, in, out)
			return err
		})
		return append(dst, out...), err
	}
	m.Decompress = func(dst, src []byte, n int) ([]byte, error) {
		out, err := t.roundFiles(src, func(in, out string) error {
			_, err := t.run(context.Background(), spec.dec, in, out)
			return err
		})
		return append(dst, out...), err
	}
	return m, nil
}

// versionRE finds a version number in a tool's banner.
var versionRE = regexp.MustCompile(`\d+\.\d+(\.\d+)?`)

// versionString runs the tool to learn its version: the first line of its
// banner holding a version number, trimmed of decoration.
func (t *tool) versionString() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.path, t.spec.version...)
	cmd.Stdin = nil // /dev/null: bzip2 --version would otherwise wait
	out, _ := cmd.CombinedOutput()
	for line := range strings.Lines(string(out)) {
		if versionRE.MatchString(line) {
			line = strings.Trim(line, "* \t\r\n")
			if t.spec.bin == "bzip2" {
				// "bzip2, a block-sorting file compressor.  Version 1.0.8, 13-Jul-2019."
				return "bzip2 " + versionRE.FindString(line)
			}
			for _, cut := range []string{" : Copyright", ", by "} {
				if i := strings.Index(line, cut); i >= 0 {
					line = line[:i]
				}
			}
			return line
		}
	}
	return t.spec.bin + " (version unknown)"
}

// argv returns args with {in} and {out} substituted, and where the
// tool's standard output goes: out, or "-" when the tool writes out
// itself.
func (t *tool) argv(args []string, in, out string) ([]string, string) {
	a := make([]string, len(args))
	for i, s := range args {
		a[i] = strings.NewReplacer("{in}", in, "{out}", out).Replace(s)
	}
	if slices.Contains(args, "{out}") {
		return a, "-"
	}
	return a, out
}

// run runs the tool with args, {in} and {out} substituted, and returns its
// wall time.
func (t *tool) run(ctx context.Context, args []string, in, out string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	a, stdout := t.argv(args, in, out)
	cmd := exec.CommandContext(ctx, t.path, a...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if stdout == "-" {
		os.Remove(out) // the tool writes out itself; 7z a would add to it
	} else {
		f, err := os.Create(out)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		return elapsed, fmt.Errorf("%s %s: %w: %s", t.spec.bin, strings.Join(a, " "), err, msg)
	}
	return elapsed, nil
}

// roundFiles writes src to a temporary file, runs fn(in, out) and returns
// the bytes of out.
func (t *tool) roundFiles(src []byte, fn func(in, out string) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "entzip-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if t.spec.archive {
		out += ".7z"
	}
	if err := os.WriteFile(in, src, 0o600); err != nil {
		return nil, err
	}
	if err := fn(in, out); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}
