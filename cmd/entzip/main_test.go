package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binary is the entzip command built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "entzip-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "entzip")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building entzip: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the command did.
type result struct {
	stdout, stderr []byte
	code           int
}

// entzip runs the command in dir with stdin (nil: empty) and args.
func entzip(t *testing.T, dir string, stdin []byte, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "running entzip: %v", err)
		r.code = ee.ExitCode()
	}
	// Whatever happened, the command must not have panicked.
	require.NotContains(t, string(r.stderr), "goroutine ", "stack dump on stderr")
	require.NotContains(t, string(r.stderr), "panic:", "panic on stderr")
	return r
}

// ok runs the command and requires exit status 0.
func ok(t *testing.T, dir string, stdin []byte, args ...string) result {
	t.Helper()
	r := entzip(t, dir, stdin, args...)
	require.Equal(t, 0, r.code, "entzip %s: %s", strings.Join(args, " "), r.stderr)
	return r
}

// sample returns n bytes of compressible, text-like data.
func sample(n int, seed uint64) []byte {
	words := strings.Fields("the quick brown fox jumps over a lazy dog while entropy coders count bits and contexts predict bytes")
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(12) == 0 {
			b.WriteString(".\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.Bytes()[:n]
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

// noTempFiles requires that no temporary output is left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	require.NoError(t, err)
	assert.Empty(t, m, "temporary files left behind")
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"4096", 4096}, {"64K", 64 << 10}, {"64k", 64 << 10}, {"1M", 1 << 20}, {"1MiB", 1 << 20},
		{"1mb", 1 << 20}, {"2G", 2 << 30}, {"3B", 3},
	} {
		got, err := parseSize(c.in)
		if assert.NoError(t, err, c.in) {
			assert.Equal(t, c.want, got, c.in)
		}
	}
	for _, bad := range []string{"", "K", "0", "-1", "1X", "1KK", "1.5M", "99999999999G"} {
		_, err := parseSize(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "1M", formatSize(1<<20))
	assert.Equal(t, "1G", formatSize(1<<30))
	assert.Equal(t, "1000", formatSize(1000))
}

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		args  string
		check func(*config) bool
	}{
		{"-dc", func(c *config) bool { return c.mode == modeDecompress && c.stdout }},
		{"-cd", func(c *config) bool { return c.mode == modeDecompress && c.stdout }},
		{"-9c", func(c *config) bool { return c.level == 9 && c.stdout }},
		{"-d9", func(c *config) bool { return c.mode == modeDecompress && c.level == 9 }},
		{"-kvf", func(c *config) bool { return !c.rm && c.verbose && c.force }},
		{"-19", func(c *config) bool { return c.level == 9 }},
		{"-9 -1", func(c *config) bool { return c.level == 1 }},
		{"--best", func(c *config) bool { return c.level == 9 }},
		{"--fast", func(c *config) bool { return c.level == 1 }},
		{"--uncompress", func(c *config) bool { return c.mode == modeDecompress }},
		{"--to-stdout", func(c *config) bool { return c.stdout }},
		{"-d -z", func(c *config) bool { return c.mode == modeCompress }},
		{"--rm -k", func(c *config) bool { return !c.rm }},
		{"-k --rm", func(c *config) bool { return c.rm }},
		{"--static --adaptive", func(c *config) bool { return c.static < 0 }},
		{"--adaptive --static", func(c *config) bool { return c.static > 0 }},
		{"-m orderk --order 3 -e rans", func(c *config) bool { return c.modelSet && c.coderSet && c.order == 3 }},
		{"--frame-size 64K --memory 1G", func(c *config) bool { return c.frameSize == 64<<10 && c.memory == 1<<30 }},
		{"-T0", func(c *config) bool { return c.threads == 0 }},
		{"-tq", func(c *config) bool { return c.mode == modeTest && c.quiet }},
		{"-lv", func(c *config) bool { return c.mode == modeList && c.verbose }},
	} {
		cfg, _, err := parseArgs(strings.Fields(c.args))
		if assert.NoError(t, err, c.args) {
			assert.True(t, c.check(cfg), "%s: %+v", c.args, cfg)
		}
	}
	for _, bad := range []string{"--bogus", "-x", "-m nonsense", "-e zip", "--order x", "--frame-size 3X", "--memory", "-T x"} {
		_, _, err := parseArgs(strings.Fields(bad))
		assert.Error(t, err, bad)
	}
}

func TestHelpListsEverything(t *testing.T) {
	var b bytes.Buffer
	printHelp(&b)
	help := b.String()
	newFlagSet(&config{}).VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			assert.Contains(t, help, "--"+f.Name, "help misses a flag")
		}
	})
	for l := 1; l <= 9; l++ {
		assert.Contains(t, help, fmt.Sprintf("  -%d  ", l), "help misses a preset")
	}
	for _, s := range []string{"order0", "orderk", "huffman", "arith", "rans", "cm", "lm", "(default)", "tar -I entzip"} {
		assert.Contains(t, help, s)
	}
}
