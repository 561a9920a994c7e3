package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/bench"
)

// aliceText is the bundled test text, relative to this package.
var aliceText = filepath.Join("..", "..", "testdata", "alice-ch1-2.txt")

// quickBench are bench flags that keep a test fast: presets 1, 2 and 6
// (--quick also has -9, the slowest) and zstd-go-default.
var quickBench = []string{"bench", "--quick", "-L", "1,2,5", "--min-time", "1ms", "--max-runs", "1", "--max-order", "3"}

func TestBenchJSON(t *testing.T) {
	r := entzip(t, "", nil, append(quickBench, "--json", aliceText)...)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	dec := json.NewDecoder(bytes.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	var rep bench.Report
	require.NoError(t, dec.Decode(&rep))
	assert.Equal(t, bench.Schema, rep.Schema)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, "alice-ch1-2.txt", rep.Files[0].Name)
	assert.Len(t, rep.Methods, 4, "presets 1, 2, 6 and zstd-go-default")
	assert.Len(t, rep.Files[0].Entropy.H, 4)
	assert.Contains(t, rep.Command, "--quick")
	for i, res := range rep.Files[0].Results {
		assert.Empty(t, res.Error)
		assert.Equal(t, rep.Methods[i].Name, res.Method)
		assert.Positive(t, res.CompressedBytes)
		require.NotNil(t, res.Memory)
		if runtime.GOOS == "linux" {
			assert.Equal(t, bench.MemoryChildRSS, res.Memory.Kind, "entzip measures itself in a child")
			assert.Greater(t, res.Memory.Compress, int64(1<<20))
		}
	}
	assert.Equal(t, rep.Files[0].Results[0].CompressedBytes, rep.Totals[0].CompressedBytes)
	assert.NotContains(t, string(r.stderr), "\r", "no progress bar when standard error is not a terminal")
}

func TestBenchFormats(t *testing.T) {
	dir := t.TempDir()
	plot := filepath.Join(dir, "bpb.svg")
	r := entzip(t, "", nil, append(quickBench, "--md", "--plot", plot, aliceText)...)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	md := string(r.stdout)
	assert.Contains(t, md, "| method | preset | bytes | bits/B |")
	assert.Contains(t, md, "| orderk4-arith-m21 | -5 |")
	assert.Contains(t, md, "*H3 bound*")
	svg, err := os.ReadFile(plot)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<svg")

	// A saved JSON report formats the same without running anything.
	saved := filepath.Join(dir, "report.json")
	r = entzip(t, "", nil, append(quickBench, "--json", aliceText)...)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	require.NoError(t, os.WriteFile(saved, r.stdout, 0o644))
	r = entzip(t, "", nil, "bench", "--from", saved, "--md", "--plot", filepath.Join(dir, "again.png"))
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, string(r.stdout), "| orderk4-arith-m21 | -5 |")
	assert.FileExists(t, filepath.Join(dir, "again.png"))
	r = entzip(t, "", nil, "bench", "--from", aliceText)
	assert.Equal(t, exitError, r.code, "not a report")
	r = entzip(t, "", nil, "bench", "--from", saved, aliceText)
	assert.Equal(t, exitUsage, r.code)

	r = entzip(t, "", nil, append(quickBench, "--csv", aliceText)...)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	recs, err := csv.NewReader(bytes.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "file", recs[0][0])
	assert.Len(t, recs, 1+4+4+4)

	r = entzip(t, "", nil, "bench", "--quick", "--baseline", "none", "-L", "1", "--min-time", "1ms", aliceText)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	out := string(r.stdout)
	assert.Contains(t, out, "alice-ch1-2.txt: 23,625 bytes")
	assert.Contains(t, out, "TOTAL: 1 file")
	assert.Contains(t, out, "order0-rans-static")
	assert.NotContains(t, out, "zstd")
	assert.Contains(t, string(r.stderr), "1 file × 1 method")
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench"},
		{"bench", "--json", "--csv", aliceText},
		{"bench", "--baseline", "lz4", aliceText},
		{"bench", "-m", "zip", aliceText},
		{"bench", "--max-order", "9", aliceText},
		{"bench", "--plot", "x.gif", aliceText},
		{"bench", "--bogus", aliceText},
		{"bench", "--rate", "9", aliceText},
		{"entropy"},
		{"entropy", "--max-order", "-1", aliceText},
		{"entropy", "-m", "lm", aliceText},
		{"entropy", "-m", "cm", "--mem-bits", "20", aliceText},
		{"entropy", "--order", "9", aliceText},
	} {
		r := entzip(t, "", nil, args...)
		assert.Equal(t, exitUsage, r.code, "%q: %s", args, r.stderr)
	}
	r := entzip(t, "", nil, "bench", "missing-file")
	assert.Equal(t, exitError, r.code)
	r = entzip(t, "", nil, "entropy", "missing-file")
	assert.Equal(t, exitError, r.code)
	r = entzip(t, "", nil, "entropy", "-m", "lm", aliceText)
	assert.Contains(t, string(r.stderr), "no adaptive byte model")
	// Every model with an adaptive byte model has its cross-entropy.
	r = entzip(t, "", nil, "entropy", "-m", "order0,orderk,cm", aliceText)
	assert.Equal(t, exitOK, r.code, "%s", r.stderr)
	for _, m := range []string{"order0", "orderk4", "cm"} {
		assert.Contains(t, string(r.stdout), m)
	}
}

func TestBenchHelp(t *testing.T) {
	var b bytes.Buffer
	printBenchHelp(&b)
	newBenchFlags(&benchConfig{}).VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			assert.Contains(t, b.String(), "--"+f.Name)
		}
	})
	b.Reset()
	printEntropyHelp(&b)
	newEntropyFlags(&entropyConfig{}).VisitAll(func(f *pflag.Flag) {
		assert.Contains(t, b.String(), "--"+f.Name)
	})
	r := entzip(t, "", nil, "bench", "-h")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, string(r.stdout), "Usage: entzip bench")
	b.Reset()
	printHelp(&b)
	assert.Contains(t, b.String(), "entzip bench")
	assert.Contains(t, b.String(), "entzip entropy")
}

func TestEntropyCommand(t *testing.T) {
	data, err := os.ReadFile(aliceText)
	require.NoError(t, err)
	want, err := bench.Entropy(data, 2)
	require.NoError(t, err)

	r := entzip(t, "", nil, "entropy", "--json", "--max-order", "2", "-m", "order0,orderk", "--order", "1,3", aliceText)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	var doc struct {
		Schema string
		Files  []entropyFile
	}
	require.NoError(t, json.Unmarshal(r.stdout, &doc))
	assert.Equal(t, entropySchema, doc.Schema)
	require.Len(t, doc.Files, 1)
	assert.Equal(t, want, doc.Files[0].Profile)
	var names []string
	for _, m := range doc.Files[0].Models {
		names = append(names, m.Model)
		assert.InDelta(t, m.Bits/float64(len(data)), m.BitsPerByte, 1e-12)
		assert.Less(t, m.BitsPerByte, 5.0)
	}
	assert.Equal(t, []string{"order0", "orderk1", "orderk3"}, names)

	r = entzip(t, "", nil, "entropy", aliceText)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	out := string(r.stdout)
	for _, s := range []string{"H0 ", "Miller–Madow", "Hartley", "Rényi H2", "min-entropy", "perplexity", "H4 "} {
		assert.Contains(t, out, s)
	}
	assert.Contains(t, out, "4.5119")
	assert.Equal(t, 1, strings.Count(out, "bytes, 70 distinct"))
}
