package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/container"
)

func TestRoundTripFile(t *testing.T) {
	dir := t.TempDir()
	data := sample(100_000, 1)
	writeFile(t, dir, "f.txt", data)

	r := ok(t, dir, nil, "f.txt")
	assert.Empty(t, r.stdout)
	assert.Empty(t, r.stderr)
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "f.txt")), "input must be kept")
	packed := readFile(t, filepath.Join(dir, "f.txt.ez"))
	assert.Less(t, len(packed), len(data)/2)

	require.NoError(t, os.Remove(filepath.Join(dir, "f.txt")))
	ok(t, dir, nil, "-d", "f.txt.ez")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "f.txt")))
	assert.FileExists(t, filepath.Join(dir, "f.txt.ez"), "input must be kept")
	noTempFiles(t, dir)
}

func TestStdinStdout(t *testing.T) {
	dir := t.TempDir()
	data := sample(50_000, 2)
	packed := ok(t, dir, data).stdout
	assert.Less(t, len(packed), len(data))
	assert.Equal(t, data, ok(t, dir, packed, "-d").stdout)
	assert.Equal(t, data, ok(t, dir, packed, "-d", "-").stdout)
	assert.Equal(t, packed, ok(t, dir, data, "-").stdout)

	// Empty input round-trips too.
	empty := ok(t, dir, nil).stdout
	assert.NotEmpty(t, empty)
	assert.Empty(t, ok(t, dir, empty, "-d").stdout)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "filters write no files")
}

func TestCombinedFlags(t *testing.T) {
	dir := t.TempDir()
	data := sample(30_000, 3)
	writeFile(t, dir, "f", data)

	for _, args := range [][]string{{"-c"}, {"-9c"}, {"-c1"}, {"-3c"}, {"--best", "-c"}, {"--fast", "-c"}, {"-c", "-m", "order0", "-e", "huffman"}} {
		packed := ok(t, dir, nil, append(args, "f")...).stdout
		require.NotEmpty(t, packed, args)
		writeFile(t, dir, "p.ez", packed)
		for _, d := range [][]string{{"-dc"}, {"-cd"}, {"-d9", "-c"}, {"--decompress", "--stdout"}, {"--uncompress", "-c"}} {
			assert.Equal(t, data, ok(t, dir, nil, append(d, "p.ez")...).stdout, "%v then %v", args, d)
		}
	}
	// -kvf: keep, verbose, force (overwrite the f.ez of a first run).
	ok(t, dir, nil, "f")
	r := ok(t, dir, nil, "-kvf", "f")
	assert.Contains(t, string(r.stderr), "f: ")
	assert.Contains(t, string(r.stderr), "bits/byte")
	assert.Contains(t, string(r.stderr), "MB/s")
	assert.FileExists(t, filepath.Join(dir, "f"))
}

func TestPresetsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := sample(20_000, 4)
	for l := 1; l <= 9; l++ {
		flag := "-" + string(rune('0'+l))
		packed := ok(t, dir, data, flag).stdout
		assert.Equal(t, data, ok(t, dir, packed, "-d").stdout, flag)
	}
}

// TestLevelAndMemBits: -L N is -N, and --mem-bits sets the model memory
// the stream records, as the library's WithLevel and WithMemBits do.
func TestLevelAndMemBits(t *testing.T) {
	dir := t.TempDir()
	data := sample(20_000, 4)
	assert.Equal(t, ok(t, dir, data, "-3").stdout, ok(t, dir, data, "-L", "3").stdout)
	assert.Equal(t, ok(t, dir, data, "-7", "-m", "cm").stdout, ok(t, dir, data, "--level=7", "-m", "cm").stdout)
	small := ok(t, dir, data, "-m", "orderk", "--mem-bits", "16").stdout
	want, err := container.Compress(nil, data, container.WithModel(container.OrderK), container.WithMemBits(16))
	require.NoError(t, err)
	assert.Equal(t, want, small)
	assert.Equal(t, data, ok(t, dir, small, "-d").stdout)
	for _, args := range [][]string{{"-L", "0"}, {"-L", "10"}, {"--mem-bits", "x"}, {"-m", "cm", "--mem-bits", "20"}} {
		assert.Equal(t, 2, entzip(t, dir, data, args...).code, "%v", args)
	}
}

