package lm

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// zipfRows returns n rows of V Zipf-like logits (−s·ln rank plus noise,
// the ranks permuted per row) and a token per row sampled from the row's
// own softmax, so the cross-entropy is the rows' entropy (as for an LM
// that is calibrated).
func zipfRows(n, v int, s float64, seed uint64) ([][]float32, []int32) {
	r := rng(seed)
	rows := make([][]float32, n)
	toks := make([]int32, n)
	p := make([]float64, v)
	for t := range rows {
		row := make([]float32, v)
		a, b := coprime(&r, v), r.intn(v)
		for rank := range v {
			id := int((int64(rank)*int64(a) + int64(b)) % int64(v))
			row[id] = float32(-s*math.Log(float64(rank+1)) + 0.5*float64(r.float()-0.5))
		}
		var z float64
		for i, x := range row {
			p[i] = math.Exp(float64(x))
			z += p[i]
		}
		u := float64(r.float()) * z
		tok := v - 1
		for i, q := range p {
			if u < q {
				tok = i
				break
			}
			u -= q
		}
		rows[t], toks[t] = row, int32(tok)
	}
	return rows, toks
}

// quantizedBits is the ideal code length of toks under rows quantized to
// a total of 2^totalBits.
func quantizedBits(t testing.TB, rows [][]float32, toks []int32, totalBits int) float64 {
	freq := make([]uint32, len(rows[0]))
	var bits float64
	for i, row := range rows {
		require.NoError(t, Quantize(freq, row, totalBits))
		bits += float64(totalBits) - math.Log2(float64(freq[toks[i]]))
	}
	return bits
}

// TestQuantizationOverhead measures the quantization overhead (the
// quantized model's code length over the float cross-entropy) on Zipf-like
// rows of a GPT-2-sized vocabulary, dense and top-k.
func TestQuantizationOverhead(t *testing.T) {
	n := 100
	if testing.Short() {
		n = 40
	}
	// The limits at 2^24 allow for the floor: V/2^24 of the mass is spent
	// on frequencies of 1, −log2(1 − 50257/2^24) ≈ 0.0043 bits per token,
	// 0.2 % of a sharp model's 2.1 bits. At 2^28 that is 0.00027 bits.
	// So the tests check the overhead beyond the floor's cost.
	floor := func(tb int) float64 { return -math.Log2(1 - 50257/math.Exp2(float64(tb))) }
	for _, c := range []struct {
		s     float64
		limit float64 // beyond the floor's cost
	}{{1.1, 0.0005}, {1.5, 0.0005}, {2.5, 0.0005}} {
		rows, toks := zipfRows(n, 50257, c.s, 99)
		ce := crossEntropy(rows, toks)
		var over [3]float64
		for i, tb := range []int{24, 28, 31} {
			over[i] = quantizedBits(t, rows, toks, tb)/ce - 1
		}
		t.Logf("V=50257 dense Zipf s=%.1f: %.3f bits/token; overhead %.4f %% at 2^24, %.4f %% at 2^28, %.5f %% at 2^31",
			c.s, ce/float64(n), 100*over[0], 100*over[1], 100*over[2])
		require.Less(t, over[0]-floor(24)*float64(n)/ce, c.limit)
		require.Less(t, over[1]-floor(28)*float64(n)/ce, c.limit)

		for _, restLogit := range []bool{false, true} {
			ids, logits, rest := topKRows(rows, 64)
			var r sparseRow
			var bits float64
			for i := range rows {
				entries := make([]topEntry, 64)
				for j := range entries {
					entries[j] = topEntry{int64(ids[i][j]), float64(logits[i][j])}
				}
				require.NoError(t, r.quantize(entries, float64(rest[i]), restLogit, 50257, TotalBits))
				_, f := r.interval(int64(toks[i]))
				bits += TotalBits - math.Log2(float64(f))
			}
			if !restLogit {
				rest = nil
			}
			ck := crossEntropyTopK(ids, logits, rest, 50257, toks)
			t.Logf("  top-64, rest_logit=%v: %.3f bits/token (top-k loss %.2f %% vs dense), quantization overhead %.4f %%",
				restLogit, ck/float64(n), 100*(ck/ce-1), 100*(bits/ck-1))
			require.Less(t, bits/ck-1-floor(24)*float64(n)/ck, c.limit)
		}
	}
}
