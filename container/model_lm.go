package container

import (
	"bytes"
	"fmt"

	"github.com/entzip/entzip/model/lm"
)

// lm codes tokens with the predictions of an external language model,
// whose logits a Writer and a Reader are given (WithLogits,
// WithDecoderLogits): every token with the row of the logits that
// predicts it, so frames are cut at token boundaries (lmFramer) and each
// frame records its token range (lmCodec).
func init() {
	lmModes := func(c Coder) CoderMode { return CoderMode{Coder: c, NewCodec: newLMCodec} }
	mustRegister(ModelSpec{
		ID:        LM,
		Name:      "lm",
		Summary:   "an external language model's logits (--logits), one row per token",
		Coders:    []CoderMode{lmModes(Arith), lmModes(RANS), lmModes(Huffman)},
		Check:     checkLM,
		NoSolid:   "model lm has no state to carry between frames (each frame starts at its first token's row); use it without --solid",
		Memory:    lmMemory,
		Resolve:   resolveLM,
		NewFramer: newLMFramer,
		ExtLen:    lmExtLen,
		AppendExt: appendLMExt,
		ParseExt:  parseLMExt,
		Describe: func(p Params) string {
			if p.LM.Vocab == 0 {
				return ""
			}
			return fmt.Sprintf(" V=%d", p.LM.Vocab)
		},
		FrameUnits: lmFrameUnits,
	})
}

// lmFramer cuts a Writer's data into frames at the boundaries of the
// tokens it must match.
//
// A token goes into the frame being filled unless its bytes would take
// the frame past FrameSize, and then starts the next one. A frame is cut
// only when the next token with bytes arrives, so tokens without bytes
// (padding ids, the end token of V = 257 byte-level logits) join the frame
// of the token before them; at the end of the stream they join the last
// frame, or are left out when the stream has no bytes since the last
// Flush (they would make no bytes anyway). Flush writes the complete
// tokens; the bytes of a token not yet complete stay pending until it is.
type lmFramer struct {
	f    *lm.File
	voc  *lm.Vocab
	toks []int32 // the tokens array (with the end token InputTokens would add); nil: byte-level, the bytes are the tokens
	rows int     // T
	next int     // index of the next token
	pos  int     // bytes of token next already matched
	off  uint64  // data bytes before token next
}

// newLMFramer prepares the tokens of an LM Writer with params p.
func newLMFramer(p Params, res *Resources) (Framer, error) {
	f := res.Logits
	l := &lmFramer{f: f, voc: f.Vocab(), rows: f.Rows()}
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
		if n := len(l.voc.Token(int(t))); n > p.FrameSize {
			return nil, fmt.Errorf("%w: token %d (id %d) has %d bytes, more than a frame of %d; use a larger frame size", ErrUnsupported, i, t, n, p.FrameSize)
		}
	}
	l.toks = toks
	return l, nil
}

func (l *lmFramer) Reset() { l.next, l.pos, l.off = 0, 0, 0 }

// Write implements Framer.
func (l *lmFramer) Write(p []byte, add func(int, int32, []byte) error) (int, error) {
	n := 0
	for len(p) > 0 {
		if l.toks == nil {
			// Byte-level: each byte is a token.
			if l.next >= l.rows {
				return n, fmt.Errorf("%w: %w: the data has more bytes than the logits have rows (%d)", ErrLogits, lm.ErrRows, l.rows)
			}
			if err := add(l.next, int32(p[0]), p[:1]); err != nil {
				return n, err
			}
			l.next++
			p, n = p[1:], n+1
			continue
		}
		if err := l.emptyTokens(add); err != nil {
			return n, err
		}
		if l.next >= len(l.toks) {
			return n, fmt.Errorf("%w: %w: the data goes on after the %d tokens end", ErrLogits, lm.ErrTokens, len(l.toks))
		}
		tok := l.voc.Token(int(l.toks[l.next]))
		want := tok[l.pos:]
		k := min(len(want), len(p))
		if !bytes.Equal(want[:k], p[:k]) {
			i := 0
			for want[i] == p[i] {
				i++
			}
			return n, fmt.Errorf("%w: %w: token %d (id %d, %q) differs from the data at byte %d",
				ErrLogits, lm.ErrTokens, l.next, l.toks[l.next], tok, l.off+uint64(l.pos+i))
		}
		l.pos += k
		p, n = p[k:], n+k
		if l.pos == len(tok) {
			if err := l.addToken(tok, add); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// addToken adds the completed token l.next, whose bytes are tok.
func (l *lmFramer) addToken(tok []byte, add func(int, int32, []byte) error) error {
	if err := add(l.next, l.toks[l.next], tok); err != nil {
		return err
	}
	l.off += uint64(len(tok))
	l.next++
	l.pos = 0
	return nil
}

// emptyTokens adds the tokens without bytes that come next.
func (l *lmFramer) emptyTokens(add func(int, int32, []byte) error) error {
	for l.pos == 0 && l.next < len(l.toks) && len(l.voc.Token(int(l.toks[l.next]))) == 0 {
		if err := l.addToken(nil, add); err != nil {
			return err
		}
	}
	return nil
}

// Close checks that the data was exactly the tokens (or, for byte-level
// logits, had one byte per row), and adds the tokens without bytes that
// end the stream.
func (l *lmFramer) Close(add func(int, int32, []byte) error) error {
	if l.toks == nil {
		switch {
		case l.next == l.rows:
		case l.next+1 == l.rows && l.f.EndToken() >= 0:
			if err := add(l.next, int32(l.f.EndToken()), nil); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: %w: the logits have %d rows for %d bytes of data", ErrLogits, lm.ErrRows, l.rows, l.next)
		}
		l.next = l.rows
		return nil
	}
	if err := l.emptyTokens(add); err != nil {
		return err
	}
	if l.next < len(l.toks) {
		return fmt.Errorf("%w: %w: the data ends inside token %d of %d", ErrLogits, lm.ErrTokens, l.next, len(l.toks))
	}
	return nil
}
