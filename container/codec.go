package container

import (
	"fmt"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/cm"
	"github.com/entzip/entzip/model/lm"
)

// A codec codes the frames of one stream. It owns the model and the coder
// the stream header names, chosen once per stream, and reuses them from
// frame to frame; model state starts afresh in every frame. A codec is not
// safe for concurrent use.
type codec interface {
	// reset prepares the codec for a new stream.
	reset()
	// encode appends the coded form of src (1..FrameSize bytes) to dst.
	encode(dst, src []byte) []byte
	// decode appends the n bytes coded in src to dst.
	decode(dst, src []byte, n int) ([]byte, error)
	// learn updates a solid model with a frame that was stored raw, as
	// encoding it did on the writer's side.
	learn(src []byte)
}

// Model parameter ranges, from package model.
const (
	minOrder       = 1
	maxOrder       = model.MaxOrderK
	minMemBits     = model.MinOrderKMemBits
	maxMemBits     = model.MaxOrderKMemBits
	defaultMemBits = model.DefaultOrderKMemBits
	// DefaultOrder is the order of -m orderk without --order.
	DefaultOrder = model.DefaultOrderK
)

// newCodec returns the codec for p, which must be valid and have its
// defaults applied; f holds the logits of model lm (nil for the others).
func newCodec(p Params, f *lm.File) (codec, error) {
	if p.Model == LM {
		return newLMCodec(p, f)
	}
	if p.Static {
		switch p.Coder {
		case Huffman:
			return huffmanCodec{order: p.Order}, nil
		case RANS:
			return ransStaticCodec{order: p.Order}, nil
		}
		return nil, fmt.Errorf("%w: no static %s coder", ErrUnsupported, p.Coder)
	}
	var enc coder.AdaptiveEncoder
	var dec coder.AdaptiveDecoder
	switch p.Coder {
	case Arith:
		enc, dec = coder.NewArithEncoder(), coder.NewArithDecoder(nil)
	case RANS:
		enc, dec = coder.NewRANSEncoder(), coder.NewRANSDecoder(nil)
	default:
		return nil, fmt.Errorf("%w: %s has no adaptive mode; use -e arith or -e rans", ErrUnsupported, p.Coder)
	}
	sym, bit, err := NewModel(p)
	if err != nil {
		return nil, err
	}
	c := &adaptiveCodec{sym: sym, bit: bit, enc: enc, dec: dec, solid: p.Solid}
	if p.Codewords {
		c.code = &frameCodes{m: bit.(model.PrefixBitModel), solid: p.Solid}
	}
	return c, nil
}

// NewModel returns a fresh instance of the adaptive model that p names
// (p as Resolve or Reader.Params give it): a SymbolModel for order0, a
// BitModel for orderk and cm, the other one nil. Fed the bytes of a frame
// (bits most significant first for a BitModel; with p.Codewords, the
// codeword bits of each byte after SetCode(CodewordLengths(frame)) on the
// model, a model.PrefixBitModel), it makes exactly the predictions the
// frame was coded with, which is how package bench measures a model's
// ideal code length. Static codes and lm have no such model.
func NewModel(p Params) (model.SymbolModel, model.BitModel, error) {
	switch {
	case p.Static:
	case p.Model == Order0:
		return model.NewOrder0(), nil, nil
	case p.Model == OrderK:
		m, err := model.NewOrderK(p.Order, p.MemBits)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		return nil, m, nil
	case p.Model == CM:
		m, err := cm.New(p.Level)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		return nil, m, nil
	}
	return nil, nil, fmt.Errorf("%w: %s has no adaptive byte model", ErrUnsupported, p)
}

// DecoderMemory estimates the bytes a Reader needs for a stream with
// params p, decoding one frame at a time: the model's tables and two frame
// buffers. A Reader refuses streams that need more than its WithMaxMemory.
func (p Params) DecoderMemory() int64 {
	m := 2*int64(p.FrameSize) + 1<<16
	switch {
	case p.Static:
	case p.Model == OrderK:
		m += int64(1) << p.MemBits
	case p.Model == CM:
		m += cm.MemoryBytes(p.Level)
	case p.Model == LM:
		m += lmMemory(p)
	}
	return m
}
