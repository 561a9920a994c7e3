package container

import (
	"fmt"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
)

// adaptive reports whether c codes adaptively, symbol by symbol or bit by
// bit, with whatever probabilities a model gives it.
func (c Coder) adaptive() bool { return c == Arith || c == RANS }

// newAdaptiveCoder returns an encoder and a decoder of the adaptive coder c.
func newAdaptiveCoder(c Coder) (coder.AdaptiveEncoder, coder.AdaptiveDecoder) {
	if c == Arith {
		return coder.NewArithEncoder(), coder.NewArithDecoder(nil)
	}
	return coder.NewRANSEncoder(), coder.NewRANSDecoder(nil)
}

// newCodec returns the codec for p, which must be valid and have its
// defaults applied, with the resources of the Writer or Reader. It is the
// one place where a model and a coder are paired: the mode of p's model
// spec makes the codec, or the container drives the spec's model with
// the adaptive coder.
func newCodec(p Params, res *Resources) (FrameCodec, error) {
	s, err := spec(p.Model)
	if err != nil {
		return nil, err
	}
	m, err := s.mode(p)
	if err != nil {
		return nil, err
	}
	if m.NewCodec != nil {
		return m.NewCodec(p, res)
	}
	sym, bit, err := s.newModel(p)
	if err != nil {
		return nil, err
	}
	enc, dec := newAdaptiveCoder(p.Coder)
	c := &adaptiveCodec{sym: sym, bit: bit, enc: enc, dec: dec, solid: p.Solid}
	if p.Codewords {
		c.code = newFrameCodes(bit.(model.PrefixBitModel), p)
	}
	return c, nil
}

// newModel makes the spec's model for p.
func (s *ModelSpec) newModel(p Params) (model.SymbolModel, model.BitModel, error) {
	var sym model.SymbolModel
	var bit model.BitModel
	var err error
	switch {
	case s.NewSymbolModel != nil:
		sym, err = s.NewSymbolModel(p)
	case s.NewBitModel != nil:
		bit, err = s.NewBitModel(p)
	default:
		return nil, nil, fmt.Errorf("%w: %s has no adaptive byte model", ErrUnsupported, p)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	if _, ok := bit.(model.PrefixBitModel); s.Codewords && !ok {
		return nil, nil, fmt.Errorf("%w: model %s codes codewords but is no model.PrefixBitModel", ErrUnsupported, s.Name)
	}
	return sym, bit, nil
}

// NewModel returns a fresh instance of the adaptive model that p names
// (p as Resolve or Reader.Params give it): a SymbolModel for order0, a
// BitModel for orderk and cm, the other one nil. Fed the bytes of a frame
// (bits most significant first for a BitModel; with p.Codewords, the
// codeword bits of each byte after SetCode(CodewordLengths(frame)) on the
// model, a model.PrefixBitModel), it makes exactly the predictions the
// frame was coded with. Static codes and lm have no such model.
func NewModel(p Params) (model.SymbolModel, model.BitModel, error) {
	s, err := spec(p.Model)
	if err != nil {
		return nil, nil, err
	}
	if p.Static {
		return nil, nil, fmt.Errorf("%w: %s has no adaptive byte model", ErrUnsupported, p)
	}
	return s.newModel(p)
}

// DecoderMemory estimates the bytes a Reader needs for a stream with
// params p, decoding one frame at a time: the model's tables and two frame
// buffers. A Reader refuses streams that need more than its WithMaxMemory.
func (p Params) DecoderMemory() int64 {
	m := 2*int64(p.FrameSize) + 1<<16
	if s := lookup(p.Model); s != nil && !p.Static && s.Memory != nil {
		m += s.Memory(p)
	}
	if p.Text {
		m += int64(textMaxLen(p.FrameSize)) // the transformed frame
	}
	return m
}
