package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/internal/lmfixture"
	"github.com/entzip/entzip/model/lm"
)

// lmLogits writes the fixture o describes for data to a temporary file and
// opens it.
func lmLogits(t *testing.T, data []byte, o lmfixture.Options) (*Logits, lmfixture.Fixture) {
	t.Helper()
	fx, err := lmfixture.Build(data, o)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "logits.npz")
	require.NoError(t, os.WriteFile(path, fx.NPZ, 0o600))
	f, err := lm.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return &Logits{Path: path, File: f}, fx
}

// TestLMBits checks the float cross-entropy against the fixture's own, on
// every kind of logits file, and that the quantized rows cost a little
// more.
func TestLMBits(t *testing.T) {
	data := alice(t)[:3000]
	for _, tc := range []struct {
		name string
		o    lmfixture.Options
	}{
		{"bytes", lmfixture.Options{}},
		{"bytes-end", lmfixture.Options{EndToken: true}},
		{"bytes-deflate", lmfixture.Options{Deflate: true}},
		{"tokens", lmfixture.Options{Tokens: true}},
		{"tokens-topk", lmfixture.Options{Tokens: true, TopK: 16}},
		{"tokens-topk-rest", lmfixture.Options{Tokens: true, TopK: 16, RestLogit: true}},
		{"bytes-topk-deflate", lmfixture.Options{TopK: 8, Deflate: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, fx := lmLogits(t, data, tc.o)
			cl, err := LMBits(l, data)
			require.NoError(t, err)
			assert.Equal(t, int64(len(fx.Tokens)), cl.Tokens)
			assert.InEpsilon(t, fx.CrossEntropy, cl.CrossEntropy, 1e-6)
			// Quantizing costs a little; with top-k rows and the default
			// rest rule it may also gain a little (the floor of 1 per
			// unlisted token moves mass to them).
			assert.InEpsilon(t, cl.CrossEntropy, cl.Quantized, 0.01)
			if tc.o.TopK == 0 || tc.o.RestLogit {
				// Exact rows: the integer frequencies cannot beat the float
				// distribution by more than their rounding (2^-28 steps).
				assert.Greater(t, cl.Quantized, cl.CrossEntropy*(1-1e-6))
			}
		})
	}
}

