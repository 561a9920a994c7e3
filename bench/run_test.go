package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/container"
)

// quickOptions are Options that keep a test fast.
func quickOptions(ms ...Method) Options {
	return Options{Methods: ms, MinTime: time.Millisecond, MaxRuns: 2, MaxOrder: 2}
}

// testInputs are two small inputs: text and random bytes.
func testInputs(t *testing.T) []Input {
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 3000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	return []Input{{Name: "alice", Data: alice(t)[:8000]}, {Name: "random", Data: random}}
}

// brokenMethod is a method whose decompressor loses the last byte.
func brokenMethod() Method {
	return Method{
		Name:       "broken",
		Kind:       KindCustom,
		Compress:   func(dst, src []byte) ([]byte, error) { return append(dst, src...), nil },
		Decompress: func(dst, src []byte, n int) ([]byte, error) { return append(dst, src[:max(len(src)-1, 0)]...), nil },
	}
}

// TestRoundTripFailureIsAnError checks that a method that does not give
// back its input is reported as a failure, not as a number.
func TestRoundTripFailureIsAnError(t *testing.T) {
	good := EntzipMethod(container.Params{Model: container.Order0, Coder: container.Huffman, Static: true})
	rep, err := RunInputs(context.Background(), testInputs(t), quickOptions(good, brokenMethod()))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrRoundTrip)
	assert.Contains(t, err.Error(), "broken on alice")
	require.NotNil(t, rep, "the report comes with the error")
	for _, f := range rep.Files {
		require.Len(t, f.Results, 2)
		assert.Empty(t, f.Results[0].Error)
		assert.Positive(t, f.Results[0].CompressedBytes)
		bad := f.Results[1]
		assert.Contains(t, bad.Error, "round trip failed")
		assert.Equal(t, Result{Method: "broken", Error: bad.Error}, bad, "a failed result has no numbers")
	}
	assert.Empty(t, rep.Total(good.Name).Error)
	assert.Equal(t, "2 files failed", rep.Total("broken").Error)

	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text))
	assert.Contains(t, text.String(), "FAILED")

	// A method that fails to compress is an error too, not a round-trip
	// failure.
	failing := Method{Name: "failing", Kind: KindCustom,
		Compress:   func(dst, src []byte) ([]byte, error) { return nil, errors.New("no") },
		Decompress: func(dst, src []byte, n int) ([]byte, error) { return nil, nil },
	}
	_, err = RunInputs(context.Background(), testInputs(t)[:1], quickOptions(failing))
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrRoundTrip)
}

// TestTotalsAddUp checks the totals against the per-file results.
func TestTotalsAddUp(t *testing.T) {
	ms, _, err := Methods(Selection{Levels: []int{1, 3}, Baselines: []string{"gzip-go"}})
	require.NoError(t, err)
	inputs := testInputs(t)
	rep, err := RunInputs(context.Background(), inputs, quickOptions(ms...))
	require.NoError(t, err)
	require.Len(t, rep.Totals, len(ms))
	var n int64
	for _, in := range inputs {
		n += int64(len(in.Data))
	}
	for i, tot := range rep.Totals {
		assert.Equal(t, ms[i].Name, tot.Method)
		var c int64
		var ideal, model, cs float64
		for _, f := range rep.Files {
			res := f.Results[i]
			assert.Equal(t, tot.Method, res.Method)
			c += res.CompressedBytes
			cs += res.Timing.CompressSeconds
			if res.Ideal != nil {
				ideal += res.Ideal.Bits
				model += res.Ideal.ModelBits
			}
			assert.InDelta(t, 8*float64(res.CompressedBytes)/float64(f.Bytes), res.BitsPerByte, 1e-12)
			assert.GreaterOrEqual(t, res.Timing.CompressRuns, 1)
			assert.LessOrEqual(t, res.Timing.CompressRuns, 2)
			require.NotNil(t, res.Memory)
			assert.Equal(t, MemoryGoAlloc, res.Memory.Kind)
		}
		assert.Equal(t, 2, tot.Files)
		assert.Equal(t, n, tot.Bytes)
		assert.Equal(t, c, tot.CompressedBytes)
		assert.InDelta(t, 8*float64(c)/float64(n), tot.BitsPerByte, 1e-12)
		assert.InDelta(t, float64(n)/float64(c), tot.Ratio, 1e-12)
		assert.InDelta(t, cs, tot.CompressSeconds, 1e-12)
		if ms[i].Kind == KindEntzip {
			require.NotNil(t, tot.Ideal)
			assert.InDelta(t, ideal, tot.Ideal.Bits, 1e-6)
			assert.InDelta(t, model, tot.Ideal.ModelBits, 1e-6)
			assert.InDelta(t, 8*float64(c)-ideal-model, tot.Ideal.OverheadBits, 1e-6)
		} else {
			assert.Nil(t, tot.Ideal)
		}
	}
	require.Len(t, rep.Bounds, 3)
	for k, b := range rep.Bounds {
		want := 0.0
		for _, f := range rep.Files {
			want += f.Entropy.BoundBits(k)
		}
		assert.InDelta(t, want, b.Bits, 1e-6)
		assert.InDelta(t, want/float64(n), b.BitsPerByte, 1e-12)
	}
	assert.Equal(t, Schema, rep.Schema)
	assert.Equal(t, 2, rep.Settings.MaxOrder)
	assert.Positive(t, rep.Machine.Cores)
}