// TestCodewordsFlags: --codewords and --no-codewords choose how orderk
// codes bytes, -l -v says which, and other models refuse the flag.
func TestCodewordsFlags(t *testing.T) {
	dir := t.TempDir()
	data := sample(30_000, 6)
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-5"}, true},
		{[]string{"-5", "--no-codewords"}, false},
		{[]string{"-m", "orderk", "--solid", "--frame-size", "4K"}, false},
		{[]string{"-m", "orderk", "--solid", "--frame-size", "4K", "--codewords"}, true},
	} {
		writeFile(t, dir, "f.ez", ok(t, dir, data, tc.args...).stdout)
		list := string(ok(t, dir, nil, "-l", "-v", "f.ez").stdout)
		assert.Equal(t, tc.want, strings.Contains(list, "codewords"), "%v: %s", tc.args, list)
		assert.Equal(t, data, ok(t, dir, nil, "-d", "-c", "f.ez").stdout, "%v", tc.args)
	}
	r := entzip(t, dir, data, "-m", "cm", "--codewords")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "codewords belong to the adaptive orderk model")
}

func TestOutputFlag(t *testing.T) {
	dir := t.TempDir()
	data := sample(40_000, 5)
	writeFile(t, dir, "in", data)
	ok(t, dir, nil, "-o", "out.bin", "in")
	assert.NoFileExists(t, filepath.Join(dir, "in.ez"))
	ok(t, dir, nil, "-d", "-o", "back", "out.bin") // no .ez suffix needed with -o
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "back")))
	// From standard input to -o.
	ok(t, dir, data, "--output=stdin.ez")
	ok(t, dir, nil, "-do", "stdin.back", "stdin.ez")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "stdin.back")))
	// -o - is standard output.
	assert.Equal(t, data, ok(t, dir, nil, "-d", "-o", "-", "out.bin").stdout)

	// -o with several inputs is a usage error.
	writeFile(t, dir, "in2", data)
	r := entzip(t, dir, nil, "-o", "x", "in", "in2")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "-o")
	assert.NoFileExists(t, filepath.Join(dir, "x"))
	// -o never makes a file its own output.
	r = entzip(t, dir, nil, "-f", "-o", "in", "in")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "same file")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "in")))
}

func TestKeepAndRemove(t *testing.T) {
	dir := t.TempDir()
	data := sample(10_000, 6)
	writeFile(t, dir, "a", data)
	ok(t, dir, nil, "-k", "a")
	assert.FileExists(t, filepath.Join(dir, "a"))

	writeFile(t, dir, "b", data)
	ok(t, dir, nil, "--rm", "b")
	assert.NoFileExists(t, filepath.Join(dir, "b"))
	ok(t, dir, nil, "-d", "--rm", "b.ez")
	assert.NoFileExists(t, filepath.Join(dir, "b.ez"))
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "b")))

	// The last of -k and --rm wins; -c never removes.
	writeFile(t, dir, "c", data)
	ok(t, dir, nil, "--rm", "-k", "c")
	assert.FileExists(t, filepath.Join(dir, "c"))
	ok(t, dir, nil, "--rm", "-c", "c")
	assert.FileExists(t, filepath.Join(dir, "c"))

	// A failed file is never removed.
	writeFile(t, dir, "d.ez", []byte("not entzip data"))
	r := entzip(t, dir, nil, "-d", "--rm", "d.ez")
	assert.Equal(t, 1, r.code)
	assert.FileExists(t, filepath.Join(dir, "d.ez"))
	assert.NoFileExists(t, filepath.Join(dir, "d"))
}

func TestNoOverwriteWithoutForce(t *testing.T) {
	dir := t.TempDir()
	data := sample(10_000, 7)
	writeFile(t, dir, "f", data)
	writeFile(t, dir, "f.ez", []byte("precious"))

	r := entzip(t, dir, nil, "f")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "entzip: f.ez: already exists")
	assert.Equal(t, []byte("precious"), readFile(t, filepath.Join(dir, "f.ez")))
	noTempFiles(t, dir)

	ok(t, dir, nil, "-f", "f")
	assert.Equal(t, data, ok(t, dir, nil, "-dc", "f.ez").stdout)

	// Decompressing over an existing file, too.
	r = entzip(t, dir, nil, "-d", "f.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "entzip: f: already exists")
	ok(t, dir, nil, "-df", "f.ez")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "f")))
}

// corrupt returns packed with one byte in the middle flipped.
func corrupt(packed []byte) []byte {
	b := bytes.Clone(packed)
	b[len(b)/2] ^= 0x55
	return b
}

