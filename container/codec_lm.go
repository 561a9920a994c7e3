package container

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/internal/empirical"
	"github.com/entzip/entzip/model/lm"
)

// lmCodec codes the frames of an LM stream: each frame is a range of
// tokens, coded with the rows of the logits that predict them. Its payload
// is
//
//	first  uvarint   index of the frame's first token (its logits row)
//	count  uvarint   number of tokens in the frame
//	body             the coder's output for the count tokens
//
// With arith and rans a token s is the interval the Model gives it
// (EncodeFreq), as for order0. With huffman every step builds the optimal
// canonical Huffman code of the row's frequencies and writes the token's
// code (coder.HuffmanStepEncoder): whole-bit code lengths cost up to a bit
// per token over the model, which is what this pairing is there to show.
//
// Frames are independent — the Model seeks to row first — so a stored
// frame needs no model update and frames code in parallel.
type lmCodec struct {
	m     *lm.Model
	voc   *lm.Vocab
	rows  uint64
	coder Coder
	enc   coder.AdaptiveEncoder
	dec   coder.AdaptiveDecoder
	henc  *coder.HuffmanStepEncoder
	hdec  *coder.HuffmanStepDecoder
	freq  []uint32 // huffman: the current row's frequencies
}

// newLMCodec returns the codec of an LM stream with params p and the
// logits of res, which it checks against p first: a Reader fails before
// it decodes anything when they are not the encoder's.
func newLMCodec(p Params, res *Resources) (FrameCodec, error) {
	if err := checkLogits(p, res); err != nil {
		return nil, err
	}
	f := res.Logits
	m, err := lm.NewModel(f, lm.WithTotalBits(p.LM.TotalBits))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLogits, err)
	}
	c := &lmCodec{m: m, voc: f.Vocab(), rows: uint64(f.Rows()), coder: p.Coder}
	if p.Coder == Huffman {
		c.henc, c.hdec = coder.NewHuffmanStepEncoder(), coder.NewHuffmanStepDecoder(nil)
		c.freq = make([]uint32, f.VocabSize())
	} else {
		c.enc, c.dec = newAdaptiveCoder(p.Coder)
	}
	return c, nil
}

func (c *lmCodec) Reset()       {}
func (c *lmCodec) Learn([]byte) {}

// Encode appends the payload of frame f to dst: its tokens f.Units, the
// first of which is token number f.First (see lmFramer).
func (c *lmCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	return c.encode(dst, f, nil)
}

// EncodeCost is Encode that sums the ideal code length of the tokens
// under the rows that code them.
func (c *lmCodec) EncodeCost(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	return c.encode(dst, f, cost)
}

// encode appends the payload of f to dst, adding its cost to cost if not
// nil.
func (c *lmCodec) encode(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	first, toks := f.First, f.Units
	dst = binary.AppendUvarint(dst, uint64(first))
	dst = binary.AppendUvarint(dst, uint64(len(toks)))
	if err := c.m.Seek(first); err != nil {
		return dst, fmt.Errorf("%w: %w", ErrLogits, err)
	}
	switch c.coder {
	case Huffman:
		e := c.henc
		e.Reset()
		for _, s := range toks {
			total := c.rowFreqs()
			if cost != nil {
				cost.Data += empirical.Log2(total) - empirical.Log2(c.freq[s])
			}
			if err := e.Encode(c.freq, int(s)); err != nil {
				return dst, fmt.Errorf("%w: token %d: %w", ErrLogits, first, err)
			}
			c.m.Update(int(s))
		}
		dst = e.Finish(dst)
	default:
		if cost == nil {
			dst = encodeLMTokens(c.m, c.enc, toks, dst)
			break
		}
		t := costTee{e: c.enc}
		dst = encodeLMTokens(c.m, &t, toks, dst)
		cost.Data += t.bits
	}
	if err := c.m.Err(); err != nil {
		return dst, fmt.Errorf("%w: %w", ErrLogits, err)
	}
	return dst, nil
}

// encodeLMTokens codes toks with e under m's rows.
func encodeLMTokens(m *lm.Model, e coder.AdaptiveEncoder, toks []int32, dst []byte) []byte {
	e.Reset()
	for _, s := range toks {
		start, freq, total := m.Interval(int(s))
		e.EncodeFreq(start, freq, total)
		m.Update(int(s))
	}
	return e.Finish(dst)
}

// rowFreqs fills c.freq with the current row's frequencies and returns
// their total.
func (c *lmCodec) rowFreqs() (total uint32) {
	for s := range c.freq {
		_, c.freq[s], total = c.m.Interval(s)
	}
	return total
}

// Decode appends the n raw bytes of the frame whose payload is src to dst.
func (c *lmCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	first, k1 := binary.Uvarint(src)
	count, k2 := 0, 0
	if k1 > 0 {
		var v uint64
		v, k2 = binary.Uvarint(src[k1:])
		count = int(min(v, c.rows+1))
		if v > c.rows || first > c.rows || v > c.rows-first {
			return dst, fmt.Errorf("%w: lm frame of %d tokens from token %d, the logits have %d rows", ErrCorrupt, v, first, c.rows)
		}
	}
	if k1 <= 0 || k2 <= 0 {
		return dst, fmt.Errorf("%w: lm frame's token range is unreadable", ErrCorrupt)
	}
	body := src[k1+k2:]
	if err := c.m.Seek(int(first)); err != nil {
		return dst, fmt.Errorf("%w: %w", ErrLogits, err)
	}
	start := len(dst)
	dst = slices.Grow(dst, n)
	var err error
	switch c.coder {
	case Huffman:
		d := c.hdec
		d.Reset(body)
		for range count {
			c.rowFreqs()
			s := d.Decode(c.freq)
			c.m.Update(s)
			if dst, err = c.appendToken(dst, s, start, n); err != nil {
				break
			}
		}
		if err == nil {
			err = d.Close()
		}
	default:
		dst, err = decodeLMTokens(c, c.dec, body, count, dst, start, n)
	}
	if merr := c.m.Err(); merr != nil {
		return dst, fmt.Errorf("%w: %w", ErrLogits, merr)
	}
	if err != nil {
		return dst, err
	}
	if got := len(dst) - start; got != n {
		return dst, fmt.Errorf("%w: lm frame's %d tokens give %d bytes, frame header says %d", ErrCorrupt, count, got, n)
	}
	return dst, nil
}

// decodeLMTokens decodes count tokens of body with d under the Model's
// rows, appending their bytes to dst.
func decodeLMTokens(c *lmCodec, d coder.AdaptiveDecoder, body []byte, count int, dst []byte, start, n int) ([]byte, error) {
	d.Reset(body)
	m := c.m
	var err error
	for range count {
		total := m.Total()
		target := min(d.DecodeFreq(total), total-1) // corrupt input: the CRC tells
		s, st, freq := m.Find(target)
		d.Consume(st, freq, total)
		m.Update(s)
		if dst, err = c.appendToken(dst, s, start, n); err != nil {
			return dst, err
		}
	}
	return dst, d.Close()
}

// appendToken appends token s's bytes to dst, failing when the frame's
// bytes (from start) would exceed n.
func (c *lmCodec) appendToken(dst []byte, s, start, n int) ([]byte, error) {
	b := c.voc.Token(s)
	if len(dst)-start+len(b) > n {
		return dst, fmt.Errorf("%w: lm frame's tokens give more than the %d bytes its header says", ErrCorrupt, n)
	}
	return append(dst, b...), nil
}
