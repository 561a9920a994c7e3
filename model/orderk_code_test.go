package model

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// orderkCodeCost returns the ideal code length of data in bytes under m,
// coding each byte as its codeword, and checks that Symbol reports every
// byte exactly when its codeword ends.
func orderkCodeCost(t *testing.T, m *OrderK, data []byte) float64 {
	t.Helper()
	var bits float64
	for i, b := range data {
		code, n := m.Codeword(b)
		require.Positive(t, n, "byte %d (%#x) has no codeword", i, b)
		for j := n - 1; j >= 0; j-- {
			y := int(code>>j) & 1
			q := float64(m.P1()) / (1 << ProbBits)
			if y == 0 {
				q = 1 - q
			}
			bits -= math.Log2(q)
			m.Update(y)
			if j > 0 {
				require.Equal(t, -1, m.Symbol(), "byte %d: Symbol before the codeword's end", i)
			}
		}
		require.Equal(t, int(b), m.Symbol(), "byte %d", i)
	}
	return bits / 8
}

func TestOrderKIdentityCode(t *testing.T) {
	// The default code is the bytes themselves: coding codewords is
	// coding the 8 bits, and setting the all-8 code changes nothing.
	data := orderkText(20000)
	plain, err := NewOrderK(4, MinOrderKMemBits)
	require.NoError(t, err)
	coded, err := NewOrderK(4, MinOrderKMemBits)
	require.NoError(t, err)
	var lens [256]uint8
	for i := range lens {
		lens[i] = 8
	}
	require.NoError(t, coded.SetCode(&lens))
	for b := range 256 {
		code, n := plain.Codeword(byte(b))
		require.Equal(t, uint32(b), code)
		require.Equal(t, 8, n)
	}
	require.Equal(t, orderkCost(plain, data), orderkCodeCost(t, coded, data))
}

func TestOrderKCodes(t *testing.T) {
	text := orderkText(30000)
	random := orderkRandom(30000)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"text", text}, {"random", random}} {
		for _, k := range []int{1, 3, 6} {
			plain, err := NewOrderK(k, 18)
			require.NoError(t, err)
			coded, err := NewOrderK(k, 18)
			require.NoError(t, err)
			lens := testCode(tc.data)
			if tc.name == "random" {
				for i := range lens {
					lens[i] = 8
				}
				// 8 codewords of 7 bits take the room of 16 of 8 bits.
				for b := range 8 {
					lens[b], lens[8+b] = 7, 0
				}
			}
			require.NoError(t, coded.SetCode(lens))
			data := tc.data
			if tc.name == "random" {
				data = nil
				for _, b := range tc.data {
					if lens[b] > 0 {
						data = append(data, b)
					}
				}
			}
			a := orderkCost(plain, data)
			b := orderkCodeCost(t, coded, data)
			t.Logf("%s k=%d: %d bytes: 8 bits %.0f, codewords %.0f bytes", tc.name, k, len(data), a, b)
			if tc.name == "text" {
				require.Less(t, b, a*1.02, "a Huffman-like code should not cost more on text")
			} else {
				require.Less(t, b, a*1.05)
			}
			// Reset keeps the code and starts afresh.
			coded.Reset()
			require.Equal(t, b, orderkCodeCost(t, coded, data))
		}
	}
}

func TestOrderKSetCodeErrors(t *testing.T) {
	m, err := NewOrderK(2, MinOrderKMemBits)
	require.NoError(t, err)
	var lens [256]uint8
	require.ErrorIs(t, m.SetCode(&lens), ErrCode, "no codewords")
	lens['a'] = 1
	require.ErrorIs(t, m.SetCode(&lens), ErrCode, "one codeword of 1 bit: incomplete")
	lens['b'] = 1
	require.NoError(t, m.SetCode(&lens))
	lens['c'] = 1
	require.ErrorIs(t, m.SetCode(&lens), ErrCode, "three 1-bit codewords: over-full")
	lens['c'], lens['b'] = 0, 9
	require.ErrorIs(t, m.SetCode(&lens), ErrCode, "too long")
	lens['b'], lens['c'] = 2, 2
	require.NoError(t, m.SetCode(&lens))
	m.Update(1) // the first bit of b or c
	require.ErrorIs(t, m.SetCode(&lens), ErrCode, "in the middle of a codeword")
	m.Update(0)
	require.Equal(t, int('b'), m.Symbol())
	require.NoError(t, m.SetCode(&lens))
}

func TestOrderKCodeNoAllocs(t *testing.T) {
	m, err := NewOrderK(4, MinOrderKMemBits)
	require.NoError(t, err)
	data := orderkText(4096)
	require.NoError(t, m.SetCode(testCode(data)))
	allocs := testing.AllocsPerRun(5, func() {
		for _, b := range data {
			code, n := m.Codeword(b)
			for j := n - 1; j >= 0; j-- {
				m.Update(int(code>>j) & 1)
			}
		}
	})
	require.Zero(t, allocs)
}
