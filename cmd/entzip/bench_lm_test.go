package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/bench"
	"github.com/entzip/entzip/internal/lmfixture"
)

// TestBenchLogits: --logits adds model lm with every coder (or those of
// -e) as rows with the per-token figures; -m lm alone runs only it; the
// logits fit exactly one input.
func TestBenchLogits(t *testing.T) {
	dir := t.TempDir()
	data := lmText(t)
	in := writeFile(t, dir, "f.txt", data)
	logits := writeFixture(t, dir, "f.npz", data, lmfixture.Options{Tokens: true, TopK: 24, RestLogit: true})
	quick := []string{"bench", "--min-time", "1ms", "--max-runs", "1", "--max-order", "1", "--baseline", "none"}

	r := entzip(t, "", nil, append(quick, "-m", "lm", "--logits", logits, "--json", in)...)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	dec := json.NewDecoder(bytes.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	var rep bench.Report
	require.NoError(t, dec.Decode(&rep))
	var names []string
	for _, m := range rep.Methods {
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"lm-arith", "lm-rans", "lm-huffman"}, names)
	for _, res := range rep.Files[0].Results {
		require.Empty(t, res.Error)
		require.NotNil(t, res.LM, res.Method)
		assert.Positive(t, res.LM.Perplexity)
		assert.Greater(t, res.LM.BitsPerToken, res.LM.CrossEntropyBitsPerToken)
		assert.InEpsilon(t, res.LM.CrossEntropyBits, res.Ideal.Bits, 1e-12)
	}

	r = entzip(t, "", nil, append(quick, "-L", "1", "-e", "rans", "--logits", logits, in)...)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	out := string(r.stdout)
	assert.Contains(t, out, "lm-rans")
	assert.NotContains(t, out, "lm-arith")
	assert.Contains(t, out, "language model (--logits), per token:")
	assert.Contains(t, out, "perplexity")

	for _, args := range [][]string{
		append(quick, "--logits", logits, in, in),
		append(quick, "--logits", logits, dir),
		append(quick, "-m", "lm", in),
		{"bench", "--from", "x.json", "--logits", logits},
	} {
		r := entzip(t, "", nil, args...)
		assert.Equal(t, exitUsage, r.code, "%q: %s", args, r.stderr)
	}
	r = entzip(t, "", nil, append(quick, "-m", "lm", "--logits", filepath.Join(dir, "missing.npz"), in)...)
	assert.Equal(t, exitError, r.code)
}
