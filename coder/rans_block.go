package coder

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// The pieces of a static rANS block that orders 0 and 1 share (the
// layout is described in rans_static.go): the stored fallback, the
// encoder's word output and final states, and the decoder's header,
// states, renormalization and end checks.

// ransStored appends a stored block.
func ransStored(dst, src []byte) []byte {
	dst = append(dst, ransKindStored<<4)
	return append(dst, src...)
}

// ransPutWord emits the low word of x before buf[p:] when x ≥ 2^sh·f (the
// largest state that can take the coming steps is below that) and returns
// the new x and p. The store is unconditional, so only p and x depend on
// the comparison and the compiler can use conditional moves.
func ransPutWord(buf []byte, p int, x, f uint64, sh uint) (uint64, int) {
	binary.LittleEndian.PutUint32(buf[p-4:], uint32(x))
	if x>>(sh&63) >= f {
		p -= 4
		x >>= 32
	}
	return x, p
}

// ransPutStates stores the four final encoder states before buf[p:].
func ransPutStates(buf []byte, p int, x0, x1, x2, x3 uint64) int {
	p -= 8 * ransStates
	st := buf[p : p+8*ransStates]
	binary.LittleEndian.PutUint64(st[0:], x0)
	binary.LittleEndian.PutUint64(st[8:], x1)
	binary.LittleEndian.PutUint64(st[16:], x2)
	binary.LittleEndian.PutUint64(st[24:], x3)
	return p
}

// ransHeader checks the block header and the body length of the stored and
// single kinds, and returns the body.
func ransHeader(src []byte, n int) (body []byte, kind, scale uint, err error) {
	if n < 0 {
		return nil, 0, 0, fmt.Errorf("%w: rans: negative length %d", ErrCorrupt, n)
	}
	if len(src) == 0 {
		return nil, 0, 0, fmt.Errorf("%w: rans: empty block", ErrCorrupt)
	}
	kind, scale = uint(src[0]>>4), uint(src[0]&15)
	body = src[1:]
	switch kind {
	case ransKindStored:
		if scale != 0 || len(body) != n {
			return nil, 0, 0, fmt.Errorf("%w: rans: stored block of %d bytes, want %d", ErrCorrupt, len(body), n)
		}
	case ransKindSingle:
		if scale != 0 || len(body) != 1 || n == 0 {
			return nil, 0, 0, fmt.Errorf("%w: rans: malformed single-symbol block", ErrCorrupt)
		}
	case ransKindRANS:
		if scale == 0 || n == 0 {
			return nil, 0, 0, fmt.Errorf("%w: rans: malformed rANS block header", ErrCorrupt)
		}
	default:
		return nil, 0, 0, fmt.Errorf("%w: rans: unknown block kind %d", ErrCorrupt, kind)
	}
	return body, kind, scale, nil
}

// ransAppendRun appends n copies of s to dst.
func ransAppendRun(dst []byte, s byte, n int) []byte {
	out, start := ransGrow(dst, n)
	o := out[start:]
	for i := range o {
		o[i] = s
	}
	return out
}

// ransGrow extends dst by n bytes and returns it with the old length.
func ransGrow(dst []byte, n int) ([]byte, int) {
	start := len(dst)
	return slices.Grow(dst, n)[:start+n], start
}

// ransReadStates reads the four initial states at the start of src.
func ransReadStates(src []byte) (x [ransStates]uint64, err error) {
	if len(src) < 8*ransStates {
		return x, fmt.Errorf("%w: rans: truncated states", ErrCorrupt)
	}
	for j := range x {
		x[j] = binary.LittleEndian.Uint64(src[8*j:])
		if x[j] < ransL || x[j] >= 1<<63 {
			return x, fmt.Errorf("%w: rans: state %d out of range", ErrCorrupt, j)
		}
	}
	return x, nil
}

// ransCheckEnd reports whether decoding ended where the encoder began.
func ransCheckEnd(x *[ransStates]uint64, p, end int) error {
	if x[0] != ransL || x[1] != ransL || x[2] != ransL || x[3] != ransL {
		return fmt.Errorf("%w: rans: final states differ from the initial ones", ErrCorrupt)
	}
	if p != end {
		return fmt.Errorf("%w: rans: %d unread bytes after the stream", ErrCorrupt, end-p)
	}
	return nil
}

// ransRenorm is the careful renormalization: it reads a word at src[p:]
// when x < L and reports false if none is left.
func ransRenorm(x uint64, src []byte, p int) (uint64, int, bool) {
	if x >= ransL {
		return x, p, true
	}
	if len(src)-p < 4 {
		return x, p, false
	}
	return x<<32 | uint64(binary.LittleEndian.Uint32(src[p:])), p + 4, true
}

// errRANSShort reports a stream that ends before the block does.
func errRANSShort(i, n int) error {
	return fmt.Errorf("%w: rans: stream ends at byte %d of %d", ErrCorrupt, i, n)
}
