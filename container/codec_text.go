package container

import (
	"fmt"

	"github.com/entzip/entzip/internal/histogram"
)

// textCodec is the codec of a stream with the text flag
// (Params.Text): it transforms each frame that looks like text
// (filter_text.go) before the codec c codes it and undoes the transform
// after c decodes it. In a solid stream the alphabet and the dictionary
// carry over from frame to frame until Reset, as the model does;
// otherwise every frame starts without them. A frame with at most 4 byte
// values is packed (filter_pack.go) instead, and a frame that is not text
// but machine code goes through the x86 filter (filter_x86.go).
type textCodec struct {
	c     FrameCodec
	solid bool
	kinds byte // frame kinds the stream may have: textKinds, fewer in old versions
	packs bool // a writer packs frames of at most 4 byte values (packFrames)
	st    textState
	buf   []byte      // the transformed frame
	hist  [256]uint32 // scratch: the frame's byte histogram
}

// newTextCodec returns the text codec of a stream with p around c.
func newTextCodec(c FrameCodec, p Params) *textCodec {
	kinds := byte(textKinds)
	if p.Version != 0 && p.Version < 4 {
		kinds = textKindsV3
	}
	return &textCodec{c: c, solid: p.Solid, kinds: kinds, packs: kinds > textPacked && packFrames(p), st: textState{seeds: kinds > textSeeded}}
}

// packFrames reports whether a writer with p packs frames of at most 4
// byte values: for cm, not for orderk. On E.coli (4,638,690 bytes)
// packing takes cm at -6 from 1,133,831 bytes to 1,110,487, at -7 from
// 1,114,300 to 1,109,090 and at -9 from 1,113,273 to 1,108,491; orderk at
// -5 --text loses 0.1 % (1,130,109 to 1,131,020, the file packed apart).
func packFrames(p Params) bool { return p.Model == CM }

// forward transforms raw into c.buf as a writer does: packed if it has
// at most 4 byte values, else as text, else as machine code, else not at
// all (kind textPlain, c.buf empty).
func (c *textCodec) forward(raw []byte) textFrame {
	if c.packs && len(raw) >= textMinFrame {
		c.hist = [256]uint32{}
		histogram.Bytes(&c.hist, raw)
		if syms := packSymbols(&c.hist); syms != nil {
			c.buf = packForward(c.buf[:0], raw, syms)
			return textFrame{kind: textPacked, syms: syms}
		}
	}
	var tf textFrame
	if c.buf, tf = c.st.forward(c.buf[:0], raw); tf.kind == textPlain && c.kinds > textX86 && isX86(raw) {
		tf.kind = textX86
		c.buf = x86Filter(c.buf, raw, 1)
	}
	return tf
}

func (c *textCodec) Reset() {
	c.c.Reset()
	c.st.reset()
}

// begin starts a frame: a stream that is not solid forgets the last one.
func (c *textCodec) begin() {
	if !c.solid {
		c.st.reset()
	}
}

func (c *textCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	return c.encode(dst, f, nil)
}

// EncodeCost is Encode measured (WithCost): the text header counts as
// model bits, like a frame's code lengths.
func (c *textCodec) EncodeCost(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	return c.encode(dst, f, cost)
}

func (c *textCodec) encode(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	c.begin()
	tf := c.forward(f.Raw)
	start := len(dst)
	dst = appendTextHeader(dst, tf, len(c.buf))
	if tf.kind != textPlain {
		f = Frame{Raw: c.buf}
	}
	if cost == nil {
		return c.c.Encode(dst, f)
	}
	cost.Model += 8 * float64(len(dst)-start)
	if cc, ok := c.c.(costCodec); ok {
		return cc.EncodeCost(dst, f, cost)
	}
	return c.c.Encode(dst, f)
}

func (c *textCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	c.begin()
	tf, tlen, src, err := parseTextHeader(src, n, c.st.alpha, c.kinds)
	if err != nil {
		return dst, err
	}
	if tf.kind == textPlain {
		return c.c.Decode(dst, src, n)
	}
	if c.buf, err = c.c.Decode(c.buf[:0], src, tlen); err != nil {
		return dst, err
	}
	if len(c.buf) != tlen {
		return dst, fmt.Errorf("%w: text frame decoded to %d bytes, header says %d", ErrCorrupt, len(c.buf), tlen)
	}
	switch tf.kind {
	case textX86:
		return x86Filter(dst, c.buf, -1), nil
	case textPacked:
		return packInverse(dst, c.buf, tf.syms, n)
	}
	return c.st.inverse(dst, c.buf, tf, n)
}

// Learn gives the model a frame stored raw as encoding it did: the
// transform or filter, which the stored bytes determine, first.
func (c *textCodec) Learn(raw []byte) {
	if !c.solid {
		c.c.Learn(raw)
		return
	}
	if c.forward(raw).kind == textPlain {
		c.c.Learn(raw)
		return
	}
	c.c.Learn(c.buf)
}

// WithTextTransform turns the text transform on or off (Params.Text).
// Without it the preset decides: levels 6..9 (cm) transform text. A
// frame that does not look like text, or is shorter than 32 KiB, is coded
// as it is either way, unless it looks like x86 machine code, which the
// transform passes through the x86 filter.
func WithTextTransform(on bool) WriterOption {
	return func(s *writerSettings) error {
		s.text = -1
		if on {
			s.text = 1
		}
		return nil
	}
}
