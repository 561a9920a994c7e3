package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRange decompresses ranges of streams of every model, solid or not,
// with and without a frame index.
func TestRange(t *testing.T) {
	dir := t.TempDir()
	data := sample(20_000, 7)
	writeFile(t, dir, "f", data)
	n := len(data)
	for i, args := range [][]string{
		{"-1"}, {"-2"}, {"-4"}, {"-m", "order0", "-e", "arith"}, {"-e", "huffman"},
		{"-m", "cm", "-1", "--index"}, {"-m", "cm", "-1", "--restart", "2", "--index"}, {"-4", "--solid", "--index"},
		{"-4", "--index"},
	} {
		name := fmt.Sprintf("f%d.ez", i)
		args = append(args, "-k", "--frame-size", "4K", "-o", name, "f")
		ok(t, dir, nil, args...)
		for _, r := range []struct{ off, length int }{{0, 1}, {n - 1, 1}, {4093, 6}, {4095, 8194}, {100, 0}, {n, 0}, {0, n}} {
			got := ok(t, dir, nil, "-d", "--range", fmt.Sprintf("%d:%d", r.off, r.length), name).stdout
			assert.Equal(t, data[r.off:r.off+r.length], got, "%v %d:%d", args, r.off, r.length)
		}
		assert.Equal(t, data[n-10:], ok(t, dir, nil, "-d", "--range", fmt.Sprintf("%d:", n-10), name).stdout)
		r := entzip(t, dir, nil, "-d", "--range", fmt.Sprintf("%d:%d", n-5, 10), name)
		assert.Equal(t, 1, r.code)
		assert.Contains(t, string(r.stderr), "past the end of the data")
		assert.Empty(t, r.stdout)
	}
	// A solid stream warns that it decodes from the start.
	r := ok(t, dir, nil, "-d", "--range", "9000:10", "f6.ez")
	assert.Equal(t, data[9000:9010], r.stdout)
	assert.Empty(t, r.stderr, "restarts every 2 frames: byte 9000 is in frame 2, a restart")
	r = ok(t, dir, nil, "-d", "--range", "15000:10", "f6.ez")
	assert.Equal(t, data[15000:15010], r.stdout)
	assert.Contains(t, string(r.stderr), "restarts its model every 2 frames")
	r = ok(t, dir, nil, "-d", "--range", "17000:10", "f7.ez")
	assert.Contains(t, string(r.stderr), "solid")
	assert.Equal(t, data[17000:17010], r.stdout)
	noTempFiles(t, dir)
}

func TestListFrames(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f", sample(20_000, 8))
	ok(t, dir, nil, "-4", "--index", "--frame-size", "4K", "f")
	out := string(ok(t, dir, nil, "-l", "-v", "f.ez").stdout)
	assert.Contains(t, out, "5 frames from its frame index")
	assert.Contains(t, out, "Raw offset")
	assert.Contains(t, out, "16384")
}

// TestCorruptIndex damages a frame index: -d still restores the file,
// with a warning, and --range and -t fail naming the index.
func TestCorruptIndex(t *testing.T) {
	dir := t.TempDir()
	data := sample(20_000, 9)
	writeFile(t, dir, "f", data)
	ok(t, dir, nil, "-4", "--index", "--frame-size", "4K", "f")
	z := readFile(t, filepath.Join(dir, "f.ez"))
	z[len(z)-15] ^= 0x40 // inside the index entries
	writeFile(t, dir, "f.ez", z)
	require.NoError(t, os.Remove(filepath.Join(dir, "f")))
	r := ok(t, dir, nil, "-d", "f.ez")
	assert.Contains(t, string(r.stderr), "frame index")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "f")))
	r = entzip(t, dir, nil, "-d", "--range", "0:10", "f.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "frame index")
	r = entzip(t, dir, nil, "-t", "f.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "frame index")
}

func TestTrainAndDictionary(t *testing.T) {
	dir := t.TempDir()
	var samples []string
	for i := range 30 {
		name := fmt.Sprintf("s%02d.json", i)
		writeFile(t, dir, name, []byte(fmt.Sprintf(`{"id":%d,"name":"user %d","tags":["alpha","beta"],"active":true,"score":%d}`, i, i*7, i*13)))
		samples = append(samples, name)
	}
	r := ok(t, dir, nil, append([]string{"--train", "--maxdict", "1K", "-o", "d.ezd"}, samples...)...)
	assert.Contains(t, string(r.stderr), "dictionary")
	data := []byte(`{"id":99,"name":"user 693","tags":["alpha","beta"],"active":true,"score":1287}`)
	writeFile(t, dir, "rec.json", data)
	with := ok(t, dir, nil, "-D", "d.ezd", "-c", "rec.json").stdout
	without := ok(t, dir, nil, "-c", "rec.json").stdout
	assert.Less(t, len(with), len(without))
	writeFile(t, dir, "rec.json.ez", with)
	require.NoError(t, os.Remove(filepath.Join(dir, "rec.json")))
	r = entzip(t, dir, nil, "-d", "rec.json.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "give it with -D")
	assert.NoFileExists(t, filepath.Join(dir, "rec.json"), "no output without the dictionary")
	ok(t, dir, nil, "--train", "-o", "other.ezd", "s00.json")
	r = entzip(t, dir, nil, "-d", "-D", "other.ezd", "rec.json.ez")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "not with the one given")
	ok(t, dir, nil, "-d", "-D", "d.ezd", "rec.json.ez")
	assert.Equal(t, data, readFile(t, filepath.Join(dir, "rec.json")))
	// A damaged dictionary is refused before anything is written.
	d := readFile(t, filepath.Join(dir, "d.ezd"))
	d[len(d)/2] ^= 1
	writeFile(t, dir, "bad.ezd", d)
	r = entzip(t, dir, nil, "-D", "bad.ezd", "-c", "rec.json")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, string(r.stderr), "checksum")
	assert.Empty(t, r.stdout)
	// Static codes have no model to prime.
	r = entzip(t, dir, nil, "-1", "-D", "d.ezd", "-c", "rec.json")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "adaptive")
	noTempFiles(t, dir)
}

func TestStreamUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f", []byte("x"))
	for _, args := range [][]string{
		{"--range", "0:1", "f"},
		{"-d", "--range", "1", "f"},
		{"-d", "--range", "x:1", "f"},
		{"--train", "-d", "f"},
		{"--maxdict", "1K", "f"},
		{"--restart", "0", "f"},
		{"--restart", "2", "--no-solid", "f"},
	} {
		r := entzip(t, dir, nil, args...)
		assert.Equal(t, 2, r.code, "%s: %s", strings.Join(args, " "), r.stderr)
	}
}
