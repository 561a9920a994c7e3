package coder

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// stepTables returns n frequency tables over v symbols (some with zeros,
// one with a single used symbol, skewed ones) and a symbol of each with a
// non-zero frequency.
func stepTables(n, v int, seed uint64) ([][]uint32, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	tabs := make([][]uint32, n)
	syms := make([]int, n)
	for i := range tabs {
		f := make([]uint32, v)
		switch i % 4 {
		case 0: // skewed: powers of two, so lengths reach the limit
			for s := range f {
				f[s] = 1 << uint(rng.IntN(24))
			}
		case 1: // sparse
			for s := range f {
				if rng.IntN(3) == 0 {
					f[s] = uint32(rng.IntN(1000))
				}
			}
			f[rng.IntN(v)] = 5
		case 2: // a single used symbol
			f[rng.IntN(v)] = 1 << 24
		default:
			for s := range f {
				f[s] = 1 + uint32(rng.IntN(1<<16))
			}
		}
		for {
			s := rng.IntN(v)
			if f[s] != 0 {
				syms[i] = s
				break
			}
		}
		tabs[i] = f
	}
	return tabs, syms
}

func TestHuffmanStepRoundTrip(t *testing.T) {
	for _, v := range []int{1, 2, 3, 256, 1000} {
		tabs, syms := stepTables(300, v, uint64(v))
		e := NewHuffmanStepEncoder()
		var ideal float64
		for i, f := range tabs {
			require.NoError(t, e.Encode(f, syms[i]))
			var sum float64
			for _, x := range f {
				sum += float64(x)
			}
			ideal -= math.Log2(float64(f[syms[i]]) / sum)
		}
		out := e.Finish([]byte("pre"))
		require.Equal(t, "pre", string(out[:3]))
		out = out[3:]
		// Huffman is within one bit per symbol of the entropy.
		require.LessOrEqual(t, float64(8*len(out)), ideal+float64(len(tabs))+8, "V=%d", v)

		d := NewHuffmanStepDecoder(out)
		for i, f := range tabs {
			require.Equal(t, syms[i], d.Decode(f), "V=%d symbol %d", v, i)
		}
		require.NoError(t, d.Close())

		// Reuse after Reset gives the same bytes.
		e.Reset()
		for i, f := range tabs {
			require.NoError(t, e.Encode(f, syms[i]))
		}
		require.True(t, bytes.Equal(out, e.Finish(nil)))
	}
}

func TestHuffmanStepErrors(t *testing.T) {
	e := NewHuffmanStepEncoder()
	require.Error(t, e.Encode([]uint32{1, 0, 1}, 1), "zero frequency")
	require.Error(t, e.Encode([]uint32{1, 1}, 2), "out of range")

	f := []uint32{1, 2, 3, 4, 5}
	for s := range f {
		require.NoError(t, e.Encode(f, s))
	}
	out := e.Finish(nil)

	// Missing bytes, an extra byte, and a table without symbols fail.
	d := NewHuffmanStepDecoder(out[:len(out)-1])
	for range f {
		d.Decode(f)
	}
	require.ErrorIs(t, d.Close(), ErrCorrupt)
	d.Reset(append(append([]byte{}, out...), 0))
	for range f {
		d.Decode(f)
	}
	require.ErrorIs(t, d.Close(), ErrCorrupt)
	d.Reset(out)
	d.Decode(make([]uint32, 4))
	require.ErrorIs(t, d.Err(), ErrCorrupt)
	require.Equal(t, 0, d.Decode(f), "sticky error")
}

func FuzzHuffmanStepDecoder(f *testing.F) {
	f.Add([]byte{0x5a, 0xff, 0x00}, uint8(7))
	f.Fuzz(func(t *testing.T, src []byte, seed uint8) {
		tabs, _ := stepTables(20, 1+int(seed), uint64(seed))
		d := NewHuffmanStepDecoder(src)
		for _, tab := range tabs {
			s := d.Decode(tab)
			require.True(t, s >= 0 && s < len(tab))
		}
		_ = d.Close()
	})
}

// TestHuffmanStepLengths: the fast Huffman lengths cost exactly what
// package-merge's do (both are optimal) and form a complete code; tables
// whose Huffman code is deeper than MaxHuffmanStepBits (Fibonacci
// frequencies) fall back to package-merge.
func TestHuffmanStepLengths(t *testing.T) {
	tabs, _ := stepTables(200, 300, 11)
	fib := []uint32{1, 1}
	for len(fib) < 40 {
		fib = append(fib, fib[len(fib)-1]+fib[len(fib)-2])
	}
	tabs = append(tabs, fib)
	var c stepCode
	for i, f := range tabs {
		want, err := HuffmanLengths(f, MaxHuffmanStepBits)
		require.NoError(t, err)
		fast := c.huffman(f)
		require.NoError(t, c.build(f))
		var costWant, costGot uint64
		kraft := 0.0
		for s, x := range f {
			costWant += uint64(x) * uint64(want[s])
			costGot += uint64(x) * uint64(c.lens[s])
			if c.lens[s] > 0 {
				kraft += math.Ldexp(1, -int(c.lens[s]))
			}
			require.LessOrEqual(t, c.lens[s], uint8(MaxHuffmanStepBits))
		}
		require.Equal(t, costWant, costGot, "table %d", i)
		if c.used > 1 {
			require.Equal(t, 1.0, kraft, "table %d", i)
		}
		if i%4 == 3 {
			require.True(t, fast, "table %d: flat frequencies need no length limit", i)
		}
		if i == len(tabs)-1 {
			require.False(t, fast, "Fibonacci frequencies exceed the limit")
		}
	}
}