// TestJSONMatchesSchema checks that the JSON document decodes into the
// Report struct with no field left over and encodes back to the same
// bytes, and that its top-level fields are the documented ones.
func TestJSONMatchesSchema(t *testing.T) {
	rep, err := RunInputs(context.Background(), testInputs(t)[:1], quickOptions(
		EntzipMethod(container.Params{Model: container.OrderK, Order: 2, Coder: container.Arith}), brokenMethod()))
	require.ErrorIs(t, err, ErrRoundTrip)
	rep.Skipped = []Skipped{{Name: "7z-ppmd-o16", Reason: "7z not found on PATH"}}
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))

	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	var back Report
	require.NoError(t, dec.Decode(&back))
	var again bytes.Buffer
	require.NoError(t, back.WriteJSON(&again))
	assert.JSONEq(t, buf.String(), again.String())

	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(buf.Bytes(), &top))
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"schema", "date", "machine", "settings", "methods", "skipped", "files", "totals", "bounds"}, keys)
	assert.Contains(t, buf.String(), `"schema": "entzip-bench/1"`)

	// Every field of the schema is documented in docs/BENCH.md.
	doc, err := os.ReadFile(filepath.Join("..", "docs", "BENCH.md"))
	require.NoError(t, err)
	for _, field := range jsonFields(buf.Bytes()) {
		assert.Contains(t, string(doc), "`"+field+"`", "docs/BENCH.md does not document %q", field)
	}
}

// jsonFields returns every object key in a JSON document.
func jsonFields(doc []byte) []string {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				seen[k] = true
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	return out
}

// TestFormats checks the text, Markdown, CSV and plot outputs.
func TestFormats(t *testing.T) {
	ms, _, err := Methods(Selection{Levels: []int{1}, Baselines: []string{"zstd-go-default"}})
	require.NoError(t, err)
	rep, err := RunInputs(context.Background(), testInputs(t), quickOptions(ms...))
	require.NoError(t, err)

	var text, md, csvOut bytes.Buffer
	require.NoError(t, rep.WriteText(&text))
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteCSV(&csvOut))
	h0 := f3(rep.Files[0].Entropy.H0)
	for _, s := range []string{text.String(), md.String()} {
		assert.Contains(t, s, "order0-rans-static")
		assert.Contains(t, s, "zstd-go-default")
		assert.Contains(t, s, h0)
		assert.Contains(t, s, thousands(rep.Totals[0].CompressedBytes))
	}
	assert.Contains(t, md.String(), "| method |")
	assert.Contains(t, md.String(), "*H2 bound*")
	assert.NotContains(t, md.String(), "entropy rate")

	// With a known rate it is one more bound: rate × bytes.
	rep.Settings.Rate = 2.5
	var n int64
	for _, f := range rep.Files {
		n += f.Bytes
	}
	md.Reset()
	text.Reset()
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteText(&text))
	assert.Contains(t, md.String(), "| *entropy rate* |  | "+thousands(int64(2.5*float64(n)/8+0.5))+" | 2.500 |")
	assert.Contains(t, text.String(), "entropy rate 2.500")
	rep.Settings.Rate = 0

	recs, err := csv.NewReader(&csvOut).ReadAll()
	require.NoError(t, err)
	// Header, 2 files × 2 methods, 2 files × 3 bounds, 2 totals.
	require.Len(t, recs, 1+4+6+2)
	for _, r := range recs {
		assert.Len(t, r, len(recs[0]))
	}
	assert.Equal(t, "TOTAL", recs[len(recs)-1][0])
	assert.Equal(t, "bound", recs[5][3])

	for _, format := range []string{"svg", "png"} {
		var img bytes.Buffer
		require.NoError(t, rep.WritePlot(&img, format))
		if format == "png" {
			assert.True(t, bytes.HasPrefix(img.Bytes(), []byte("\x89PNG")))
		} else {
			assert.Contains(t, img.String(), "<svg")
			assert.Contains(t, img.String(), "H2 bound")
		}
	}
	_, err = PlotFormat("chart.gif")
	assert.Error(t, err)
	f, err := PlotFormat("chart.SVG")
	assert.NoError(t, err)
	assert.Equal(t, "svg", f)
}

