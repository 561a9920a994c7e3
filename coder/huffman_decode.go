package coder

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// DecodeHuffman decodes the block src written by EncodeHuffman with the same
// order, appends exactly n decoded bytes to dst and returns the extended
// slice. src must be the whole block and nothing else.
//
// DecodeHuffman validates everything it reads: invalid or incomplete code
// tables, bad stream sizes, truncated or trailing data and a header that
// does not match order all give an error wrapping ErrCorrupt. It never
// panics and never reads outside src; it allocates at most the n output
// bytes plus tables of bounded size (orders 1 and 2: one small table per
// context that occurs). It is safe for concurrent use; steady-state calls
// reuse pooled scratch space.
func DecodeHuffman(dst, src []byte, n, order int) ([]byte, error) {
	if order < 0 || order > 2 {
		return dst, fmt.Errorf("coder: Huffman order %d is not 0, 1 or 2", order)
	}
	if n < 0 {
		return dst, fmt.Errorf("coder: negative Huffman block size %d", n)
	}
	if len(src) == 0 {
		return dst, fmt.Errorf("%w: empty Huffman block", ErrCorrupt)
	}
	hdr := src[0]
	if int(hdr>>2) != order {
		return dst, fmt.Errorf("%w: Huffman header %#x for order %d", ErrCorrupt, hdr, order)
	}
	body := src[1:]
	switch hdr & 3 {
	case hmStored:
		if len(body) != n {
			return dst, fmt.Errorf("%w: stored Huffman block of %d bytes for %d", ErrCorrupt, len(body), n)
		}
		return append(dst, body...), nil
	case hmSingle:
		if len(body) != 1 || n == 0 {
			return dst, fmt.Errorf("%w: bad single-symbol Huffman block", ErrCorrupt)
		}
		start := len(dst)
		dst = slices.Grow(dst, n)[:start+n]
		out := dst[start:]
		for i := range out {
			out[i] = body[0]
		}
		return dst, nil
	case hmHuffman:
		if n == 0 {
			return dst, fmt.Errorf("%w: Huffman block for no bytes", ErrCorrupt)
		}
	default:
		return dst, fmt.Errorf("%w: Huffman header %#x", ErrCorrupt, hdr)
	}
	s := decPool.Get().(*decScratch)
	defer decPool.Put(s)
	start := len(dst)
	var err error
	if order == 0 {
		// Every order-0 code has at least one bit.
		if n/8 > len(body) {
			return dst, fmt.Errorf("%w: Huffman block too short for %d bytes", ErrCorrupt, n)
		}
		dst = slices.Grow(dst, n)[:start+n]
		err = s.decode0(dst[start:], body)
	} else {
		dst = slices.Grow(dst, n)[:start+n]
		err = s.ctx.decode(dst[start:], body, order)
	}
	if err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// decScratch holds everything a decoder call needs; pooled.
type decScratch struct {
	lut    decLUT
	lut2   decLUT2
	lens   [256]uint8
	cl     canonDec
	clSyms []byte
	ctx    ctxDecoder
}

var decPool = sync.Pool{New: func() any { return new(decScratch) }}

var errTrailing = errors.New("stream does not end where its size says")

// decode0 decodes an order-0 body into out.
func (s *decScratch) decode0(out, body []byte) error {
	r := bitReader{buf: body}
	var err error
	s.clSyms, err = readCLCode(&r, &s.cl, s.clSyms[:0])
	if err != nil {
		return err
	}
	if err := readDesc(&r, &s.cl, s.clSyms, &s.lens); err != nil {
		return err
	}
	if err := s.lut.build(s.lens[:]); err != nil {
		return err
	}
	hdrLen := (r.consumed() + 7) >> 3
	if hdrLen > len(body) {
		return fmt.Errorf("%w: truncated Huffman table", ErrCorrupt)
	}
	r.buf = body[:hdrLen]
	if !r.finish() {
		return fmt.Errorf("%w: nonzero Huffman table padding", ErrCorrupt)
	}
	rest := body[hdrLen:]
	n := len(out)
	if n < huffStreamsMin {
		return decode1(out, rest, &s.lut)
	}
	var sizes [3]uint64
	for i := range sizes {
		v, k := binary.Uvarint(rest)
		if k <= 0 || v > uint64(len(rest)) {
			return fmt.Errorf("%w: bad Huffman stream size", ErrCorrupt)
		}
		sizes[i] = v
		rest = rest[k:]
	}
	var streams [4][]byte
	for i, v := range sizes {
		if v > uint64(len(rest)) {
			return fmt.Errorf("%w: Huffman stream sizes exceed the block", ErrCorrupt)
		}
		streams[i] = rest[:v]
		rest = rest[v:]
	}
	streams[3] = rest
	s.lut2.build(&s.lut)
	return decode4(out, &streams, &s.lut, &s.lut2)
}

// decode1 decodes len(out) symbols from the single stream src.
func decode1(out, src []byte, lut *decLUT) error {
	r := bitReader{buf: src}
	decodeTail(out, &r, lut)
	if !r.finish() {
		return fmt.Errorf("%w: Huffman %v", ErrCorrupt, errTrailing)
	}
	return nil
}

// decodeTail decodes len(out) symbols from r with bounds-safe refills.
func decodeTail(out []byte, r *bitReader, lut *decLUT) {
	for len(out) > 0 {
		r.refill()
		k := min(len(out), 5)
		for i := range out[:k] {
			e := lut[r.bits>>(64-lutBits)]
			out[i] = byte(e >> 8)
			r.bits <<= e & 15
			r.nb -= uint(e & 15)
		}
		out = out[k:]
	}
}

// decode4 decodes the four interleaved streams of an order-0 block: stream
// i fills out[i·q : min((i+1)·q, n)], q = ⌈n/4⌉. The main loop refills all
// four 64-bit readers and then does five lookups in each (5·11 ≤ 56 bits)
// in the two-symbol table lut2, keeping the reader state in locals; each
// lookup stores two bytes and advances by the number it decoded, so it
// runs while every segment has room for ten more bytes. decodeTail
// finishes each stream with the one-symbol table.
func decode4(out []byte, streams *[4][]byte, lut *decLUT, lut2 *decLUT2) error {
	n := len(out)
	q := (n + 3) / 4
	s0, s1, s2, s3 := streams[0], streams[1], streams[2], streams[3]
	var b0, b1, b2, b3 uint64
	var c0, c1, c2, c3 uint
	var p0, p1, p2, p3 int
	o0, o1, o2, o3 := 0, q, 2*q, 3*q
	const room = 10
	for o0+room <= q && o1+room <= 2*q && o2+room <= 3*q && o3+room <= n &&
		p0+8 <= len(s0) && p1+8 <= len(s1) && p2+8 <= len(s2) && p3+8 <= len(s3) {
		b0 |= binary.BigEndian.Uint64(s0[p0:]) >> (c0 & 63)
		p0 += int(63-c0) >> 3
		c0 |= 56
		b1 |= binary.BigEndian.Uint64(s1[p1:]) >> (c1 & 63)
		p1 += int(63-c1) >> 3
		c1 |= 56
		b2 |= binary.BigEndian.Uint64(s2[p2:]) >> (c2 & 63)
		p2 += int(63-c2) >> 3
		c2 |= 56
		b3 |= binary.BigEndian.Uint64(s3[p3:]) >> (c3 & 63)
		p3 += int(63-c3) >> 3
		c3 |= 56

		for range 5 {
			e0 := lut2[b0>>(64-lutBits)]
			e1 := lut2[b1>>(64-lutBits)]
			e2 := lut2[b2>>(64-lutBits)]
			e3 := lut2[b3>>(64-lutBits)]
			binary.LittleEndian.PutUint16(out[o0:], uint16(e0>>8))
			binary.LittleEndian.PutUint16(out[o1:], uint16(e1>>8))
			binary.LittleEndian.PutUint16(out[o2:], uint16(e2>>8))
			binary.LittleEndian.PutUint16(out[o3:], uint16(e3>>8))
			o0 += int(e0>>4) & 3
			o1 += int(e1>>4) & 3
			o2 += int(e2>>4) & 3
			o3 += int(e3>>4) & 3
			b0 <<= e0 & 15
			b1 <<= e1 & 15
			b2 <<= e2 & 15
			b3 <<= e3 & 15
			c0 -= uint(e0 & 15)
			c1 -= uint(e1 & 15)
			c2 -= uint(e2 & 15)
			c3 -= uint(e3 & 15)
		}
	}
	rs := [4]bitReader{
		{buf: s0, pos: p0, bits: b0, nb: c0},
		{buf: s1, pos: p1, bits: b1, nb: c1},
		{buf: s2, pos: p2, bits: b2, nb: c2},
		{buf: s3, pos: p3, bits: b3, nb: c3},
	}
	os := [4]int{o0, o1, o2, o3}
	for i := range rs {
		decodeTail(out[os[i]:min((i+1)*q, n)], &rs[i], lut)
		if !rs[i].finish() {
			return fmt.Errorf("%w: Huffman stream %d: %v", ErrCorrupt, i, errTrailing)
		}
	}
	return nil
}
