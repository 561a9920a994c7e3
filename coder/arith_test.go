package coder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// step is one coding event: a symbol interval or a bit.
type step struct {
	bit                bool
	start, freq, total uint32 // for a bit: freq = p1, start = the bit
}

// randomSteps returns n random steps, mixing symbols with totals up to
// 1<<28 and bits, and their ideal code length in bits.
func randomSteps(rng *rand.Rand, n int) ([]step, float64) {
	steps := make([]step, n)
	var ideal float64
	for i := range steps {
		if rng.IntN(2) == 0 {
			p1 := 1 + rng.Uint32N(65535)
			bit := uint32(0)
			// Draw the bit from its own distribution so the ideal length is
			// what a real model would see.
			if rng.Uint32N(65536) < p1 {
				bit = 1
			}
			steps[i] = step{bit: true, start: bit, freq: p1}
			p := float64(p1) / 65536
			if bit == 0 {
				p = 1 - p
			}
			ideal -= math.Log2(p)
			continue
		}
		total := 2 + rng.Uint32N(1<<(1+rng.IntN(28)))
		total = min(total, 1<<28)
		start := rng.Uint32N(total - 1)
		freq := 1 + rng.Uint32N(total-start)
		steps[i] = step{start: start, freq: freq, total: total}
		ideal -= math.Log2(float64(freq) / float64(total))
	}
	return steps, ideal
}

func encodeArith(steps []step) []byte {
	e := NewArithEncoder()
	for _, s := range steps {
		if s.bit {
			e.EncodeBit(s.freq, int(s.start))
		} else {
			e.EncodeFreq(s.start, s.freq, s.total)
		}
	}
	return e.Finish(nil)
}

func TestArithRoundTripAndLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{0, 1, 2, 10, 1000, 100000} {
		steps, ideal := randomSteps(rng, n)
		out := encodeArith(steps)
		d := NewArithDecoder(out)
		for i, s := range steps {
			if s.bit {
				require.Equal(t, int(s.start), d.DecodeBit(s.freq), "step %d", i)
				continue
			}
			target := d.DecodeFreq(s.total)
			require.True(t, target >= s.start && target < s.start+s.freq, "step %d: target %d not in [%d,%d)", i, target, s.start, s.start+s.freq)
			d.Consume(s.start, s.freq, s.total)
		}
		require.NoError(t, d.Close())
		// Loss: at most 0.1 % of the ideal length plus 8 bytes.
		require.LessOrEqual(t, float64(len(out)), ideal/8*1.001+8, "n=%d: %d bytes for ideal %.1f", n, len(out), ideal/8)
	}
}

// TestArithCarry codes long runs that keep low just below a byte boundary,
// so carries must run through many 0xFF bytes.
func TestArithCarry(t *testing.T) {
	for _, p1 := range []uint32{1, 2, 65534, 65535, 32768} {
		for _, bit := range []int{0, 1} {
			e := NewArithEncoder()
			n := 20000
			for i := range n {
				b := bit
				if i%997 == 0 {
					b ^= 1
				}
				e.EncodeBit(p1, b)
			}
			out := e.Finish(nil)
			d := NewArithDecoder(out)
			for i := range n {
				b := bit
				if i%997 == 0 {
					b ^= 1
				}
				require.Equal(t, b, d.DecodeBit(p1), "p1=%d bit %d", p1, i)
			}
			require.NoError(t, d.Close())
		}
	}
}

func TestArithCorruptInputIsHarmless(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	steps, _ := randomSteps(rng, 2000)
	out := encodeArith(steps)
	caught := 0
	for i := range out {
		bad := append([]byte{}, out...)
		bad[i] ^= 0x5A
		d := NewArithDecoder(bad)
		for _, s := range steps {
			if s.bit {
				d.DecodeBit(s.freq)
				continue
			}
			d.DecodeFreq(s.total)
			d.Consume(s.start, s.freq, s.total)
		}
		if d.Close() != nil {
			caught++
		}
	}
	// The coder alone cannot catch everything (the container's CRC does),
	// but it must catch most damage in symbol intervals.
	require.Greater(t, caught, len(out)/2)
}

func FuzzArithDecoder(f *testing.F) {
	f.Add([]byte{}, uint32(100))
	f.Add(encodeArith([]step{{start: 3, freq: 5, total: 10}, {bit: true, freq: 100}}), uint32(10))
	f.Fuzz(func(t *testing.T, src []byte, total uint32) {
		total = 1 + total%(1<<28)
		d := NewArithDecoder(src)
		for i := range 1000 {
			if i%2 == 0 {
				d.DecodeBit(1 + uint32(i*7919)%65535)
				continue
			}
			target := d.DecodeFreq(total)
			if target >= total {
				t.Fatalf("target %d ≥ total %d", target, total)
			}
			d.Consume(target, 1, total)
		}
		_ = d.Close()
	})
}