// TestRunFiles checks Run on a directory and the child-process memory
// measurement, with the test binary as the child.
func TestRunFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), alice(t)[:4000], 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), alice(t)[4000:6000], 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hidden"), []byte("x"), 0o644))
	files, err := ExpandPaths([]string{dir})
	require.NoError(t, err)
	require.Len(t, files, 2)
	assert.Equal(t, "a.txt", files[0].Name)

	opts := quickOptions(EntzipMethod(container.Params{Model: container.Order0, Coder: container.Arith}))
	var progress []Progress
	opts.Progress = func(p Progress) { progress = append(progress, p) }
	if canChild() {
		self, err := os.Executable()
		require.NoError(t, err)
		opts.Child = []string{self, "-test.run=^TestServeChildHelper$", "--"}
	}
	rep, err := Run(context.Background(), []string{dir}, opts)
	require.NoError(t, err)
	require.Len(t, rep.Files, 2)
	assert.Equal(t, []Progress{{0, 2, "a.txt", "order0-arith"}, {1, 2, "b.txt", "order0-arith"}, {2, 2, "", ""}}, progress)
	if len(opts.Child) > 0 {
		t.Logf("memory through a child: %+v", *rep.Files[0].Results[0].Memory)
		assert.Equal(t, MemoryChildRSS, rep.Settings.Memory)
		for _, f := range rep.Files {
			assert.Positive(t, f.BaselineRSS)
			m := f.Results[0].Memory
			require.NotNil(t, m)
			assert.Equal(t, MemoryChildRSS, m.Kind)
			assert.Positive(t, m.Compress)
			assert.Positive(t, m.Decompress)
		}
	}

	_, err = Run(context.Background(), []string{filepath.Join(dir, "missing")}, opts)
	assert.Error(t, err)
	_, err = Run(context.Background(), []string{t.TempDir()}, opts)
	assert.ErrorContains(t, err, "no input files")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err = Run(ctx, []string{dir}, opts)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, rep)
}

// canChild reports whether this system reports peak RSS figures.
func canChild() bool { return selfPeakRSS() > 0 }

// TestServeChildHelper is the child process of TestRunFiles: it serves
// ServeChild when started with the arguments after "--".
func TestServeChildHelper(t *testing.T) {
	args := os.Args
	i := 0
	for i < len(args) && args[i] != "--" {
		i++
	}
	if i == len(args) {
		t.Skip("helper process for TestRunFiles")
	}
	if err := ServeChild(args[i+1:], os.Stdout); err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(1)
	}
	os.Exit(0)
}

func TestServeChild(t *testing.T) {
	if !canChild() {
		t.Skip("no peak RSS figures on this system")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	require.NoError(t, os.WriteFile(in, alice(t), 0o600))
	var out bytes.Buffer
	require.NoError(t, ServeChild([]string{"compress", "order0-huffman", in}, &out))
	assert.Regexp(t, `^peak [1-9]\d* floor 0\n$`, out.String())
	out.Reset()
	require.NoError(t, ServeChild([]string{"exec", filepath.Join(dir, "out"), "/bin/sh", "-c", "echo hi"}, &out))
	assert.Regexp(t, `^peak [1-9]\d* floor [1-9]\d*\n$`, out.String())
	b, err := os.ReadFile(filepath.Join(dir, "out"))
	require.NoError(t, err)
	assert.Equal(t, "hi\n", string(b))
	for _, bad := range [][]string{nil, {"read"}, {"compress", "nonsense", in}, {"decompress", "order0-huffman", in, "x"}, {"fly", "x"}} {
		assert.Error(t, ServeChild(bad, &out), strings.Join(bad, " "))
	}
}

func TestOptionsErrors(t *testing.T) {
	in := testInputs(t)[:1]
	m := brokenMethod()
	_, err := RunInputs(context.Background(), in, quickOptions(m, m))
	assert.ErrorContains(t, err, "given twice")
	_, err = RunInputs(context.Background(), in, quickOptions(Method{Name: "empty"}))
	assert.ErrorContains(t, err, "no Compress")
	o := quickOptions(m)
	o.MaxOrder = 99
	_, err = RunInputs(context.Background(), in, o)
	assert.Error(t, err)
}

func TestMedian(t *testing.T) {
	ms := time.Millisecond
	assert.Equal(t, 2*ms, median([]time.Duration{3 * ms, 1 * ms, 2 * ms}))
	assert.Equal(t, 2500*time.Microsecond, median([]time.Duration{4 * ms, 1 * ms, 2 * ms, 3 * ms}))
	assert.Equal(t, time.Duration(0), median(nil))
}