// TestLMMethodRow runs the lm methods with the other methods on the one
// input the logits fit: they round-trip and report per-token figures
// consistent with the byte figures, in JSON, text, Markdown and CSV.
func TestLMMethodRow(t *testing.T) {
	data := alice(t)[:6000]
	l, fx := lmLogits(t, data, lmfixture.Options{Tokens: true, TopK: 32, RestLogit: true})
	ms, _, err := Methods(Selection{Models: []container.Model{container.LM, container.Order0}, Coders: []container.Coder{container.Arith, container.RANS, container.Huffman}, Baselines: []string{"none"}, Logits: l})
	require.NoError(t, err)
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	require.Subset(t, names, []string{"lm-arith", "lm-rans", "lm-huffman", "order0-arith"})

	r, err := RunInputs(context.Background(), []Input{{Name: "alice", Data: data}}, quickOptions(ms...))
	require.NoError(t, err)
	for i, m := range ms {
		res := r.Files[0].Results[i]
		require.Empty(t, res.Error, m.Name)
		if m.lm == nil {
			assert.Nil(t, res.LM, m.Name)
			continue
		}
		x := res.LM
		require.NotNil(t, x, m.Name)
		assert.Equal(t, int64(len(fx.Tokens)), x.Tokens)
		assert.InEpsilon(t, fx.CrossEntropy, x.CrossEntropyBits, 1e-6)
		assert.InEpsilon(t, x.CrossEntropyBits, res.Ideal.Bits, 1e-12)
		assert.InEpsilon(t, 8*float64(res.CompressedBytes)/float64(x.Tokens), x.BitsPerToken, 1e-12)
		assert.InEpsilon(t, math.Exp2(x.CrossEntropyBits/float64(x.Tokens)), x.Perplexity, 1e-12)
		assert.InDelta(t, 8*float64(res.CompressedBytes), x.CrossEntropyBits+x.QuantizationOverheadBits+x.CodingOverheadBits, 1e-6)
		assert.Positive(t, x.QuantizationOverheadBits)
		assert.Less(t, x.QuantizationOverheadPct, 1.0, m.Name)
		assert.Positive(t, x.CodingOverheadBits, m.Name)
		assert.Equal(t, MemoryGoAlloc, res.Memory.Kind, "lm is measured in process")
		if m.Params.Coder != container.Huffman {
			// An arithmetic coder comes within a few bytes per frame.
			assert.Less(t, x.CodingOverheadBits, 8*64.0, m.Name)
		}
		tot := r.Total(m.Name)
		require.NotNil(t, tot.LM)
		assert.Equal(t, x.Tokens, tot.LM.Tokens)
	}

	var js bytes.Buffer
	require.NoError(t, r.WriteJSON(&js))
	var back Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, r.Files[0].Results[0].LM, back.Files[0].Results[0].LM)
	assert.Contains(t, js.String(), `"cross_entropy_bits_per_token"`)

	var txt, md, cs bytes.Buffer
	require.NoError(t, r.WriteText(&txt))
	require.NoError(t, r.WriteMarkdown(&md))
	require.NoError(t, r.WriteCSV(&cs))
	assert.Contains(t, txt.String(), "perplexity")
	assert.Contains(t, md.String(), "Language model (--logits) on alice")
	recs, err := csv.NewReader(&cs).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	found := false
	for _, rec := range recs[1:] {
		if rec[col["method"]] == "lm-arith" && rec[col["file"]] == "alice" {
			found = true
			assert.NotEmpty(t, rec[col["perplexity"]])
		}
	}
	assert.True(t, found)
	t.Log("\n" + txt.String())
}

// TestLMMethodWrongInput: logits fit one input; on another the lm method
// fails like any method that cannot compress, and the others still run.
func TestLMMethodWrongInput(t *testing.T) {
	data := alice(t)[:2000]
	l, _ := lmLogits(t, data, lmfixture.Options{Tokens: true})
	m := LMMethod(l, container.Arith)
	other := EntzipMethod(container.Params{Model: container.Order0, Coder: container.Arith})
	r, err := RunInputs(context.Background(), []Input{{Name: "other", Data: bytes.ToUpper(data)}}, quickOptions(m, other))
	require.Error(t, err)
	assert.ErrorIs(t, err, lm.ErrTokens)
	assert.NotEmpty(t, r.Files[0].Results[0].Error)
	assert.Empty(t, r.Files[0].Results[1].Error)
}

// TestMethodsLM checks the selection of model lm.
func TestMethodsLM(t *testing.T) {
	l, _ := lmLogits(t, alice(t)[:500], lmfixture.Options{})
	_, _, err := Methods(Selection{Models: []container.Model{container.LM}})
	require.ErrorContains(t, err, "logits")

	ms, _, err := Methods(Selection{Models: []container.Model{container.LM}, Baselines: []string{"none"}, Logits: l})
	require.NoError(t, err)
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"lm-arith", "lm-rans", "lm-huffman"}, names)
	assert.Equal(t, "entzip -m lm -e arith --logits "+l.Path, ms[0].Command)

	ms, _, err = Methods(Selection{Coders: []container.Coder{container.RANS}, Baselines: []string{"none"}, Logits: l})
	require.NoError(t, err)
	n := 0
	for _, m := range ms {
		if strings.HasPrefix(m.Name, "lm-") {
			assert.Equal(t, "lm-rans", m.Name)
			n++
		}
	}
	assert.Equal(t, 1, n)
	assert.Greater(t, len(ms), 1, "the other rans pairs too")
}
