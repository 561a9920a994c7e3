package coder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// ransStep is one recorded adaptive step of a test sequence.
type ransStep struct {
	bit                bool
	p1                 uint32
	b                  int
	start, freq, total uint32
}

// ransSteps returns n random steps mixing bits and symbols; symbols have
// totals up to 1<<28, powers of two and others. The coded value is drawn
// from the step's own distribution, so the ideal cost is meaningful.
func ransSteps(rng *rand.Rand, n int) ([]ransStep, float64) {
	steps := make([]ransStep, n)
	ideal := 0.0
	for i := range steps {
		s := &steps[i]
		if rng.IntN(2) == 0 {
			s.bit = true
			s.p1 = 1 + rng.Uint32N(1<<16-1)
			if rng.Uint32N(1<<16) < s.p1 {
				s.b = 1
				ideal -= math.Log2(float64(s.p1) / (1 << 16))
			} else {
				ideal -= math.Log2(float64(1<<16-s.p1) / (1 << 16))
			}
			continue
		}
		switch rng.IntN(3) {
		case 0:
			s.total = 1 << rng.IntN(25)
		case 1:
			s.total = 1 + rng.Uint32N(1<<28)
		default:
			s.total = 1 + rng.Uint32N(300)
		}
		// Pick a random interval, then the target within [0, total) so
		// that larger intervals are chosen more often.
		t := rng.Uint32N(s.total)
		s.start = rng.Uint32N(t + 1)
		s.freq = t - s.start + 1 + rng.Uint32N(s.total-t)
		ideal -= math.Log2(float64(s.freq) / float64(s.total))
	}
	return steps, ideal
}

func ransEncodeSteps(e *RANSEncoder, steps []ransStep) []byte {
	e.Reset()
	for _, s := range steps {
		if s.bit {
			e.EncodeBit(s.p1, s.b)
		} else {
			e.EncodeFreq(s.start, s.freq, s.total)
		}
	}
	return e.Finish(nil)
}

// ransDecodeSteps decodes steps from src and checks every value.
func ransDecodeSteps(t *testing.T, d *RANSDecoder, src []byte, steps []ransStep) {
	d.Reset(src)
	for i, s := range steps {
		if s.bit {
			require.Equal(t, s.b, d.DecodeBit(s.p1), "step %d", i)
			continue
		}
		v := d.DecodeFreq(s.total)
		require.True(t, v >= s.start && v < s.start+s.freq, "step %d: target %d outside [%d, %d+%d)", i, v, s.start, s.start, s.freq)
		d.Consume(s.start, s.freq, s.total)
	}
	require.NoError(t, d.Err())
	require.NoError(t, d.Close())
}

func TestRANSAdaptiveRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	e := NewRANSEncoder()
	d := NewRANSDecoder(nil)
	for _, n := range []int{0, 1, 2, 3, 10, 100, 1000, 20_000} {
		steps, ideal := ransSteps(rng, n)
		enc := ransEncodeSteps(e, steps)
		ransDecodeSteps(t, d, enc, steps)
		// Coding loss: at most 0.1 % over the ideal plus the state.
		t.Logf("n=%6d ideal=%10.1f bits coded=%8d bits", n, ideal, 8*len(enc))
		require.LessOrEqual(t, float64(8*len(enc)), ideal*1.001+64+32)
		// Reuse gives the same bytes.
		require.Equal(t, enc, ransEncodeSteps(e, steps))
	}
}

func TestRANSAdaptiveExtremes(t *testing.T) {
	e := NewRANSEncoder()
	d := NewRANSDecoder(nil)
	var steps []ransStep
	for i := range 5000 {
		switch i % 6 {
		case 0:
			steps = append(steps, ransStep{bit: true, p1: 1, b: 1}) // very unlikely
		case 1:
			steps = append(steps, ransStep{bit: true, p1: 1<<16 - 1, b: 0})
		case 2:
			steps = append(steps, ransStep{start: 0, freq: 1 << 24, total: 1 << 24}) // certain
		case 3:
			steps = append(steps, ransStep{start: 1<<24 - 2, freq: 1, total: 1<<24 - 1})
		case 4:
			steps = append(steps, ransStep{start: 0, freq: 1, total: 1})
		default:
			steps = append(steps, ransStep{start: 2, freq: 1, total: 3})
		}
	}
	ransDecodeSteps(t, d, ransEncodeSteps(e, steps), steps)
}

