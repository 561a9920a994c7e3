package lm

import (
	"encoding/binary"
	"hash/crc64"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExpTables(t *testing.T) {
	require.Equal(t, uint64(1)<<weightBits, expNeg(0))
	prev := expNeg(0)
	for n := uint32(1); n <= maxFix; n += 7 {
		w := expNeg(n)
		require.LessOrEqual(t, w, prev, "n=%d", n)
		prev = w
		want := math.Ldexp(math.Exp(-float64(n)/(1<<fixBits)), weightBits)
		// Floor plus table rounding: within 1 unit, or 1e-13 relative.
		require.InDelta(t, want, float64(w), max(1.0, want*1e-13), "n=%d", n)
	}
	require.Equal(t, uint32(0), fixedLogit(0))
	require.Equal(t, uint32(0), fixedLogit(math.Copysign(0, -1)))
	require.Equal(t, uint32(1<<fixBits), fixedLogit(-1))
	require.Equal(t, uint32(maxFix), fixedLogit(-32))
	require.Equal(t, uint32(maxFix), fixedLogit(-1e300))
	require.Equal(t, uint32(maxFix), fixedLogit(math.Inf(-1)))
	require.Equal(t, uint32(maxFix-1), fixedLogit(-32+1.0/(1<<fixBits)))
}

// checkFreqs checks the invariants of a quantized row.
func checkFreqs(t *testing.T, freq []uint32, totalBits int) {
	t.Helper()
	var sum uint64
	for i, f := range freq {
		require.GreaterOrEqual(t, f, uint32(1), "token %d", i)
		sum += uint64(f)
	}
	require.Equal(t, uint64(1)<<totalBits, sum)
}

func TestQuantize(t *testing.T) {
	r := rng(1)
	for _, v := range []int{1, 2, 3, 256, 257, 1000, 50257} {
		logits := make([]float32, v)
		for i := range logits {
			logits[i] = 20*r.float() - 10
		}
		for _, tb := range []int{16, 24, 31} {
			if v >= 1<<tb {
				continue
			}
			freq := make([]uint32, v)
			require.NoError(t, Quantize(freq, logits, tb))
			checkFreqs(t, freq, tb)
		}
	}
	// Proportional: logits 0 and ln 3 give 1:3 up to the +1 floor and
	// the remainder.
	freq := make([]uint32, 2)
	require.NoError(t, Quantize(freq, []float32{0, float32(math.Log(3))}, 24))
	require.InDelta(t, 0.25, float64(freq[0])/(1<<24), 2e-6) // logits in steps of 2^-16 nats
	// −Inf is an impossible token with frequency 1.
	freq = make([]uint32, 3)
	require.NoError(t, Quantize(freq, []float32{float32(math.Inf(-1)), 0, -100}, 24))
	require.Equal(t, []uint32{1, 1<<24 - 2, 1}, freq)
	// Equal logits: equal frequencies, the remainder to the first.
	freq = make([]uint32, 3)
	require.NoError(t, Quantize(freq, []float32{5, 5, 5}, 24))
	require.Equal(t, freq[1], freq[2])
	require.Equal(t, freq[0], freq[1]+1)

	for _, bad := range [][]float32{
		{0, float32(math.NaN())},
		{0, float32(math.Inf(1))},
		{float32(math.Inf(-1)), float32(math.Inf(-1))},
	} {
		require.ErrorIs(t, Quantize(make([]uint32, 2), bad, 24), ErrNonFinite, "%v", bad)
	}
	require.ErrorIs(t, Quantize(make([]uint32, 1), []float32{0, 1}, 24), ErrValue)
	require.ErrorIs(t, Quantize(make([]uint32, 4), []float32{0, 1, 2, 3}, 2), ErrValue)
}

// sparseFreqs returns the frequency of every token of a quantized top-k
// row, checking that interval and find agree with each other.
func sparseFreqs(t *testing.T, r *sparseRow, v int, total uint32) []uint32 {
	t.Helper()
	freq := make([]uint32, v)
	var next uint32
	for s := range v {
		start, f := r.interval(int64(s))
		require.Equal(t, next, start, "token %d", s)
		freq[s] = f
		for _, target := range []uint32{start, start + f/2, start + f - 1} {
			gs, gstart, gf := r.find(target)
			require.Equal(t, []any{int64(s), start, f}, []any{gs, gstart, gf}, "target %d", target)
		}
		next = start + f
	}
	require.Equal(t, total, next)
	return freq
}

func TestQuantizeSparse(t *testing.T) {
	const v = 300
	var r sparseRow
	entries := []topEntry{{7, 2}, {3, 5}, {299, 1}, {0, 0.5}, {150, 5}}
	require.NoError(t, r.quantize(entries, 0, false, v, 20))
	freq := sparseFreqs(t, &r, v, 1<<20)
	checkFreqs(t, freq, 20)
	// The remainder goes to token 3 (the first of two largest weights).
	require.GreaterOrEqual(t, freq[3], freq[150])
	require.Less(t, freq[3]-freq[150], uint32(v))
	// Default rule: the unlisted tokens together weigh as much as the
	// least likely listed token (id 0, logit 0.5).
	var rest uint64
	for s, f := range freq {
		if s != 7 && s != 3 && s != 299 && s != 0 && s != 150 {
			rest += uint64(f - 1)
		}
	}
	require.InDelta(t, float64(freq[0]-1), float64(rest), float64(v))

	// An explicit rest logit above every listed one.
	entries = []topEntry{{1, 0}, {2, -1}}
	require.NoError(t, r.quantize(entries, 3, true, 10, 24))
	freq = sparseFreqs(t, &r, 10, 1<<24)
	checkFreqs(t, freq, 24)
	require.Greater(t, freq[5], freq[1])
	// K = V: no unlisted tokens; the rest logit is ignored.
	entries = []topEntry{{1, 0}, {0, 1}}
	require.NoError(t, r.quantize(entries, 50, true, 2, 24))
	freq = sparseFreqs(t, &r, 2, 1<<24)
	require.Greater(t, freq[0], freq[1])

	for _, bad := range []struct {
		e    []topEntry
		rest float64
		err  error
	}{
		{[]topEntry{{1, 0}, {1, 2}}, 0, ErrValue},
		{[]topEntry{{-1, 0}}, 0, ErrValue},
		{[]topEntry{{10, 0}}, 0, ErrValue},
		{[]topEntry{{1, math.NaN()}}, 0, ErrNonFinite},
		{[]topEntry{{1, math.Inf(-1)}}, 0, ErrNonFinite},
		{[]topEntry{{1, 0}}, math.NaN(), ErrNonFinite},
		{[]topEntry{{1, 0}}, math.Inf(1), ErrNonFinite},
	} {
		require.ErrorIs(t, r.quantize(bad.e, bad.rest, true, 10, 24), bad.err, "%v", bad.e)
	}

	// Both ways of sorting by id (integer sort for K ≪ V, a bitmap
	// otherwise) give the same rows, and errors leave no state behind.
	rn := rng(5)
	for _, v := range []int{100, 5000, 1 << 20} {
		for _, k := range []int{1, 3, 40, 100} {
			k = min(k, v)
			entries := make([]topEntry, k)
			for j := range entries {
				entries[j] = topEntry{int64((j*7919 + 13) % v), float64(rn.float())}
			}
			var a, b sparseRow
			dup := append(slices.Clone(entries), entries[k/2])
			require.ErrorIs(t, a.quantize(dup, 0, false, v, 24), ErrValue)
			require.NoError(t, a.quantize(slices.Clone(entries), 0, false, v, 24))
			require.NoError(t, b.quantize(slices.Clone(entries), 0, false, v, 24))
			require.Equal(t, b.f, a.f)
			require.Equal(t, b.ids, a.ids)
			require.True(t, slices.IsSorted(a.ids))
			require.NoError(t, a.sortByKeys(slices.Clone(entries)))
			require.Equal(t, b.sorted, a.sorted)
			clear(a.sorted)
			require.NoError(t, a.sortByBitmap(slices.Clone(entries), v))
			require.Equal(t, b.sorted, a.sorted)
			require.ErrorIs(t, a.sortByKeys(dup), ErrValue)
			require.ErrorIs(t, a.sortByBitmap(dup, v), ErrValue)
			for _, w := range a.bitmap {
				require.Zero(t, w)
			}
		}
	}
}

// TestDeterministic pins the quantized frequencies of fixed synthetic
// rows: the same hash on every GOARCH (CI also runs GOARCH=386) means
// encoder and decoder agree everywhere. If the quantization changes on
// purpose, the format changes: update the constants and docs/FORMAT.md.
func TestDeterministic(t *testing.T) {
	h := crc64.New(crc64.MakeTable(crc64.ECMA))
	put := func(f []uint32) {
		for _, x := range f {
			h.Write(binary.LittleEndian.AppendUint32(nil, x))
		}
	}
	r := rng(42)
	freq := make([]uint32, 50257)
	for _, v := range []int{2, 256, 257, 4099, 50257} {
		for range 4 {
			logits := make([]float32, v)
			scale := 1 + 30*r.float()
			for i := range logits {
				logits[i] = scale * (r.float() - 0.5) * (r.float() + 0.01)
			}
			y := make([]float64, v)
			for i, x := range logits {
				y[i] = float64(x)
			}
			scaleDivide(y, 0.7)
			require.NoError(t, quantizeDense(freq, y, make([]uint64, v), 24))
			put(freq[:v])
		}
	}
	var sp sparseRow
	for k := 1; k <= 64; k *= 4 {
		entries := make([]topEntry, k)
		for j := range entries {
			entries[j] = topEntry{id: int64(j*780 + r.intn(780)), y: float64(10 * r.float())}
		}
		require.NoError(t, sp.quantize(entries, 0, false, 50257, 24))
		put(sp.f[:k])
		put([]uint32{sp.fRest})
		require.NoError(t, sp.quantize(entries, -3.25, true, 50257, 24))
		put(sp.f[:k])
		put([]uint32{sp.fRest})
	}
	var tabs []uint32
	for _, x := range expHi {
		tabs = append(tabs, uint32(x), uint32(x>>32))
	}
	for _, x := range expLo {
		tabs = append(tabs, uint32(x), uint32(x>>32))
	}
	put(tabs)
	require.Equal(t, uint64(0x9fccc70097f5c7c7), h.Sum64(), "quantization changed")
}
