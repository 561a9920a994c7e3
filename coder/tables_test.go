package coder

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/empirical"
)

// condEntropyBits returns the empirical order-k entropy of src in bits,
// the bytes before src taken as 0 and the context restarted at each of
// restarts segments.
func condEntropyBits(src []byte, k, restarts int) float64 {
	var s empirical.Sorter
	bits, _ := s.CondBits(src, k, false, restarts)
	return bits
}

// TestTableBits checks the *Tables encoders: the same block as the plain
// encoder, and a table part that leaves the bytes' codes at least the
// empirical entropy under the block's contexts (Kraft, Gibbs), so that it
// cannot claim bits of the code for the tables.
func TestTableBits(t *testing.T) {
	text, err := os.ReadFile("../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	skewed := make([]byte, 50000)
	for i := range skewed {
		skewed[i] = byte(min(rng.ExpFloat64()*3, 255))
	}
	inputs := map[string][]byte{"text": text, "skewed": skewed, "single": make([]byte, 100), "empty": nil, "short": []byte("ab")}
	type enc struct {
		name  string
		plain func(src []byte) []byte
		split func(src []byte) ([]byte, int)
		bound func(src []byte) float64
	}
	huff := func(order int) enc {
		return enc{
			name:  "huffman-o" + string(rune('0'+order)),
			plain: func(src []byte) []byte { b, _ := EncodeHuffman(nil, src, order); return b },
			split: func(src []byte) ([]byte, int) { b, n, _ := EncodeHuffmanTables(nil, src, order); return b, n },
			bound: func(src []byte) float64 { return condEntropyBits(src, order, 0) },
		}
	}
	encs := []enc{huff(0), huff(1), huff(2),
		{"rans-o0", func(src []byte) []byte { return EncodeRANSO0(nil, src) }, func(src []byte) ([]byte, int) { return EncodeRANSO0Tables(nil, src) },
			func(src []byte) float64 { return condEntropyBits(src, 0, 0) }},
		{"rans-o1", func(src []byte) []byte { return EncodeRANSO1(nil, src) }, func(src []byte) ([]byte, int) { return EncodeRANSO1Tables(nil, src) },
			func(src []byte) float64 { return condEntropyBits(src, 1, ransStates) }},
	}
	for _, e := range encs {
		for name, src := range inputs {
			block, tableBits := e.split(src)
			assert.Equal(t, e.plain(src), block, "%s %s", e.name, name)
			assert.GreaterOrEqual(t, tableBits, 8, "%s %s: the header byte is the table's", e.name, name)
			code := float64(8*len(block) - tableBits)
			assert.GreaterOrEqual(t, code, e.bound(src)-1e-6, "%s %s: %d table bits of %d", e.name, name, tableBits, 8*len(block))
			if len(src) > 1000 && e.name != "huffman-o2" { // o2 falls back to parent tables where H2 overfits
				assert.Less(t, code, 1.1*e.bound(src), "%s %s: %d table bits of %d", e.name, name, tableBits, 8*len(block))
			}
		}
	}
}