func TestTestMode(t *testing.T) {
	dir := t.TempDir()
	data := sample(200_000, 8)
	writeFile(t, dir, "f", data)
	ok(t, dir, nil, "--frame-size", "64K", "f")
	before := dirContents(t, dir)
	r := ok(t, dir, nil, "-t", "f.ez")
	assert.Contains(t, string(r.stderr), "f.ez: OK")
	assert.Empty(t, r.stdout)
	assert.Empty(t, ok(t, dir, nil, "-tq", "f.ez").stderr)
	assert.Empty(t, ok(t, dir, nil, "-tq", "-T", "2", "--rm", "f.ez").stderr)
	assert.Equal(t, before, dirContents(t, dir), "-t wrote or removed files")

	// -t decodes to the end: damage in the last frame and in the end
	// marker is found.
	packed := readFile(t, filepath.Join(dir, "f.ez"))
	for _, at := range []int{len(packed) - 40, len(packed) - 1} {
		b := bytes.Clone(packed)
		b[at] ^= 1
		writeFile(t, dir, "end.ez", b)
		assert.Equal(t, 1, entzip(t, dir, nil, "-t", "end.ez").code, "flipped byte %d of %d", at, len(packed))
	}

	writeFile(t, dir, "bad.ez", corrupt(readFile(t, filepath.Join(dir, "f.ez"))))
	r = entzip(t, dir, nil, "-t", "f.ez", "bad.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "f.ez: OK")
	assert.Contains(t, string(r.stderr), "entzip: bad.ez: ")
	assert.NotContains(t, string(r.stderr), "entzip: entzip", "doubled prefix")
	assert.Empty(t, r.stdout)

	// Truncated and foreign input.
	writeFile(t, dir, "short.ez", packed[:len(packed)-7])
	r = entzip(t, dir, nil, "-t", "short.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "truncated")
	r = entzip(t, dir, data, "-t")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "not an entzip stream")
}

func TestCorruptLeavesNoOutput(t *testing.T) {
	dir := t.TempDir()
	data := sample(300_000, 9)
	packed := ok(t, dir, data, "--frame-size", "64K").stdout
	writeFile(t, dir, "bad.ez", corrupt(packed))
	r := entzip(t, dir, nil, "-d", "bad.ez")
	assert.Equal(t, 1, r.code)
	assert.True(t, strings.HasPrefix(string(r.stderr), "entzip: bad.ez: "), "%s", r.stderr)
	assert.NoFileExists(t, filepath.Join(dir, "bad"))
	noTempFiles(t, dir)
	// To standard output, the frames before the damage come out; the exit
	// status still says it failed.
	r = entzip(t, dir, nil, "-dc", "bad.ez")
	assert.Equal(t, 1, r.code)
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a", sample(60_000, 10))
	writeFile(t, dir, "b", sample(70_000, 11))
	ok(t, dir, nil, "-m", "orderk", "--order", "2", "-e", "arith", "a")
	ok(t, dir, nil, "-1", "b")

	r := ok(t, dir, nil, "-l", "a.ez", "b.ez")
	out := string(r.stdout)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 4, out)
	for _, h := range []string{"Compressed", "Uncompressed", "Ratio", "Bits/B", "Model", "Coder", "Frames", "Filename"} {
		assert.Contains(t, lines[0], h)
	}
	assert.Contains(t, lines[1], "orderk k=2")
	assert.Contains(t, lines[1], "arith")
	assert.Contains(t, lines[1], "60000")
	assert.Contains(t, lines[1], "%")
	assert.Contains(t, lines[2], "order0")
	assert.Contains(t, lines[2], "rans")
	assert.Contains(t, lines[3], "2 files")
	assert.Contains(t, lines[3], "130000")
	// Columns line up: every row as long as the header up to the name.
	nameCol := strings.Index(lines[0], "Filename")
	assert.Equal(t, "a.ez", lines[1][nameCol:])

	// From standard input, and a non-entzip file among others.
	assert.Contains(t, string(ok(t, dir, readFile(t, filepath.Join(dir, "a.ez")), "-l").stdout), "(stdin)")
	r = entzip(t, dir, nil, "-l", "a", "b.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "entzip: a: not an entzip stream")
	assert.Contains(t, string(r.stdout), "b.ez")
}

func TestRefusedPair(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f", sample(1000, 12))
	r := entzip(t, dir, nil, "-m", "orderk", "--order", "5", "-e", "huffman", "f")
	assert.Equal(t, 2, r.code)
	msg := string(r.stderr)
	assert.Contains(t, msg, "huffman")
	assert.Contains(t, msg, "arith")
	assert.Contains(t, msg, "rans")
	assert.True(t, strings.HasPrefix(msg, "entzip: "), msg)
	assert.NotContains(t, msg, "entzip: entzip")
	assert.NoFileExists(t, filepath.Join(dir, "f.ez"))

	r = entzip(t, dir, nil, "-c", "-m", "lm", "f")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "--logits")
	assert.Empty(t, r.stdout)

	r = entzip(t, dir, nil, "-c", "-m", "cm", "-e", "huffman", "f")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "prefix code")
	assert.Contains(t, string(r.stderr), "arith")
	assert.Empty(t, r.stdout)
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"--bogus"}, {"-x"}, {"-m", "zip"}, {"-e", "zip"}, {"--frame-size", "3X"}, {"--frame-size", "5000"}, {"--order"}, {"-T", "-1"}, {"--memory", "0"}} {
		r := entzip(t, dir, nil, args...)
		assert.Equal(t, 2, r.code, "%v: %s", args, r.stderr)
		assert.True(t, strings.HasPrefix(string(r.stderr), "entzip: "), "%v: %s", args, r.stderr)
		assert.Contains(t, string(r.stderr), "--help", args)
		assert.Empty(t, r.stdout, args)
	}
	r := ok(t, dir, nil, "-h")
	assert.Contains(t, string(r.stdout), "Usage: entzip")
	assert.Contains(t, string(ok(t, dir, nil, "-V").stdout), "entzip")
}

