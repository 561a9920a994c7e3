package lm

import (
	"bytes"
	"fmt"
)

// A Vocab maps token ids to their bytes: token i is
// Bytes[Offsets[i]:Offsets[i+1]], the layout of the vocab_bytes and
// vocab_offsets arrays. Tokens may be empty (padding ids a model's output
// layer has beyond its tokenizer). A Vocab is immutable and safe for
// concurrent use.
type Vocab struct {
	bytes   []byte
	offsets []int64
}

// NewVocab returns the vocabulary whose token i has the bytes tokens[i].
func NewVocab(tokens [][]byte) *Vocab {
	v := &Vocab{offsets: make([]int64, 1, len(tokens)+1)}
	for _, t := range tokens {
		v.bytes = append(v.bytes, t...)
		v.offsets = append(v.offsets, int64(len(v.bytes)))
	}
	return v
}

// ByteVocab returns the vocabulary of a byte-level model: tokens 0..255
// are the single bytes and, when n = 257, token 256 is an end token with
// no bytes. n must be 256 or 257.
func ByteVocab(n int) *Vocab {
	t := make([][]byte, n)
	for i := range t {
		if i < 256 {
			t[i] = []byte{byte(i)}
		}
	}
	return NewVocab(t)
}

// newVocabArrays checks and wraps vocab_bytes and vocab_offsets.
func newVocabArrays(b []byte, offsets []int64) (*Vocab, error) {
	if len(offsets) < 2 {
		return nil, fmt.Errorf("%w: vocab_offsets has %d entries, want V+1 ≥ 2", ErrVocab, len(offsets))
	}
	if offsets[0] != 0 {
		return nil, fmt.Errorf("%w: vocab_offsets[0] = %d, want 0", ErrVocab, offsets[0])
	}
	for i := 1; i < len(offsets); i++ {
		if offsets[i] < offsets[i-1] {
			return nil, fmt.Errorf("%w: vocab_offsets decreases at token %d", ErrVocab, i-1)
		}
	}
	if last := offsets[len(offsets)-1]; last != int64(len(b)) {
		return nil, fmt.Errorf("%w: vocab_offsets ends at %d, vocab_bytes has %d bytes", ErrVocab, last, len(b))
	}
	return &Vocab{bytes: b, offsets: offsets}, nil
}

// Len returns the number of tokens.
func (v *Vocab) Len() int { return len(v.offsets) - 1 }

// Token returns the bytes of token id, or nil if id is out of range. The
// result must not be modified.
func (v *Vocab) Token(id int) []byte {
	if id < 0 || id >= v.Len() {
		return nil
	}
	return v.bytes[v.offsets[id]:v.offsets[id+1]:v.offsets[id+1]]
}

// AppendDetokenize appends the bytes of tokens to dst. It returns an
// ErrValue error for an id out of range (with dst holding the bytes of
// the tokens before it).
func (v *Vocab) AppendDetokenize(dst []byte, tokens []int32) ([]byte, error) {
	n := v.Len()
	for i, t := range tokens {
		if t < 0 || int(t) >= n {
			return dst, fmt.Errorf("%w: token %d (at position %d) outside the vocabulary of %d", ErrValue, t, i, n)
		}
		dst = append(dst, v.bytes[v.offsets[t]:v.offsets[t+1]]...)
	}
	return dst, nil
}

// Detokenize returns the bytes of tokens concatenated.
func (v *Vocab) Detokenize(tokens []int32) ([]byte, error) {
	return v.AppendDetokenize(nil, tokens)
}

// CheckTokens reports whether tokens, detokenized, reproduce input
// exactly. The error wraps ErrValue for an id out of range and ErrTokens
// for the first token whose bytes differ from the input (or run past it)
// or an input longer than the tokens' bytes, with the token index and the
// input offset.
func (v *Vocab) CheckTokens(tokens []int32, input []byte) error {
	n := v.Len()
	off := 0
	for i, t := range tokens {
		if t < 0 || int(t) >= n {
			return fmt.Errorf("%w: token %d (at position %d) outside the vocabulary of %d", ErrValue, t, i, n)
		}
		b := v.bytes[v.offsets[t]:v.offsets[t+1]]
		if len(b) > len(input)-off || !bytes.Equal(b, input[off:off+len(b)]) {
			return fmt.Errorf("%w: token %d (id %d, %q) differs from the input at byte %d", ErrTokens, i, t, b, off)
		}
		off += len(b)
	}
	if off != len(input) {
		return fmt.Errorf("%w: the %d tokens end at byte %d of %d", ErrTokens, len(tokens), off, len(input))
	}
	return nil
}
