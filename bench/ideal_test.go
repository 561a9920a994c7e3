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
// empirical entropy of its frames, and that the coded size is above it and
// its tables but not far above.
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
		bits, model, err := EntzipMethod(c.p).Ideal(data)
		require.NoError(t, err, c.p)
		assert.InDelta(t, c.want, bits, 64, c.p)
		assert.Positive(t, model, "%s: the tables cost", c.p)
		z, err := container.Compress(nil, data, container.WithParams(c.p))
		require.NoError(t, err)
		coded := 8 * float64(len(z))
		assert.Greater(t, coded, bits+model, "%s codes below its ideal and tables", c.p)
		if c.p.Order < 2 { // order-2 Huffman sends rare contexts to their parent's table, far above H2
			assert.Less(t, coded, 1.1*(bits+model)+800, "%s: coded %.0f bits, ideal %.0f, tables %.0f", c.p, coded, bits, model)
		}
	}
}

// TestIdealAdaptive checks every adaptive pair, solid and not, against
// its stream: what it codes never beats the probabilities it is given,
// and stays within 1 % of them plus the model's description (the
// per-frame codes of codewords streams) and a fixed cost per frame.
func TestIdealAdaptive(t *testing.T) {
	data := alice(t)
	var pairs []container.Params
	for _, p := range Pairs() {
		if p.Static {
			continue
		}
		p.FrameSize = 16 << 10 // several frames of alice
		pairs = append(pairs, p)
		if q, ok := solidOf(p); ok {
			pairs = append(pairs, q)
		}
	}
	require.NotEmpty(t, pairs)
	for _, p := range pairs {
		m := EntzipMethod(p)
		bits, model, err := m.Ideal(data)
		require.NoError(t, err, m.Name)
		z, err := m.Compress(nil, data)
		require.NoError(t, err)
		coded := 8 * float64(len(z))
		frames := float64((len(data) + p.FrameSize - 1) / p.FrameSize)
		// A frame's header and the coder's final bytes: 40 bytes at most;
		// the stream's header and end: 64.
		assert.LessOrEqual(t, bits+model, coded, "%s beats its model", m.Name)
		assert.LessOrEqual(t, coded, (bits+model)*1.01+8*(40*frames+64), "%s: coded %.0f bits, ideal %.0f, model %.0f", m.Name, coded, bits, model)
	}
}

// TestIdealFrames checks that model state restarts in every frame unless
// the stream is solid.
func TestIdealFrames(t *testing.T) {
	data := alice(t)
	p := container.Params{Model: container.Order0, Coder: container.Arith, FrameSize: 1 << container.MinFrameLog}
	framed, err := StreamCost(p, data)
	require.NoError(t, err)
	want := 0.0
	for i := 0; i < len(data); i += p.FrameSize {
		want += SymbolModelBits(model.NewOrder0(), data[i:min(i+p.FrameSize, len(data))])
	}
	assert.InDelta(t, want, framed.Data, 1e-6)
	assert.Zero(t, framed.Stored)

	p.Solid = true
	solid, err := StreamCost(p, data)
	require.NoError(t, err)
	assert.InDelta(t, SymbolModelBits(model.NewOrder0(), data), solid.Data, 1e-6)
	assert.Less(t, solid.Data, framed.Data)
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
		bits, err := CrossEntropy(data, container.WithModel(container.OrderK), container.WithOrder(k), container.WithCoder(container.Arith))
		require.NoError(t, err)
		bpb := bits / float64(len(data))
		assert.True(t, bpb > 1 && bpb < 5, "orderk%d: %.3f bits/byte", k, bpb)
	}
	bits, err := CrossEntropy(data, container.WithModel(container.Order0), container.WithCoder(container.Arith))
	require.NoError(t, err)
	prof, err := Entropy(data, 0)
	require.NoError(t, err)
	// An adaptive order-0 model pays to learn: a little above H0.
	assert.InDelta(t, prof.H0, bits/float64(len(data)), 0.15)
	assert.Greater(t, bits/float64(len(data)), prof.H0)
	cmBits, err := CrossEntropy(data, container.WithLevel(1), container.WithModel(container.CM))
	require.NoError(t, err)
	assert.Less(t, cmBits, bits, "cm beats order 0")
	_, err = CrossEntropy(data, container.WithModel(container.LM))
	assert.Error(t, err)
	_, err = CrossEntropy(data, container.WithModel(container.Order0), container.WithCoder(container.Huffman))
	assert.Error(t, err, "a static code has no adaptive model")
	_, err = CrossEntropy(data, container.WithModel(container.OrderK), container.WithOrder(99))
	assert.Error(t, err)
	assert.False(t, math.IsNaN(bits))
}

// halfModel predicts P(1) = 1/2 for every bit.
type halfModel struct{}

func (halfModel) P1() uint32 { return 1 << (model.ProbBits - 1) }
func (halfModel) Update(int) {}
func (halfModel) Reset()     {}
