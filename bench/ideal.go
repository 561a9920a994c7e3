package bench

import (
	"fmt"
	"math"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model"
)

// log2Tab[i] = log2(i) for 1 ≤ i ≤ 2^16; log2Tab[0] is unused.
var log2Tab = func() *[1<<16 + 1]float64 {
	var t [1<<16 + 1]float64
	for i := 1; i < len(t); i++ {
		t[i] = math.Log2(float64(i))
	}
	return &t
}()

// SymbolModelBits runs m over data from its current state, updating it,
// and returns the ideal code length of data under m's predictions:
// Σ log2(total/freq) over the bytes, the cross-entropy an exact arithmetic
// coder would reach. Floats are fine here: nothing of it feeds a coder.
func SymbolModelBits(m model.SymbolModel, data []byte) float64 {
	var bits float64
	for _, b := range data {
		s := int(b)
		_, freq, total := m.Interval(s)
		bits += lg(total) - lg(freq)
		m.Update(s)
	}
	return bits
}

// lg returns log2(x), by table for x ≤ 2^16.
func lg(x uint32) float64 {
	if x <= 1<<16 {
		return log2Tab[x]
	}
	return math.Log2(float64(x))
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
			bits += model.ProbBits - log2Tab[min(p, 1<<16)]
			m.Update(bit)
		}
	}
	return bits
}

// IdealBits returns the ideal code length in bits of data coded with the
// container parameters p, frame by frame as the container codes it (model
// state starts afresh in every frame of p.FrameSize bytes, or carries over
// for a solid stream):
//
//   - adaptive models: the model's cross-entropy, SymbolModelBits or
//     BitModelBits of each frame from a fresh model — the exact
//     probabilities the coder is given, so the difference to the coded size
//     is the coder's own overhead and the container's framing;
//   - semi-static order-0 tables (huffman, rans static): Σ_frames n·H0;
//   - semi-static order-k tables (huffman k ≤ 2, rans static k = 1): the
//     empirical conditional entropy of each frame with the contexts the
//     coder uses (bytes before the frame taken as 0; static rANS order 1
//     restarts its context at each of its four segments).
//
// The static ideals count no table: what the tables cost is part of the
// overhead the difference shows.
func IdealBits(p container.Params, data []byte) (float64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	p = withDefaults(p)
	frame := p.FrameSize
	var cost func([]byte) float64
	switch {
	case p.Static && p.Model == container.Order0:
		cost = func(f []byte) float64 { return order0Bits(f) }
	case p.Static && p.Coder == container.RANS: // order 1
		cost = ransO1Bits
	case p.Static:
		var s sorter
		cost = func(f []byte) float64 { b, _ := s.condBits(f, p.Order, false); return b }
	default:
		sym, bit, err := container.NewModel(p)
		if err != nil {
			return 0, fmt.Errorf("bench: no ideal code length for %s: %w", p, err)
		}
		cost = func(f []byte) float64 { bit.Reset(); return BitModelBits(bit, f) }
		if p.Codewords {
			// Each frame brings its own code (not counted, like tables).
			pm := bit.(model.PrefixBitModel)
			cost = func(f []byte) float64 {
				bit.Reset()
				if err := pm.SetCode(container.CodewordLengths(f)); err != nil {
					panic(err) // CodewordLengths makes codes SetCode takes
				}
				return BitModelBits(bit, f)
			}
		}
		if sym != nil {
			cost = func(f []byte) float64 { sym.Reset(); return SymbolModelBits(sym, f) }
		}
	}
	if p.Solid {
		// The model's state carries over from frame to frame: one pass.
		return cost(data), nil
	}
	var bits float64
	for len(data) > 0 {
		f := data[:min(frame, len(data))]
		data = data[len(f):]
		bits += cost(f)
	}
	return bits, nil
}

// order0Bits returns n·H0 of f in bits.
func order0Bits(f []byte) float64 {
	var counts [256]int64
	for _, b := range f {
		counts[b]++
	}
	bits := xlog2x(int64(len(f)))
	for _, c := range counts {
		bits -= xlog2x(c)
	}
	return nonNeg(bits)
}

// ransO1Bits returns the empirical order-1 cost of f with the contexts of
// coder.EncodeRANSO1: the previous byte, 0 at the start of each of its
// four segments [j·m, (j+1)·m), m = ⌊n/4⌋, the last running to n.
func ransO1Bits(f []byte) float64 {
	counts := make([]int64, 256*256)
	seg := len(f) / 4
	prev := byte(0)
	for i, b := range f {
		if seg > 0 && i%seg == 0 && i/seg < 4 {
			prev = 0
		}
		counts[int(prev)<<8|int(b)]++
		prev = b
	}
	var bits float64
	for c := range 256 {
		row := counts[c<<8 : (c+1)<<8]
		var n int64
		for _, x := range row {
			n += x
			bits -= xlog2x(x)
		}
		bits += xlog2x(n)
	}
	return nonNeg(bits)
}

// CrossEntropy returns the ideal code length in bits of data under a fresh
// adaptive model m (container.Order0; container.OrderK of the given order
// and memBits, memBits 0 for the default; container.CM at memory level
// order, 0 for the default), run over the whole of data in one pass,
// without the container's frame boundaries. Divided by len(data) it
// estimates the entropy rate of the source the model can see.
func CrossEntropy(m container.Model, order, memBits int, data []byte) (float64, error) {
	p := container.Params{Model: m, Coder: container.Arith}
	switch m {
	case container.OrderK:
		p.Order, p.MemBits, p.Codewords = order, memBits, true
	case container.CM:
		p.Level = order
	}
	p, err := container.Resolve(container.WithParams(p))
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
		if err := bit.(model.PrefixBitModel).SetCode(container.CodewordLengths(data)); err != nil {
			return 0, err
		}
	}
	return BitModelBits(bit, data), nil
}
