package container

import (
	"bytes"
	"fmt"

	"github.com/entzip/entzip/model/lm"
)

// lmWriter is the Writer's state for model lm: the tokens the data must
// match and how far it has matched them.
//
// Frames are cut at token boundaries: a token goes into the frame being
// filled unless its bytes would take the frame past FrameSize, and then
// starts the next one. A frame is cut only when the next token with bytes
// arrives, so tokens without bytes (padding ids, the end token of V = 257
// byte-level logits) join the frame of the token before them; at the end
// of the stream they join the last frame, or are left out when the stream
// has no bytes since the last Flush (they would make no bytes anyway).
// Flush writes the complete tokens; the bytes of a token not yet complete
// stay pending until it is.
type lmWriter struct {
	f    *lm.File
	voc  *lm.Vocab
	toks []int32 // the tokens array (with the end token InputTokens would add); nil: byte-level, the bytes are the tokens
	rows int     // T
	next int     // index of the next token
	pos  int     // bytes of token next already matched
}

// newLMWriter prepares the tokens of an LM Writer with settings s, or
// returns nil for other models.
func newLMWriter(s writerSettings) (*lmWriter, error) {
	f := s.lm
	if s.p.Model != LM || f == nil {
		return nil, nil
	}
	l := &lmWriter{f: f, voc: f.Vocab(), rows: f.Rows()}
	if !f.HasTokens() {
		if !f.ByteLevel() {
			return nil, fmt.Errorf("%w: %w: no tokens array to code the data with a vocabulary of %d tokens", ErrLogits, lm.ErrMissing, f.VocabSize())
		}
		return l, nil
	}
	toks, err := f.Tokens()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLogits, err)
	}
	if e := f.EndToken(); e >= 0 && f.Rows() == len(toks)+1 && (len(toks) == 0 || toks[len(toks)-1] != int32(e)) {
		toks = append(toks, int32(e))
	}
	if len(toks) != f.Rows() {
		return nil, fmt.Errorf("%w: %w: %d logits rows for %d tokens", ErrLogits, lm.ErrRows, f.Rows(), len(toks))
	}
	for i, t := range toks {
		if n := len(l.voc.Token(int(t))); n > s.p.FrameSize {
			return nil, fmt.Errorf("%w: token %d (id %d) has %d bytes, more than a frame of %d; use a larger frame size", ErrUnsupported, i, t, n, s.p.FrameSize)
		}
	}
	l.toks = toks
	return l, nil
}

func (l *lmWriter) reset() { l.next, l.pos = 0, 0 }

// lmFile returns the Writer's logits, nil for other models.
func (z *Writer) lmFile() *lm.File {
	if z.lm == nil {
		return nil
	}
	return z.lm.f
}

// writeLM is Write for model lm.
func (z *Writer) writeLM(p []byte) (int, error) {
	l := z.lm
	n := 0
	for len(p) > 0 {
		if l.toks == nil {
			// Byte-level: each byte is a token.
			if l.next >= l.rows {
				return n, z.fail(fmt.Errorf("%w: %w: the data has more bytes than the logits have rows (%d)", ErrLogits, lm.ErrRows, l.rows))
			}
			s, err := z.lmSlot(1)
			if err != nil {
				return n, err
			}
			k := min(len(p), l.rows-l.next, z.p.FrameSize-len(s.raw))
			if len(s.toks) == 0 {
				s.first = l.next
			}
			s.raw = append(s.raw, p[:k]...)
			for _, b := range p[:k] {
				s.toks = append(s.toks, int32(b))
			}
			l.next += k
			p, n = p[k:], n+k
			continue
		}
		if err := z.lmEmptyTokens(); err != nil {
			return n, err
		}
		if l.next >= len(l.toks) {
			return n, z.fail(fmt.Errorf("%w: %w: the data goes on after the %d tokens end", ErrLogits, lm.ErrTokens, len(l.toks)))
		}
		tok := l.voc.Token(int(l.toks[l.next]))
		want := tok[l.pos:]
		k := min(len(want), len(p))
		if !bytes.Equal(want[:k], p[:k]) {
			i := 0
			for want[i] == p[i] {
				i++
			}
			at := z.total + uint64(z.pendingBytes()+l.pos+i)
			return n, z.fail(fmt.Errorf("%w: %w: token %d (id %d, %q) differs from the data at byte %d",
				ErrLogits, lm.ErrTokens, l.next, l.toks[l.next], tok, at))
		}
		l.pos += k
		p, n = p[k:], n+k
		if l.pos == len(tok) {
			if err := z.lmAddToken(tok); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// pendingBytes counts the raw bytes in the frames not yet written.
func (z *Writer) pendingBytes() int {
	n := 0
	for i := 0; i <= z.n && i < len(z.slots); i++ {
		n += len(z.slots[i].raw)
	}
	return n
}

// lmSlot returns the slot a token of size bytes goes into, cutting the
// current frame first if the token does not fit.
func (z *Writer) lmSlot(size int) (*frameSlot, error) {
	s := &z.slots[z.n]
	if len(s.raw) > 0 && len(s.raw)+size > z.p.FrameSize {
		z.n++
		if z.n == len(z.slots) {
			if err := z.writeBatch(); err != nil {
				return nil, err
			}
		}
		s = &z.slots[z.n]
	}
	if s.raw == nil {
		s.raw = make([]byte, 0, z.p.FrameSize)
	}
	return s, nil
}

// lmAddToken adds the completed token l.next, whose bytes are tok.
func (z *Writer) lmAddToken(tok []byte) error {
	l := z.lm
	s, err := z.lmSlot(len(tok))
	if err != nil {
		return err
	}
	if len(s.toks) == 0 {
		s.first = l.next
	}
	s.raw = append(s.raw, tok...)
	s.toks = append(s.toks, l.toks[l.next])
	l.next++
	l.pos = 0
	return nil
}

// lmEmptyTokens adds the tokens without bytes that come next.
func (z *Writer) lmEmptyTokens() error {
	l := z.lm
	for l.pos == 0 && l.next < len(l.toks) && len(l.voc.Token(int(l.toks[l.next]))) == 0 {
		if err := z.lmAddToken(nil); err != nil {
			return err
		}
	}
	return nil
}

// endLM checks, at Close, that the data was exactly the tokens (or, for
// byte-level logits, had one byte per row), and adds the tokens without
// bytes that end the stream to the last frame.
func (z *Writer) endLM() error {
	l := z.lm
	s := &z.slots[z.n]
	if l.toks == nil {
		switch {
		case l.next == l.rows:
		case l.next+1 == l.rows && l.f.EndToken() >= 0:
			if len(s.raw) > 0 {
				s.toks = append(s.toks, int32(l.f.EndToken()))
			}
		default:
			return fmt.Errorf("%w: %w: the logits have %d rows for %d bytes of data", ErrLogits, lm.ErrRows, l.rows, l.next)
		}
		l.next = l.rows
		return nil
	}
	if err := z.lmEmptyTokens(); err != nil {
		return err
	}
	if l.next < len(l.toks) {
		return fmt.Errorf("%w: %w: the data ends inside token %d of %d", ErrLogits, lm.ErrTokens, l.next, len(l.toks))
	}
	if len(s.raw) == 0 {
		s.toks = s.toks[:0] // tokens without bytes after the last frame: nothing to code
	}
	return nil
}

// fail makes err the Writer's sticky error and returns it.
func (z *Writer) fail(err error) error {
	z.err = err
	return err
}
