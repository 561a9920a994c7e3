package bench

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model"
)

// TestIdealStatic checks that the ideal of a semi-static pair is the
// empirical entropy of its frames, and that the coded size is above it
// (the tables are not free) but not far above.
func TestIdealStatic(t *testing.T) {
	data := alice(t)
	prof, err := Entropy(data, 2)
	require.NoError(t, err)
	n := float64(len(data))
	for _, c := range []struct {
		p    container.Params
		want float64
	}{
		{container.Params{Model: container.Order0, Coder: container.Huffman, Static: true}, n * prof.H0},
		{container.Params{Model: container.Order0, Coder: container.RANS, Static: true}, n * prof.H0},
		// Zero-padded contexts: the first bytes differ from the skipping
		// convention of Profile by a few bits at most.
		{container.Params{Model: container.OrderK, Order: 1, Coder: container.Huffman, Static: true}, prof.BoundBits(1)},
		{container.Params{Model: container.OrderK, Order: 2, Coder: container.Huffman, Static: true}, prof.BoundBits(2)},
		{container.Params{Model: container.OrderK, Order: 1, Coder: container.RANS, Static: true}, prof.BoundBits(1)},
	} {
		bits, err := IdealBits(c.p, data)
		require.NoError(t, err, c.p)
		assert.InDelta(t, c.want, bits, 64, c.p)
		z, err := container.Compress(nil, data, container.WithParams(c.p))
		require.NoError(t, err)
		assert.Greater(t, 8*float64(len(z)), bits, "%s codes below its ideal", c.p)
	}
}

// TestIdealAdaptive checks that every adaptive pair codes within a small
// overhead of its model's ideal code length: the coders are near exact,
// and the ideal is computed from the same probabilities.
func TestIdealAdaptive(t *testing.T) {
	data := alice(t)
	for _, p := range Pairs() {
		if p.Static {
			continue
		}
		bits, err := IdealBits(p, data)
		require.NoError(t, err, p)
		z, err := container.Compress(nil, data, container.WithParams(p))
		require.NoError(t, err)
		coded := 8 * float64(len(z))
		// Header, frame records and coder flush: some tens of bytes; the
		// coders' own loss stays under 1 %.
		assert.Greater(t, coded, bits-64, "%s beats its model by more than a flush", PairName(p))
		assert.Less(t, coded, bits*1.01+400, "%s: coded %.0f bits, ideal %.0f", PairName(p), coded, bits)
	}
}

// TestIdealFrames checks that model state restarts in every frame unless
// the stream is solid.
func TestIdealFrames(t *testing.T) {
	data := alice(t)
	p := container.Params{Model: container.Order0, Coder: container.Arith, FrameSize: 1 << container.MinFrameLog}
	framed, err := IdealBits(p, data)
	require.NoError(t, err)
	want := 0.0
	for i := 0; i < len(data); i += p.FrameSize {
		want += SymbolModelBits(model.NewOrder0(), data[i:min(i+p.FrameSize, len(data))])
	}
	assert.InDelta(t, want, framed, 1e-6)

	p.Solid = true
	solid, err := IdealBits(p, data)
	require.NoError(t, err)
	assert.InDelta(t, SymbolModelBits(model.NewOrder0(), data), solid, 1e-6)
	assert.Less(t, solid, framed)
}

// TestModelBits checks the cross-entropy of models whose probabilities
// are known.
func TestModelBits(t *testing.T) {
	// A static model of counts a:3, b:1 gives a the interval
	// 1 + ⌊3·(2^16−256)/4⌋ of 2^16 (see model/freqtable.go).
	var counts [256]uint32
	counts['a'], counts['b'] = 3, 1
	st := model.NewStaticOrder0(&counts)
	assert.InDelta(t, 2*math.Log2(65536.0/48961)+math.Log2(65536.0/16321), SymbolModelBits(st, []byte("aba")), 1e-12)
	// A BitModel predicting 1/2 always costs 8 bits a byte.
	assert.InDelta(t, 800, BitModelBits(halfModel{}, make([]byte, 100)), 1e-9)

	data := alice(t)
	for k := 1; k <= model.MaxOrderK; k++ {
		bits, err := CrossEntropy(container.OrderK, k, 0, data)
		require.NoError(t, err)
		bpb := bits / float64(len(data))
		assert.True(t, bpb > 1 && bpb < 5, "orderk%d: %.3f bits/byte", k, bpb)
	}
	bits, err := CrossEntropy(container.Order0, 0, 0, data)
	require.NoError(t, err)
	prof, err := Entropy(data, 0)
	require.NoError(t, err)
	// An adaptive order-0 model pays to learn: a little above H0.
	assert.InDelta(t, prof.H0, bits/float64(len(data)), 0.15)
	assert.Greater(t, bits/float64(len(data)), prof.H0)
	cmBits, err := CrossEntropy(container.CM, 1, 0, data)
	require.NoError(t, err)
	assert.Less(t, cmBits, bits, "cm beats order 0")
	_, err = CrossEntropy(container.LM, 0, 0, data)
	assert.Error(t, err)
	_, err = CrossEntropy(container.OrderK, 99, 0, data)
	assert.Error(t, err)
	assert.False(t, math.IsNaN(bits))
}

// halfModel predicts P(1) = 1/2 for every bit.
type halfModel struct{}

func (halfModel) P1() uint32 { return 1 << (model.ProbBits - 1) }
func (halfModel) Update(int) {}
func (halfModel) Reset()     {}
