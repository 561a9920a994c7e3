package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/lmfixture"
)

// lmText is the input of the CLI's lm tests: text over several 4 KiB
// frames.
func lmText(t *testing.T) []byte {
	b, err := os.ReadFile("../../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	return b[:9000]
}

// writeFixture builds a logits file for data and writes it to dir/name.
func writeFixture(t *testing.T, dir, name string, data []byte, o lmfixture.Options) string {
	t.Helper()
	fx, err := lmfixture.Build(data, o)
	require.NoError(t, err)
	return writeFile(t, dir, name, fx.NPZ)
}

// TestLMCLIRoundTrip: byte-level logits exported by entzip logits (orderk,
// dense and top-k) and token-level logits of a made-up vocabulary, with
// each coder, through the binary: compress, list, test, decompress with
// a logits file without the tokens array.
func TestLMCLIRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := lmText(t)
	writeFile(t, dir, "f.txt", data)
	ok(t, dir, nil, "logits", "-m", "orderk", "--order", "2", "-o", "dense.npz", "f.txt")
	ok(t, dir, nil, "logits", "-m", "orderk", "--order", "2", "--topk", "16", "-o", "topk.npz", "f.txt")
	ok(t, dir, nil, "logits", "-m", "order0", "--topk", "4", "-z", "-o", "o0.npz", "f.txt")
	writeFixture(t, dir, "tok.npz", data, lmfixture.Options{Tokens: true})
	writeFixture(t, dir, "tok-dec.npz", data, lmfixture.Options{Tokens: true, OmitTokens: true})

	for _, c := range []struct{ enc, dec string }{
		{"dense.npz", "dense.npz"}, {"topk.npz", "topk.npz"}, {"o0.npz", "o0.npz"}, {"tok.npz", "tok-dec.npz"},
	} {
		for _, coder := range []string{"arith", "rans", "huffman"} {
			name := c.enc + "-" + coder
			ok(t, dir, nil, "-m", "lm", "--logits", c.enc, "-e", coder, "--frame-size", "4K", "-T", "2", "-o", name+".ez", "f.txt")
			r := ok(t, dir, nil, "-l", name+".ez")
			assert.Contains(t, string(r.stdout), "lm V=", name)
			assert.Regexp(t, `lm: (byte|token)-level logits, V=\d+, fingerprint [0-9a-f]{16}; \d+ tokens, \d+\.\d+ bits/token`, string(r.stdout), name)
			ok(t, dir, nil, "-t", "--logits", c.dec, name+".ez")
			ok(t, dir, nil, "-d", "--logits", c.dec, "-T", "3", name+".ez")
			assert.Equal(t, data, readFile(t, filepath.Join(dir, name)), name)
		}
	}
	noTempFiles(t, dir)
}

// TestLMCLIMatchesOrderK: coding with the logits entzip logits exports
// for orderk costs what orderk itself costs, less the code orderk stores
// in its frame, plus the lm header and the quantization (real
// predictions, end to end).
func TestLMCLIMatchesOrderK(t *testing.T) {
	dir := t.TempDir()
	data := lmText(t)
	writeFile(t, dir, "f.txt", data)
	ok(t, dir, nil, "logits", "-m", "orderk", "--order", "3", "-o", "k3.npz", "f.txt")
	lmSize := len(ok(t, dir, nil, "-c", "-m", "lm", "--logits", "k3.npz", "-e", "arith", "f.txt").stdout)
	kSize := len(ok(t, dir, nil, "-c", "-m", "orderk", "--order", "3", "-e", "arith", "f.txt").stdout)
	t.Logf("orderk 3: %d bytes; lm with its exported logits: %d bytes", kSize, lmSize)
	assert.InDelta(t, kSize, lmSize, 30, "the orderk frame stores its code (about 40 bytes here), the lm header has 14 more bytes; quantization costs a few")
}

