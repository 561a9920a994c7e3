package coder

import "encoding/binary"

// Huffman bit streams are MSB-first: the first bit of a stream is the most
// significant bit of its first byte, and a code is written most significant
// bit first, so canonical codes compare like the numbers they are. A stream
// ends with zero bits up to the next byte boundary.

// bitWriter appends an MSB-first bit stream to out. The pending bits are the
// low nb bits of acc (nb < 32 between calls).
type bitWriter struct {
	out []byte
	acc uint64
	nb  uint
}

// write appends the low n bits of v (n ≤ 32, v < 1<<n).
func (w *bitWriter) write(v uint32, n uint) {
	w.acc = w.acc<<(n&63) | uint64(v)
	w.nb += n
	if w.nb >= 32 {
		w.nb -= 32
		w.out = binary.BigEndian.AppendUint32(w.out, uint32(w.acc>>(w.nb&63)))
	}
}

// bits returns the number of bits written so far, those of out included.
func (w *bitWriter) bits() int { return 8*len(w.out) + int(w.nb) }

// flush writes the pending bits and zero bits up to a byte boundary and
// returns the output.
func (w *bitWriter) flush() []byte {
	for w.nb >= 8 {
		w.nb -= 8
		w.out = append(w.out, byte(w.acc>>(w.nb&63)))
	}
	if w.nb > 0 {
		w.out = append(w.out, byte(w.acc<<((8-w.nb)&63)))
	}
	w.acc, w.nb = 0, 0
	return w.out
}

// bitReader reads an MSB-first bit stream from buf. The nb valid bits are
// the top bits of bits; pos is the next byte to load. Loading past the end
// of buf supplies zero bits, so a reader never reads out of bounds; the
// caller checks consumed() against len(buf) when it is done.
//
// The refill is branch-light (after F. Giesen, "Reading bits in far too many
// ways"): load 8 bytes at pos, shift them below the nb valid bits, advance
// pos by the whole bytes that fit, and set nb to 56..63. Bits below nb are
// then already the next stream bits, so reloading them is harmless.
type bitReader struct {
	buf  []byte
	pos  int
	bits uint64
	nb   uint
}

// refill makes at least 56 bits available.
func (r *bitReader) refill() {
	if r.pos+8 <= len(r.buf) {
		r.bits |= binary.BigEndian.Uint64(r.buf[r.pos:]) >> (r.nb & 63)
		r.pos += int(63-r.nb) >> 3
		r.nb |= 56
		return
	}
	r.refillSlow()
}

// refillSlow is refill near the end of buf, one byte at a time.
func (r *bitReader) refillSlow() {
	for r.nb < 56 {
		if r.pos < len(r.buf) {
			r.bits |= uint64(r.buf[r.pos]) << ((56 - r.nb) & 63)
		}
		r.pos++
		r.nb += 8
	}
}

// read returns the next n bits (n ≤ 24); the caller has refilled.
func (r *bitReader) read(n uint) uint32 {
	v := uint32(r.bits >> ((64 - n) & 63))
	if n == 0 {
		v = 0
	}
	r.bits <<= n & 63
	r.nb -= n
	return v
}

// consumed returns the number of bits read so far.
func (r *bitReader) consumed() int {
	return 8*r.pos - int(r.nb)
}

// finish reports whether the reader stopped exactly at the end of buf:
// every byte but the padding was read and the padding bits are zero.
func (r *bitReader) finish() bool {
	c := r.consumed()
	if (c+7)>>3 != len(r.buf) {
		return false
	}
	if k := c & 7; k != 0 {
		return r.buf[len(r.buf)-1]&(0xFF>>k) == 0
	}
	return true
}
