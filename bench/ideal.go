package bench

import (
	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/internal/empirical"
	"github.com/entzip/entzip/model"
)

// SymbolModelBits runs m over data from its current state, updating it,
// and returns the ideal code length of data under m's predictions:
// Σ log2(total/freq) over the bytes, the cross-entropy an exact arithmetic
// coder would reach. Floats are fine here: nothing of it feeds a coder.
func SymbolModelBits(m model.SymbolModel, data []byte) float64 {
	var bits float64
	for _, b := range data {
		s := int(b)
		_, freq, total := m.Interval(s)
		bits += empirical.Log2(total) - empirical.Log2(freq)
		m.Update(s)
	}
	return bits
}

// BitModelBits runs m over the bits of data (most significant first, or
// the bits of each byte's codeword for a model.PrefixBitModel) from its
// current state, updating it, and returns the ideal code length:
// Σ log2(1/P(bit)) over the bits, with P(1) = P1()/2^16.
func BitModelBits(m model.BitModel, data []byte) float64 {
	pm, coded := m.(model.PrefixBitModel)
	var bits float64
	for _, c := range data {
		code, n := uint32(c), 8
		if coded {
			code, n = pm.Codeword(c)
		}
		for i := n - 1; i >= 0; i-- {
			bit := int(code>>uint(i)) & 1
			p := m.P1()
			if bit == 0 {
				p = 1<<model.ProbBits - p
			}
			bits += model.ProbBits - empirical.Log2(p)
			m.Update(bit)
		}
	}
	return bits
}

// StreamCost returns what coding data with the container parameters p
// costs, frame by frame as a Writer codes it (container.WithCost): the
// ideal code length under the probabilities the coder is given, the
// tables, and the frames stored raw.
func StreamCost(p container.Params, data []byte) (container.Cost, error) {
	var c container.Cost
	_, err := container.Compress(nil, data, container.WithParams(p), container.WithCost(&c))
	return c, err
}

// CrossEntropy returns the ideal code length in bits of data under a fresh
// adaptive model, the one a Writer with opts would code with (say
// container.WithModel and container.WithOrder), run over the whole of data
// in one pass, without the container's frame boundaries. Divided by
// len(data) it estimates the entropy rate of the source the model can see.
func CrossEntropy(data []byte, opts ...container.WriterOption) (float64, error) {
	p, err := container.Resolve(opts...)
	if err != nil {
		return 0, err
	}
	sym, bit, err := container.NewModel(p)
	if err != nil {
		return 0, err
	}
	if sym != nil {
		return SymbolModelBits(sym, data), nil
	}
	if p.Codewords {
		if err := container.SetFrameCode(bit.(model.PrefixBitModel), data); err != nil {
			return 0, err
		}
	}
	return BitModelBits(bit, data), nil
}
