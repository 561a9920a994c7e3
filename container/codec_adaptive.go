package container

import (
	"slices"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/cm"
)

// adaptiveCodec drives an adaptive coder with a model, byte by byte
// (SymbolModel) or bit by bit (BitModel). The coding loops are generic:
// built-in models and coders get loops instantiated with their concrete
// types; any other model runs the same loops through the interfaces and
// codes the same bytes. Go compiles one body for all pointer types and
// calls their methods through a dictionary, so orderk and cm with the
// range coder have loops of their own (codec_bitloops.go).
// A solid codec keeps the model's state from frame to frame; otherwise
// every frame starts from a fresh model.
type adaptiveCodec struct {
	sym   model.SymbolModel // either sym or bit is set
	bit   model.BitModel
	enc   coder.AdaptiveEncoder
	dec   coder.AdaptiveDecoder
	solid bool
	// used is whether the model has seen data since it was made or reset:
	// resetting a fresh model would only touch (and page in) all of its
	// tables, up to 1.3 GiB for cm.
	used bool
}

func (c *adaptiveCodec) reset() {
	if !c.used {
		return
	}
	c.used = false
	if c.sym != nil {
		c.sym.Reset()
	} else {
		c.bit.Reset()
	}
}

func (c *adaptiveCodec) encode(dst, src []byte) []byte {
	if !c.solid {
		c.reset()
	}
	c.enc.Reset()
	c.run(c.enc, src)
	return c.enc.Finish(dst)
}

// learn runs the model over src as encoding does, without coding.
func (c *adaptiveCodec) learn(src []byte) {
	if c.solid {
		c.run(nullEncoder{}, src)
	}
}

// run codes src with e under the model's predictions.
func (c *adaptiveCodec) run(e coder.AdaptiveEncoder, src []byte) {
	c.used = true
	if c.sym != nil {
		switch m := c.sym.(type) {
		case *model.Order0:
			encodeSymbolsWith(m, e, src)
		default:
			encodeSymbolsWith(c.sym, e, src)
		}
		return
	}
	switch m := c.bit.(type) {
	case *model.OrderK:
		if e, ok := e.(*coder.ArithEncoder); ok {
			encodeOrderKArith(m, e, src)
			return
		}
		encodeBitsWith(m, e, src)
	case *cm.Model:
		if e, ok := e.(*coder.ArithEncoder); ok {
			encodeCMArith(m, e, src)
			return
		}
		encodeBitsWith(m, e, src)
	default:
		encodeBitsWith(c.bit, e, src)
	}
}

func (c *adaptiveCodec) decode(dst, src []byte, n int) ([]byte, error) {
	if !c.solid {
		c.reset()
	}
	c.dec.Reset(src)
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	c.used = true
	if c.sym != nil {
		switch m := c.sym.(type) {
		case *model.Order0:
			decodeSymbolsWith(m, c.dec, out)
		default:
			decodeSymbolsWith(c.sym, c.dec, out)
		}
	} else {
		switch m := c.bit.(type) {
		case *model.OrderK:
			if d, ok := c.dec.(*coder.ArithDecoder); ok {
				decodeOrderKArith(m, d, out)
				break
			}
			decodeBitsWith(m, c.dec, out)
		case *cm.Model:
			if d, ok := c.dec.(*coder.ArithDecoder); ok {
				decodeCMArith(m, d, out)
				break
			}
			decodeBitsWith(m, c.dec, out)
		default:
			decodeBitsWith(c.bit, c.dec, out)
		}
	}
	return dst, c.dec.Close()
}

// nullEncoder codes nothing: with it, run only trains the model.
type nullEncoder struct{}

func (nullEncoder) Reset()                    {}
func (nullEncoder) EncodeFreq(_, _, _ uint32) {}
func (nullEncoder) EncodeBit(uint32, int)     {}
func (nullEncoder) Finish(dst []byte) []byte  { return dst }

// The ...With functions pick the concrete coder type.

func encodeSymbolsWith[M model.SymbolModel](m M, e coder.AdaptiveEncoder, src []byte) {
	switch e := e.(type) {
	case *coder.ArithEncoder:
		encodeSymbols(m, e, src)
	case *coder.RANSEncoder:
		encodeSymbols(m, e, src)
	default:
		encodeSymbols(m, e, src)
	}
}

func decodeSymbolsWith[M model.SymbolModel](m M, d coder.AdaptiveDecoder, dst []byte) {
	switch d := d.(type) {
	case *coder.ArithDecoder:
		decodeSymbols(m, d, dst)
	case *coder.RANSDecoder:
		decodeSymbols(m, d, dst)
	default:
		decodeSymbols(m, d, dst)
	}
}

func encodeBitsWith[M model.BitModel](m M, e coder.AdaptiveEncoder, src []byte) {
	switch e := e.(type) {
	case *coder.ArithEncoder:
		encodeBits(m, e, src)
	case *coder.RANSEncoder:
		encodeBits(m, e, src)
	default:
		encodeBits(m, e, src)
	}
}

func decodeBitsWith[M model.BitModel](m M, d coder.AdaptiveDecoder, dst []byte) {
	switch d := d.(type) {
	case *coder.ArithDecoder:
		decodeBits(m, d, dst)
	case *coder.RANSDecoder:
		decodeBits(m, d, dst)
	default:
		decodeBits(m, d, dst)
	}
}

// encodeSymbols codes each byte of src with the interval m predicts.
func encodeSymbols[M model.SymbolModel, E coder.AdaptiveEncoder](m M, e E, src []byte) {
	for _, b := range src {
		s := int(b)
		start, freq, total := m.Interval(s)
		e.EncodeFreq(start, freq, total)
		m.Update(s)
	}
}

// decodeSymbols fills dst with the bytes d decodes under m's predictions.
func decodeSymbols[M model.SymbolModel, D coder.AdaptiveDecoder](m M, d D, dst []byte) {
	for i := range dst {
		total := m.Total()
		s, start, freq := m.Find(d.DecodeFreq(total))
		d.Consume(start, freq, total)
		m.Update(s)
		dst[i] = byte(s)
	}
}

// encodeBits codes the bits of src, most significant first, with the
// probabilities m predicts.
func encodeBits[M model.BitModel, E coder.AdaptiveEncoder](m M, e E, src []byte) {
	for _, b := range src {
		for i := 7; i >= 0; i-- {
			bit := int(b>>uint(i)) & 1
			e.EncodeBit(m.P1(), bit)
			m.Update(bit)
		}
	}
}

// decodeBits fills dst with the bytes d decodes under m's predictions.
func decodeBits[M model.BitModel, D coder.AdaptiveDecoder](m M, d D, dst []byte) {
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
