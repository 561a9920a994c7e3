package container

import (
	"fmt"
	"slices"
)

// The packing filter (docs/FORMAT.md, "Text frames", kind 4): a frame
// whose bytes take at most 4 values, like DNA (a, c, g, t), codes each
// byte as its 2-bit position among those values, 3 to a byte in its low
// 6 bits, the first highest. The model then sees 3 bases in each byte
// and 18 in a context of 6 bytes, for a third of the bytes. (3 to a byte
// packs better than 4, which spends all 8 bits: on E.coli, with cm at
// -6, 1,110,981 bytes against 1,125,801, and 2 to a byte 1,120,524; at
// -9 1,109,014, where 4 to a byte loses to the raw bytes.)

const (
	packMaxSyms = 4 // most byte values a packed frame has
	packPer     = 3 // values in a packed byte
)

// packSymbols returns the byte values of a frame with histogram hist in
// increasing order, or nil if there are none or more than packMaxSyms.
func packSymbols(hist *[256]uint32) []byte {
	var syms []byte
	for b, n := range hist {
		if n > 0 {
			if len(syms) == packMaxSyms {
				return nil
			}
			syms = append(syms, byte(b))
		}
	}
	return syms
}

// packLen is the length of a packed frame of n bytes.
func packLen(n int) int { return (n + packPer - 1) / packPer }

// packForward appends src packed with the values syms (which hold every
// byte of src) to dst; the last byte's unused low bits are 0.
func packForward(dst, src, syms []byte) []byte {
	var code [256]byte
	for i, s := range syms {
		code[s] = byte(i)
	}
	for i := 0; i < len(src); i += packPer {
		var b byte
		for j := range packPer {
			b <<= 2
			if i+j < len(src) {
				b |= code[src[i+j]]
			}
		}
		dst = append(dst, b)
	}
	return dst
}

// packInverse appends the n bytes packed in src with the values syms to
// dst. A position without a value, unused bits that are not 0 or a src
// of the wrong length are ErrCorrupt.
func packInverse(dst, src, syms []byte, n int) ([]byte, error) {
	if len(src) != packLen(n) {
		return dst, fmt.Errorf("%w: packed frame of %d bytes for %d values", ErrCorrupt, len(src), n)
	}
	dst = slices.Grow(dst, n)
	for i, b := range src {
		if b>>(2*packPer) != 0 {
			return dst, fmt.Errorf("%w: packed byte %#02x at %d", ErrCorrupt, b, i)
		}
		for j := range packPer {
			k, at := b>>(2*(packPer-1-j))&3, packPer*i+j
			switch {
			case at < n && int(k) < len(syms):
				dst = append(dst, syms[k])
			case at >= n && k == 0:
			default:
				return dst, fmt.Errorf("%w: packed value %d at %d, the frame has %d values", ErrCorrupt, k, at, len(syms))
			}
		}
	}
	return dst, nil
}

// appendPackSymbols appends a packed frame's values as its header
// carries them: their count, then the values.
func appendPackSymbols(dst, syms []byte) []byte {
	return append(append(dst, byte(len(syms))), syms...)
}

// parsePackSymbols reads what appendPackSymbols wrote from the front of
// src: 1..packMaxSyms values in increasing order.
func parsePackSymbols(src []byte) ([]byte, []byte, error) {
	if len(src) == 0 || src[0] < 1 || src[0] > packMaxSyms || len(src) < 1+int(src[0]) {
		return nil, nil, fmt.Errorf("%w: packed frame's values", ErrCorrupt)
	}
	syms := src[1 : 1+int(src[0])]
	for i := 1; i < len(syms); i++ {
		if syms[i] <= syms[i-1] {
			return nil, nil, fmt.Errorf("%w: packed frame's values not increasing", ErrCorrupt)
		}
	}
	return slices.Clone(syms), src[1+len(syms):], nil
}