func TestRANSAdaptiveCorrupt(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	steps, _ := ransSteps(rng, 3000)
	enc := ransEncodeSteps(NewRANSEncoder(), steps)
	run := func(src []byte) error {
		d := NewRANSDecoder(src)
		for _, s := range steps {
			if s.bit {
				d.DecodeBit(s.p1)
			} else {
				d.DecodeFreq(s.total)
				// The model would find the symbol of the target; using the
				// recorded interval regardless exercises the check.
				d.Consume(s.start, s.freq, s.total)
			}
		}
		return d.Close()
	}
	require.NoError(t, run(enc))
	for l := range len(enc) {
		if l > 100 && l%53 != 0 {
			continue
		}
		require.ErrorIs(t, run(enc[:l]), ErrCorrupt, "truncated to %d", l)
	}
	require.ErrorIs(t, run(append(enc, 0, 0, 0, 0)), ErrCorrupt, "left over input")
	missed := 0
	bad := make([]byte, len(enc))
	for range 500 {
		copy(bad, enc)
		bad[rng.IntN(len(bad))] ^= 1 << rng.IntN(8)
		if err := run(bad); err == nil {
			missed++
		} else {
			require.ErrorIs(t, err, ErrCorrupt)
		}
	}
	require.Less(t, missed, 5)

	// Invalid arguments are errors for the decoder, sticky, and panics for
	// the encoder.
	d := NewRANSDecoder(enc)
	require.Zero(t, d.DecodeFreq(0))
	require.ErrorIs(t, d.Err(), ErrCorrupt)
	require.Zero(t, d.DecodeBit(1<<15))
	require.ErrorIs(t, d.Close(), ErrCorrupt)
	d.Reset(enc)
	d.Consume(5, 0, 10)
	require.ErrorIs(t, d.Err(), ErrCorrupt)
	d.Reset(enc)
	require.Zero(t, d.DecodeBit(0))
	require.ErrorIs(t, d.Err(), ErrCorrupt)
	e := NewRANSEncoder()
	require.Panics(t, func() { e.EncodeFreq(0, 0, 10) })
	require.Panics(t, func() { e.EncodeFreq(9, 2, 10) })
	require.Panics(t, func() { e.EncodeFreq(0, 1, 1<<28+1) })
	require.Panics(t, func() { e.EncodeBit(0, 1) })
	require.Panics(t, func() { e.EncodeBit(1<<16, 0) })
	require.Panics(t, func() { e.EncodeBit(5, 2) })
}

func TestRANSAdaptiveEmpty(t *testing.T) {
	enc := NewRANSEncoder().Finish([]byte("x"))
	require.Len(t, enc, 1+8)
	d := NewRANSDecoder(enc[1:])
	require.NoError(t, d.Close())
	for _, src := range [][]byte{nil, {1, 2, 3}, make([]byte, 8)} {
		d.Reset(src)
		require.ErrorIs(t, d.Close(), ErrCorrupt)
	}
}

func TestRANSAdaptiveAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	steps, _ := ransSteps(rng, 10_000)
	e := NewRANSEncoder()
	d := NewRANSDecoder(nil)
	dst := ransEncodeSteps(e, steps)
	allocs := testing.AllocsPerRun(10, func() {
		e.Reset()
		for _, s := range steps {
			if s.bit {
				e.EncodeBit(s.p1, s.b)
			} else {
				e.EncodeFreq(s.start, s.freq, s.total)
			}
		}
		dst = e.Finish(dst[:0])
		d.Reset(dst)
		for _, s := range steps {
			if s.bit {
				d.DecodeBit(s.p1)
			} else {
				d.DecodeFreq(s.total)
				d.Consume(s.start, s.freq, s.total)
			}
		}
		if d.Close() != nil {
			t.Fatal("decode failed")
		}
	})
	require.Zero(t, allocs)
}
