package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// checkDistribution verifies the SymbolModel invariants for the current
// prediction: intervals tile [0, total), every freq ≥ 1, Find inverts
// Interval.
func checkDistribution(t *testing.T, m SymbolModel) {
	t.Helper()
	total := m.Total()
	var next uint32
	for s := range m.Alphabet() {
		start, freq, tot := m.Interval(s)
		require.Equal(t, total, tot)
		require.Equal(t, next, start, "symbol %d", s)
		require.GreaterOrEqual(t, freq, uint32(1), "symbol %d", s)
		for _, target := range []uint32{start, start + freq/2, start + freq - 1} {
			got, gs, gf := m.Find(target)
			require.Equal(t, s, got, "target %d", target)
			require.Equal(t, start, gs)
			require.Equal(t, freq, gf)
		}
		next = start + freq
	}
	require.Equal(t, total, next)
}

func TestOrder0Invariants(t *testing.T) {
	m := NewOrder0()
	checkDistribution(t, m)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 200000 {
		s := int(rng.ExpFloat64()*20) & 0xFF
		m.Update(s)
		if i%9973 == 0 {
			checkDistribution(t, m)
		}
	}
	// One symbol forever: the model becomes confident but leaves every
	// other symbol codable.
	for range 500000 {
		m.Update('a')
	}
	checkDistribution(t, m)
	_, freq, total := m.Interval('a')
	require.Greater(t, float64(freq)/float64(total), 0.99)
}

func TestOrder0ResetMatchesFresh(t *testing.T) {
	m := NewOrder0()
	for i := range 5000 {
		m.Update(i * 7 & 0xFF)
	}
	m.Reset()
	fresh := NewOrder0()
	for s := range 256 {
		a, b, c := m.Interval(s)
		x, y, z := fresh.Interval(s)
		require.Equal(t, [3]uint32{x, y, z}, [3]uint32{a, b, c})
	}
}

// TestOrder0CostNearH0 checks that the adaptive model's ideal code length
// on a stationary source is close to n·H0.
func TestOrder0CostNearH0(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	probs := []float64{0.5, 0.25, 0.125, 0.0625, 0.0625}
	n := 200000
	m := NewOrder0()
	var cost float64
	for range n {
		u, s := rng.Float64(), 0
		for u > probs[s] && s < len(probs)-1 {
			u -= probs[s]
			s++
		}
		_, freq, total := m.Interval(s)
		cost -= math.Log2(float64(freq) / float64(total))
		m.Update(s)
	}
	h0 := 1.875 // Σ -p log2 p of the source
	require.InDelta(t, h0, cost/float64(n), 0.02, "cost %.4f bits/symbol", cost/float64(n))
}

func TestStaticOrder0(t *testing.T) {
	var counts [256]uint32
	counts['a'], counts['b'], counts['c'] = 2, 1, 1
	m := NewStaticOrder0(&counts)
	checkDistribution(t, m)
	_, fa, total := m.Interval('a')
	_, fb, _ := m.Interval('b')
	require.InDelta(t, 0.5, float64(fa)/float64(total), 0.003)
	require.InDelta(t, 0.25, float64(fb)/float64(total), 0.003)
	m.Update('b')
	_, fb2, _ := m.Interval('b')
	require.Equal(t, fb, fb2)
}

func BenchmarkOrder0(b *testing.B) {
	src := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range src {
		src[i] = byte(rng.ExpFloat64() * 30)
	}
	m := NewOrder0()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var sink uint32
	for b.Loop() {
		m.Reset()
		for _, c := range src {
			start, _, _ := m.Interval(int(c))
			sink += start
			m.Update(int(c))
		}
	}
	_ = sink
}

// TestOrder0StartsUniform: before any update every byte has 1/256.
func TestOrder0StartsUniform(t *testing.T) {
	m := NewOrder0()
	for s := range 256 {
		_, freq, total := m.Interval(s)
		require.Equal(t, total/256, freq, "byte %d", s)
	}
}