// TestLMCLIMatchesCM: entzip logits -m cm exports cm's own predictions:
// coding with them (dense, or the 64 most likely bytes) round-trips and
// costs what cm -6 costs, plus the lm header and the quantization.
func TestLMCLIMatchesCM(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	writeFile(t, dir, "f.txt", data)
	ok(t, dir, nil, "logits", "-m", "cm", "-o", "dense.npz", "f.txt")
	ok(t, dir, nil, "logits", "-m", "cm", "--level", "6", "--topk", "64", "-o", "topk.npz", "f.txt")
	cmSize := len(ok(t, dir, nil, "-c", "-m", "cm", "-6", "f.txt").stdout)
	for _, name := range []string{"dense.npz", "topk.npz"} {
		ok(t, dir, nil, "-m", "lm", "--logits", name, "-o", name+".ez", "f.txt")
		lmSize := len(readFile(t, filepath.Join(dir, name+".ez")))
		t.Logf("cm -6: %d bytes; lm with its %s logits: %d bytes", cmSize, name, lmSize)
		assert.InEpsilon(t, cmSize, lmSize, 0.01, name)
		out := ok(t, dir, nil, "-dc", "--logits", name, name+".ez").stdout
		assert.Equal(t, data, out, name)
	}
}

// TestLMCLIErrors: a different logits file, none, a damaged one, model lm
// without logits and a bad cm level: clear errors, and no output written.
func TestLMCLIErrors(t *testing.T) {
	dir := t.TempDir()
	data := lmText(t)
	writeFile(t, dir, "f.txt", data)
	writeFixture(t, dir, "a.npz", data, lmfixture.Options{})
	writeFixture(t, dir, "b.npz", data, lmfixture.Options{Alter: true})
	ok(t, dir, nil, "-m", "lm", "--logits", "a.npz", "f.txt")
	require.NoError(t, os.Remove(filepath.Join(dir, "f.txt")))

	r := entzip(t, dir, nil, "-d", "--logits", "b.npz", "f.txt.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "logits mismatch")
	assert.NoFileExists(t, filepath.Join(dir, "f.txt"))

	r = entzip(t, dir, nil, "-d", "f.txt.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "give the same logits with --logits")
	assert.NoFileExists(t, filepath.Join(dir, "f.txt"))

	r = entzip(t, dir, nil, "-dc", "--logits", "b.npz", "f.txt.ez")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout, "nothing decoded to standard output either")

	// A truncated logits file.
	full := readFile(t, filepath.Join(dir, "a.npz"))
	writeFile(t, dir, "cut.npz", full[:len(full)/3])
	r = entzip(t, dir, nil, "-d", "--logits", "cut.npz", "f.txt.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "--logits: cut.npz:")
	assert.NoFileExists(t, filepath.Join(dir, "f.txt"))
	r = entzip(t, dir, nil, "-d", "--logits", "missing.npz", "f.txt.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "missing.npz")

	// Logits that do not fit the input: compressing fails, leaves nothing.
	writeFile(t, dir, "g.txt", append(append([]byte{}, data...), "more"...))
	r = entzip(t, dir, nil, "-m", "lm", "--logits", "a.npz", "g.txt")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "tokens do not reproduce the input")
	assert.NoFileExists(t, filepath.Join(dir, "g.txt.ez"))
	noTempFiles(t, dir)

	r = entzip(t, dir, nil, "-m", "orderk", "--logits", "a.npz", "g.txt")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "-m lm")

	r = entzip(t, dir, nil, "logits", "-m", "cm", "--level", "10", "-o", "c.npz", "g.txt")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "level 10 out of range")
	assert.NoFileExists(t, filepath.Join(dir, "c.npz"))
	r = entzip(t, dir, nil, "logits", "g.txt")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "-o OUT.npz")
	assert.Contains(t, string(ok(t, dir, nil, "logits", "--help").stdout), "ByteDist")
}

// TestLMCLIRemove: --rm verifies the output with the logits before
// removing the input.
func TestLMCLIRemove(t *testing.T) {
	dir := t.TempDir()
	data := lmText(t)
	writeFile(t, dir, "f.txt", data)
	writeFixture(t, dir, "a.npz", data, lmfixture.Options{Tokens: true})
	r := ok(t, dir, nil, "--rm", "-v", "-m", "lm", "--logits", "a.npz", "f.txt")
	assert.NoFileExists(t, filepath.Join(dir, "f.txt"))
	m := regexp.MustCompile(`(\d+) -> (\d+) bytes`).FindStringSubmatch(string(r.stderr))
	require.Len(t, m, 3, "%s", r.stderr)
	packed, _ := strconv.Atoi(m[2])
	assert.Less(t, packed, len(data)/2)
	ok(t, dir, nil, "-d", "--logits", "a.npz", "f.txt.ez")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "f.txt")))
}
