package model

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOrderKByteDist: ByteDist changes nothing, sums to 1, and gives each
// byte the probability coding it actually has (up to the rare hash-table
// events its documentation lists).
func TestOrderKByteDist(t *testing.T) {
	text, err := os.ReadFile("../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	data := append(text[:6000:6000], make([]byte, 500)...) // text, then a run of zeros
	for _, k := range []int{1, 2, 4, 8} {
		m, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		twin, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		var p [256]float64
		exact, cost, distCost := 0, 0.0, 0.0
		for i, b := range data {
			m.ByteDist(&p)
			sum := 0.0
			for _, q := range p {
				if !(q > 0) {
					t.Fatalf("k=%d byte %d: probability %v", k, i, q)
				}
				sum += q
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("k=%d byte %d: probabilities sum to %v", k, i, sum)
			}
			ph, pl := 1.0, 1.0
			for j := 7; j >= 0; j-- {
				y := uint32(b>>j) & 1
				if twin.P1() != m.P1() {
					t.Fatalf("k=%d byte %d bit %d: ByteDist changed the model", k, i, 7-j)
				}
				if j >= 4 {
					ph *= bitProb(m.P1(), y)
				} else {
					pl *= bitProb(m.P1(), y)
				}
				m.Update(int(y))
				twin.Update(int(y))
			}
			if ph*pl == p[b] {
				exact++
			}
			cost -= math.Log2(ph * pl)
			distCost -= math.Log2(p[b])
		}
		t.Logf("k=%d: %d of %d bytes exact, %.1f bits coded, %.1f bits from ByteDist", k, exact, len(data), cost, distCost)
		require.GreaterOrEqual(t, exact, len(data)*999/1000, "k=%d", k)
		require.InEpsilon(t, cost, distCost, 1e-4, "k=%d", k)
	}
}
