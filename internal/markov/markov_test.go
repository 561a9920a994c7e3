package markov

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRowsSumToTotal checks every row of every suite chain.
func TestRowsSumToTotal(t *testing.T) {
	for _, c := range Suite() {
		for i, row := range c.Rows {
			var sum uint64
			for _, f := range row {
				sum += uint64(f)
			}
			require.Equal(t, uint64(RowTotal), sum, "%s row %d", c.Name, i)
		}
	}
}

// TestStationary checks π·P = π and Σ π = 1.
func TestStationary(t *testing.T) {
	for _, c := range Suite() {
		pi := c.Stationary()
		m, k := len(c.Alphabet), len(c.Rows)
		next := make([]float64, k)
		for from, row := range c.Rows {
			for s, f := range row {
				next[(from*m+s)%k] += pi[from] * float64(f) / RowTotal
			}
		}
		sum := 0.0
		for i := range pi {
			assert.InDelta(t, pi[i], next[i], 1e-12, "%s context %d", c.Name, i)
			assert.GreaterOrEqual(t, pi[i], -1e-15, "%s context %d", c.Name, i)
			sum += pi[i]
		}
		assert.InDelta(t, 1, sum, 1e-12, c.Name)
	}
}

// TestEntropyRateKnown checks the rate of chains whose rate is known in
// closed form.
func TestEntropyRateKnown(t *testing.T) {
	h := func(p float64) float64 { return -p*math.Log2(p) - (1-p)*math.Log2(1-p) }
	iid := New("iid", 0, []byte("ab"), Shape{Peak: 0.9}, 1)
	assert.InDelta(t, h(0.9), iid.EntropyRate(), 1e-6)
	// Every row of a Peak chain over two symbols has entropy h(0.999),
	// whatever its stationary distribution.
	peak := New("peak", 2, []byte("ab"), Shape{Peak: 0.999}, 9)
	assert.InDelta(t, h(0.999), peak.EntropyRate(), 1e-6)
}

// TestSampleMatchesChain checks that a long sample's information per
// symbol is close to the entropy rate (within 4 standard deviations) and
// that a chain can emit its own samples.
func TestSampleMatchesChain(t *testing.T) {
	const n = 200000
	for _, c := range Suite() {
		x := c.Sample(n, 42)
		require.Len(t, x, n)
		info := c.Info(x)
		require.False(t, math.IsInf(info, 1), c.Name)
		mean := float64(n-c.Order) * c.EntropyRate()
		assert.InDelta(t, mean, info, 4*c.InfoStdDev(n)+1e-3*mean, c.Name)
		assert.Equal(t, x, c.Sample(n, 42), "%s: the same seed gives the same sample", c.Name)
	}
}
