package container

import (
	"slices"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/cm"
)

// adaptiveCodec drives an adaptive coder with a model, byte by byte
// (SymbolModel) or bit by bit (BitModel). The coding loops call the model
// and the coder through their interfaces, so any model and coder run them
// alike; orderk and cm with the range coder, the pairs where a call costs
// most, have loops with concrete types (codec_bitloops.go).
// A solid codec keeps the model's state from frame to frame; otherwise
// every frame starts from a fresh model.
type adaptiveCodec struct {
	sym   model.SymbolModel // either sym or bit is set
	bit   model.BitModel
	enc   coder.AdaptiveEncoder
	dec   coder.AdaptiveDecoder
	solid bool
	// code chooses and reads the frames' prefix codes when the stream
	// codes codewords (Params.Codewords); nil otherwise.
	code *frameCodes
	// used is whether the model has seen data since it was made or reset:
	// resetting a fresh model would only touch (and page in) all of its
	// tables, up to 1.3 GiB for cm.
	used bool
}

func (c *adaptiveCodec) Reset() {
	if !c.used {
		return
	}
	c.used = false
	if c.code != nil {
		c.code.reset()
	}
	if c.sym != nil {
		c.sym.Reset()
	} else {
		c.bit.Reset()
	}
}

func (c *adaptiveCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	return c.encode(dst, f.Raw, nil), nil
}

// EncodeCost is Encode through a costTee, which sums the ideal code length
// of the model's predictions as the coder codes them.
func (c *adaptiveCodec) EncodeCost(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	return c.encode(dst, f.Raw, cost), nil
}

// encode appends the coded src to dst, adding its cost to cost if not nil.
func (c *adaptiveCodec) encode(dst, src []byte, cost *Cost) []byte {
	if !c.solid {
		c.Reset()
	}
	if c.code != nil {
		start := len(dst)
		dst = c.code.write(dst, src)
		if cost != nil {
			cost.Model += 8 * float64(len(dst)-start)
		}
	}
	c.enc.Reset()
	if cost == nil {
		c.run(c.enc, src)
		return c.enc.Finish(dst)
	}
	t := costTee{e: c.enc}
	c.run(&t, src)
	cost.Data += t.bits
	return c.enc.Finish(dst)
}

// Learn runs the model over src as encoding does, without coding.
func (c *adaptiveCodec) Learn(src []byte) {
	if !c.solid {
		return
	}
	if c.code != nil {
		c.code.next(src)
	}
	c.run(nullEncoder{}, src)
}

// run codes src with e under the model's predictions.
func (c *adaptiveCodec) run(e coder.AdaptiveEncoder, src []byte) {
	c.used = true
	if c.sym != nil {
		encodeSymbols(c.sym, e, src)
		return
	}
	if e, ok := e.(*coder.ArithEncoder); ok {
		switch m := c.bit.(type) {
		case *model.OrderK:
			encodeOrderKArith(m, e, src)
			return
		case *cm.Model:
			encodeCMArith(m, e, src)
			return
		}
	}
	encodeBits(c.bit, e, src)
}

func (c *adaptiveCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	if !c.solid {
		c.Reset()
	}
	if c.code != nil {
		var err error
		if src, err = c.code.read(src); err != nil {
			return dst, err
		}
	}
	c.dec.Reset(src)
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	c.used = true
	if c.sym != nil {
		decodeSymbols(c.sym, c.dec, out)
	} else {
		c.decodeBits(out)
	}
	if c.code != nil {
		c.code.decoded(out)
	}
	return dst, c.dec.Close()
}

// decodeBits fills out with the bytes the bit model and c.dec decode.
func (c *adaptiveCodec) decodeBits(out []byte) {
	if d, ok := c.dec.(*coder.ArithDecoder); ok {
		switch m := c.bit.(type) {
		case *model.OrderK:
			decodeOrderKArith(m, d, out)
			return
		case *cm.Model:
			decodeCMArith(m, d, out)
			return
		}
	}
	decodeBits(c.bit, c.dec, out)
}

// nullEncoder codes nothing: with it, run only trains the model.
type nullEncoder struct{}

func (nullEncoder) Reset()                    {}
func (nullEncoder) EncodeFreq(_, _, _ uint32) {}
func (nullEncoder) EncodeBit(uint32, int)     {}
func (nullEncoder) Finish(dst []byte) []byte  { return dst }

// encodeSymbols codes each byte of src with the interval m predicts.
func encodeSymbols(m model.SymbolModel, e coder.AdaptiveEncoder, src []byte) {
	for _, b := range src {
		s := int(b)
		start, freq, total := m.Interval(s)
		e.EncodeFreq(start, freq, total)
		m.Update(s)
	}
}

// decodeSymbols fills dst with the bytes d decodes under m's predictions.
func decodeSymbols(m model.SymbolModel, d coder.AdaptiveDecoder, dst []byte) {
	for i := range dst {
		total := m.Total()
		s, start, freq := m.Find(d.DecodeFreq(total))
		d.Consume(start, freq, total)
		m.Update(s)
		dst[i] = byte(s)
	}
}

// encodeBits codes the bits of src, most significant first (or the bits
// of their codewords, for a PrefixBitModel), with the probabilities m
// predicts.
func encodeBits(m model.BitModel, e coder.AdaptiveEncoder, src []byte) {
	pm, coded := m.(model.PrefixBitModel)
	for _, b := range src {
		code, n := uint32(b), 8
		if coded {
			code, n = pm.Codeword(b)
		}
		for i := n - 1; i >= 0; i-- {
			bit := int(code>>uint(i)) & 1
			e.EncodeBit(m.P1(), bit)
			m.Update(bit)
		}
	}
}

// decodeBits fills dst with the bytes d decodes under m's predictions.
func decodeBits(m model.BitModel, d coder.AdaptiveDecoder, dst []byte) {
	if m, ok := m.(model.PrefixBitModel); ok {
		decodeCodewords(m, d, dst)
		return
	}
	for i := range dst {
		c := 0
		for range 8 {
			bit := d.DecodeBit(m.P1())
			m.Update(bit)
			c = c<<1 | bit
		}
		dst[i] = byte(c)
	}
}

// decodeCodewords fills dst with the bytes whose codewords d decodes under
// m's predictions. Every codeword ends within model.MaxCodeBits bits (the
// code is complete), so this takes at most that many bits per byte, even
// on corrupt input.
func decodeCodewords(m model.PrefixBitModel, d coder.AdaptiveDecoder, dst []byte) {
	for i := 0; i < len(dst); {
		bit := d.DecodeBit(m.P1())
		m.Update(bit)
		if s := m.Symbol(); s >= 0 {
			dst[i] = byte(s)
			i++
		}
	}
}