func TestKeepGoingAfterFailure(t *testing.T) {
	dir := t.TempDir()
	data := sample(5000, 13)
	writeFile(t, dir, "good", data)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	writeFile(t, dir, "already.ez", data)

	r := entzip(t, dir, nil, "missing", "sub", "already.ez", "good")
	assert.Equal(t, 1, r.code)
	msg := string(r.stderr)
	assert.Contains(t, msg, "entzip: missing: no such file or directory")
	assert.Contains(t, msg, "entzip: sub is a directory -- ignored")
	assert.Contains(t, msg, "entzip: already.ez already has .ez suffix -- unchanged")
	assert.Equal(t, data, ok(t, dir, nil, "-dc", "good.ez").stdout)
	assert.NoFileExists(t, filepath.Join(dir, "already.ez.ez"))

	// -q silences the warnings, not the errors.
	require.NoError(t, os.Remove(filepath.Join(dir, "good.ez")))
	r = entzip(t, dir, nil, "-q", "missing", "sub", "good")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "entzip: missing: no such file or directory\n", string(r.stderr))

	// Decompressing a name without .ez is skipped.
	r = entzip(t, dir, nil, "-d", "good", "good.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "entzip: good: unknown suffix -- ignored")
}

func TestMetadataPreserved(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "f", sample(10_000, 14))
	require.NoError(t, os.Chmod(p, 0o640))
	mtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	require.NoError(t, os.Chtimes(p, mtime, mtime))

	ok(t, dir, nil, "f")
	st, err := os.Stat(p + ".ez")
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	assert.True(t, st.ModTime().Equal(mtime), "mtime %v", st.ModTime())

	require.NoError(t, os.Remove(p))
	ok(t, dir, nil, "-d", "f.ez")
	st, err = os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	assert.True(t, st.ModTime().Equal(mtime), "mtime %v", st.ModTime())
}

func TestConcatenatedStreams(t *testing.T) {
	dir := t.TempDir()
	a, b := sample(5000, 15), sample(7000, 16)
	pa := ok(t, dir, a, "-1").stdout
	pb := ok(t, dir, b, "-6").stdout
	assert.Equal(t, append(bytes.Clone(a), b...), ok(t, dir, append(bytes.Clone(pa), pb...), "-d").stdout)
}

func TestTar(t *testing.T) {
	tar, err := exec.LookPath("tar")
	if err != nil {
		t.Skip("no tar")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	require.NoError(t, os.MkdirAll(filepath.Join(src, "d"), 0o755))
	writeFile(t, src, "a", sample(20_000, 18))
	writeFile(t, filepath.Join(src, "d"), "b", sample(3000, 19))
	env := append(os.Environ(), "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))

	c := exec.Command(tar, "-I", "entzip", "-cf", filepath.Join(dir, "x.tar.ez"), "-C", src, ".")
	c.Env = env
	out, err := c.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "dst"), 0o755))
	c = exec.Command(tar, "-I", "entzip", "-xf", filepath.Join(dir, "x.tar.ez"), "-C", filepath.Join(dir, "dst"))
	c.Env = env
	out, err = c.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, readFile(t, filepath.Join(src, "d", "b")), readFile(t, filepath.Join(dir, "dst", "d", "b")))
	assert.Equal(t, readFile(t, filepath.Join(src, "a")), readFile(t, filepath.Join(dir, "dst", "a")))
}
