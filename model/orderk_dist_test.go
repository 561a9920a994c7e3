package model

import (
	"math"
	"os"
	"sort"
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
	for _, tc := range []struct {
		k    int
		code bool
	}{{1, false}, {2, false}, {4, false}, {8, false}, {1, true}, {4, true}} {
		k := tc.k
		m, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		twin, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		if tc.code {
			lens := testCode(data)
			require.NoError(t, m.SetCode(lens))
			require.NoError(t, twin.SetCode(lens))
		}
		var p [256]float64
		exact, cost, distCost := 0, 0.0, 0.0
		for i, b := range data {
			m.ByteDist(&p)
			sum := 0.0
			for c, q := range p {
				if _, n := m.Codeword(byte(c)); !(q > 0) && n > 0 || q != 0 && n == 0 {
					t.Fatalf("k=%d byte %d: probability %v of a %d-bit codeword", k, i, q, n)
				}
				sum += q
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("k=%d byte %d: probabilities sum to %v", k, i, sum)
			}
			ph, pl := 1.0, 1.0
			word, n := m.Codeword(b)
			for j := range n {
				y := word >> (n - 1 - j) & 1
				if twin.P1() != m.P1() {
					t.Fatalf("k=%d byte %d bit %d: ByteDist changed the model", k, i, j)
				}
				if j < 4 {
					ph *= bitProb(m.P1(), y)
				} else {
					pl *= bitProb(m.P1(), y)
				}
				m.Update(int(y))
				twin.Update(int(y))
			}
			require.Equal(t, int(b), m.Symbol())
			if ph*pl == p[b] {
				exact++
			}
			cost -= math.Log2(ph * pl)
			distCost -= math.Log2(p[b])
		}
		t.Logf("k=%d code=%v: %d of %d bytes exact, %.1f bits coded, %.1f bits from ByteDist", k, tc.code, exact, len(data), cost, distCost)
		require.GreaterOrEqual(t, exact, len(data)*999/1000, "k=%d", k)
		require.InEpsilon(t, cost, distCost, 1e-4, "k=%d", k)
	}
}

// testCode returns a complete prefix code in which every byte of data has
// a codeword: 4 bits for the 8 most frequent, 6 bits for the next 8, 8 bits
// for 96 more (Kraft: 8/16 + 8/64 + 96/256 = 1).
func testCode(data []byte) *[256]uint8 {
	var counts [256]int
	for _, b := range data {
		counts[b]++
	}
	order := make([]int, 256)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] > counts[order[j]] })
	var lens [256]uint8
	for i, b := range order[:112] {
		switch {
		case i < 8:
			lens[b] = 4
		case i < 16:
			lens[b] = 6
		default:
			lens[b] = 8
		}
	}
	return &lens
}
