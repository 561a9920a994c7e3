package coder

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/entzip/entzip/internal/histogram"
)

// Static order-0 rANS block.
//
// A block codes n bytes (n is known to the caller and not stored):
//
//	block = h:u8 body                          kind = h>>4, scale = h&15
//	kind 0 (stored):  body = the n bytes                              (scale 0)
//	kind 1 (single):  body = s:u8; the block is n ≥ 1 copies of s     (scale 0)
//	kind 2 (rANS):    body = table x_0 x_1 x_2 x_3:u64le words:u32le*
//	                  with 1 ≤ scale ≤ 15, table as in rans_table.go with
//	                  T = 1<<scale and k ≥ 2 symbols.
//
// rANS coding uses four states x_j in [L, 2^63), L = 2^31. A decoding step
// of state x_j yields one byte:
//
//	slot = x_j mod T;  s = the symbol with start[s] ≤ slot < start[s]+f[s]
//	x_j  = f[s]·(x_j >> scale) + slot - start[s]
//
// and a renormalization of x_j reads one word when the state is low:
//
//	if x_j < L: x_j = x_j<<32 | next u32le word
//
// The n bytes form ⌊n/8⌋ groups of eight and a tail of n mod 8. Group g
// (bytes 8g..8g+7) is decoded as: one step of x_j giving byte 8g+j for
// j = 0..3, one step of x_j giving byte 8g+4+j for j = 0..3, then one
// renormalization of x_0, x_1, x_2, x_3 in that order. (Two steps between
// renormalizations are exact because T² divides L: a state ≥ L stays ≥
// L/T² = 2^7 after two steps and ≥ L after one word.) Tail byte i is a step
// of x_(i mod 4) followed at once by its renormalization.
//
// The x_j in the block are the decoder's initial states; at the end every
// x_j must equal L again and every word must have been read. The encoder
// starts all states at L and runs the steps in reverse.
const (
	ransStates     = 4
	ransL          = 1 << 31 // lower bound of a static rANS state
	ransO0MaxScale = 15
	// ransO0Scale is the usual order-0 scale; the encoder takes a larger
	// one only when it makes the block clearly smaller (skewed data).
	ransO0Scale = 12
	// ransMaxStatic is the longest block coded with rANS; longer ones are
	// stored, so that counts fit in 32 bits.
	ransMaxStatic = 1<<31 - 1
)

// Block kinds (the high nibble of the first byte).
const (
	ransKindStored = 0
	ransKindSingle = 1
	ransKindRANS   = 2
)

// ransO0Enc is the reusable scratch of EncodeRANSO0.
type ransO0Enc struct {
	cnt  [256]uint32
	norm [256]uint32
	syms [256]byte
	tab  [256]ransEncSym
}

// ransO0Dec is the reusable scratch of DecodeRANSO0.
type ransO0Dec struct {
	syms [256]byte
	freq [256]uint32
	// tab[slot] = f<<32 | (slot-start)<<8 | symbol; see ransO0DecodeStream.
	tab [1 << ransO0MaxScale]uint64
}

var (
	ransO0EncPool = sync.Pool{New: func() any { return new(ransO0Enc) }}
	ransO0DecPool = sync.Pool{New: func() any { return new(ransO0Dec) }}
)

// EncodeRANSO0 appends to dst a self-describing block coding src with a
// static order-0 rANS code: a frequency table normalized to a power-of-two
// total, then four interleaved rANS states sharing one stream. Empty,
// single-symbol and incompressible inputs become a stored or single-symbol
// block instead. The decoder must be told len(src). EncodeRANSO0 is safe for
// concurrent use; it reuses pooled scratch memory, so steady-state calls
// allocate only when dst must grow.
func EncodeRANSO0(dst, src []byte) []byte {
	dst, _ = EncodeRANSO0Tables(dst, src)
	return dst
}

// EncodeRANSO0Tables is EncodeRANSO0 that also returns how many bits of the block
// describe its code rather than code the bytes: the header byte and the
// frequency tables (for a single-symbol block its symbol too), the model's
// part of a two-part code.
func EncodeRANSO0Tables(dst, src []byte) (block []byte, tableBits int) {
	n := len(src)
	if n == 0 || n > ransMaxStatic {
		return ransStored(dst, src), 8
	}
	e := ransO0EncPool.Get().(*ransO0Enc)
	defer ransO0EncPool.Put(e)

	histogram.Bytes(&e.cnt, src)
	k := 0
	for s, c := range e.cnt {
		if c != 0 {
			e.syms[k] = byte(s)
			k++
		}
	}
	if k == 1 {
		return append(dst, ransKindSingle<<4, src[0]), 16
	}
	syms := e.syms[:k]
	scale := e.chooseScale(syms, n)

	start := len(dst)
	dst = slices.Grow(dst, 1+33+2*256+n+ransEncSlack)
	dst = append(dst, byte(ransKindRANS<<4|scale))
	dst = appendRANSTable(dst, &e.norm, syms)
	cum := uint32(0)
	for _, s := range syms {
		e.tab[s].set(cum, e.norm[s], scale)
		cum += e.norm[s]
	}
	// The stream is written backwards into the spare capacity of dst and
	// then moved down to follow the table.
	base := len(dst)
	room := dst[base : base+n+ransEncSlack]
	p := ransO0EncodeStream(room, src, &e.tab, scale)
	if p < 0 || base-start+len(room)-p > n {
		return ransStored(dst[:start], src), 8
	}
	return append(dst, room[p:]...), 8 * (base - start)
}

// chooseScale picks the scale of the block and leaves the frequencies for
// it in e.norm: the bit length of n up to ransO0Scale, or a larger one if the
// estimated size (table plus Σ count·log2(T/f)) shrinks by over 1/256.
func (e *ransO0Enc) chooseScale(syms []byte, n int) uint {
	scale := uint(min(bits.Len(uint(n)), ransO0Scale))
	ransNormalize(&e.norm, &e.cnt, syms, uint64(n), scale)
	if scale < ransO0Scale {
		return scale
	}
	best, keep := e.estimate(syms, scale), e.norm
	for s := scale + 1; s <= ransO0MaxScale; s++ {
		ransNormalize(&e.norm, &e.cnt, syms, uint64(n), s)
		if c := e.estimate(syms, s); c < best-best>>8 {
			best, scale, keep = c, s, e.norm
		}
	}
	e.norm = keep
	return scale
}

// estimate returns the estimated size in bits << ransLogBits of a block
// with the frequencies in e.norm at scale.
func (e *ransO0Enc) estimate(syms []byte, scale uint) uint64 {
	lg := ransLog2()
	bytes := 0
	cost := uint64(0)
	for _, s := range syms {
		f := e.norm[s]
		cost += uint64(e.cnt[s]) * (uint64(scale)<<ransLogBits - lg[f])
		bytes += 1 + int(min(f>>7, 1))
	}
	return cost + uint64(bytes)<<(ransLogBits+3)
}

// ransEncSlack is the room an encoder needs beyond the block length: the
// states, the words of up to 8 tail bytes, one group and the slack of an
// unconditional store (ransPutWord).
const ransEncSlack = 8*ransStates + 4*8 + 16 + 4

// ransGroupRoom is the room that must be left before a group is coded.
const ransGroupRoom = 8*ransStates + 16 + 4

// ransO0EncodeStream codes src (nonempty) backwards into the end of buf,
// which must hold len(src)+ransEncSlack bytes, and returns the offset where
// the states and words begin, or -1 if they would not fit in buf (the data
// is then better stored). It runs the decoding procedure documented at the
// top of this file in reverse.
func ransO0EncodeStream(buf, src []byte, tab *[256]ransEncSym, scale uint) int {
	x := [ransStates]uint64{ransL, ransL, ransL, ransL}
	p := len(buf)
	n := len(src)
	g := n &^ 7
	// Renormalization thresholds: before one step of frequency f a state
	// must be below (L/T)·2^32·f, before two steps of f_a, f_b below
	// (L/T²)·2^32·f_a·f_b.
	one, two := 63-scale, 63-2*scale
	for i := n - 1; i >= g; i-- {
		e := &tab[src[i]]
		j := i & 3
		x[j], p = ransPutWord(buf, p, x[j], uint64(e.f), one)
		x[j] = e.put(x[j])
	}
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	for i := g - 8; i >= 0; i -= 8 {
		if p < ransGroupRoom {
			return -1
		}
		s := src[i : i+8 : i+8]
		a, b := &tab[s[3]], &tab[s[7]]
		x3, p = ransPutWord(buf, p, x3, uint64(a.f)*uint64(b.f), two)
		x3 = a.put(b.put(x3))
		a, b = &tab[s[2]], &tab[s[6]]
		x2, p = ransPutWord(buf, p, x2, uint64(a.f)*uint64(b.f), two)
		x2 = a.put(b.put(x2))
		a, b = &tab[s[1]], &tab[s[5]]
		x1, p = ransPutWord(buf, p, x1, uint64(a.f)*uint64(b.f), two)
		x1 = a.put(b.put(x1))
		a, b = &tab[s[0]], &tab[s[4]]
		x0, p = ransPutWord(buf, p, x0, uint64(a.f)*uint64(b.f), two)
		x0 = a.put(b.put(x0))
	}
	return ransPutStates(buf, p, x0, x1, x2, x3)
}

// DecodeRANSO0 appends to dst the n bytes coded in the EncodeRANSO0 block
// src. Any malformed, truncated or trailing data makes it return an error
// wrapping ErrCorrupt; it never reads outside src and allocates at most n
// bytes (by growing dst). DecodeRANSO0 is safe for concurrent use.
func DecodeRANSO0(dst, src []byte, n int) ([]byte, error) {
	body, kind, scale, err := ransHeader(src, n)
	if err != nil {
		return dst, err
	}
	switch kind {
	case ransKindStored:
		return append(dst, body...), nil
	case ransKindSingle:
		return ransAppendRun(dst, body[0], n), nil
	}
	if scale > ransO0MaxScale {
		return dst, fmt.Errorf("%w: rans: order-0 scale %d above %d", ErrCorrupt, scale, ransO0MaxScale)
	}
	d := ransO0DecPool.Get().(*ransO0Dec)
	defer ransO0DecPool.Put(d)
	k, p, err := readRANSTable(body, 0, scale, &d.syms, &d.freq)
	if err != nil {
		return dst, err
	}
	if k < 2 {
		return dst, fmt.Errorf("%w: rans: order-0 table with a single symbol", ErrCorrupt)
	}
	cum := uint32(0)
	for j, s := range d.syms[:k] {
		f := d.freq[j]
		t := d.tab[cum : cum+f]
		for b := range t {
			t[b] = uint64(f)<<32 | uint64(b)<<8 | uint64(s)
		}
		cum += f
	}
	out, start := ransGrow(dst, n)
	if err := ransO0DecodeStream(out[start:], body[p:], &d.tab, scale); err != nil {
		return dst, err
	}
	return out, nil
}

// ransO0DecodeStream decodes len(out) bytes from src (states then words)
// with the slot table tab of total 1<<scale.
func ransO0DecodeStream(out, src []byte, tab *[1 << ransO0MaxScale]uint64, scale uint) error {
	x, err := ransReadStates(src)
	if err != nil {
		return err
	}
	p := 8 * ransStates
	n := len(out)
	i := 0
	if scale == ransO0Scale {
		i, p = ransO0DecodeFast12(out, src, p, tab, &x)
	} else {
		i, p = ransO0DecodeFast(out, src, p, tab, &x, scale)
	}
	// Careful loops for the rest, for any scale.
	scale &= 15
	mask := uint64(1)<<scale - 1
	ok := true
	for ; i+8 <= n; i += 8 {
		o := out[i : i+8 : i+8]
		for h := 0; h < 8; h += 4 {
			for j := range ransStates {
				e := tab[x[j]&mask]
				o[h+j] = byte(e)
				x[j] = (e>>32)*(x[j]>>scale) + uint64(uint32(e)>>8)
			}
		}
		for j := range ransStates {
			if x[j], p, ok = ransRenorm(x[j], src, p); !ok {
				return errRANSShort(i+8, n)
			}
		}
	}
	for ; i < n; i++ {
		j := i & 3
		e := tab[x[j]&mask]
		out[i] = byte(e)
		x[j] = (e>>32)*(x[j]>>scale) + uint64(uint32(e)>>8)
		if x[j], p, ok = ransRenorm(x[j], src, p); !ok {
			return errRANSShort(i+1, n)
		}
	}
	return ransCheckEnd(&x, p, len(src))
}

// ransO0DecodeFast decodes whole groups of out while at least 16 bytes of
// words are left (a group reads at most four words), and returns how far
// it got in out and src.
func ransO0DecodeFast(out, src []byte, p int, tab *[1 << ransO0MaxScale]uint64, x *[ransStates]uint64, scale uint) (int, int) {
	const tmask = 1<<ransO0MaxScale - 1
	scale &= 15
	mask := uint64(1)<<scale - 1
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	i := 0
	for ; i+8 <= len(out) && p+16 <= len(src); i += 8 {
		o := out[i : i+8 : i+8]
		e0, e1, e2, e3 := tab[x0&mask&tmask], tab[x1&mask&tmask], tab[x2&mask&tmask], tab[x3&mask&tmask]
		o[0], o[1], o[2], o[3] = byte(e0), byte(e1), byte(e2), byte(e3)
		x0 = (e0>>32)*(x0>>scale) + uint64(uint32(e0)>>8)
		x1 = (e1>>32)*(x1>>scale) + uint64(uint32(e1)>>8)
		x2 = (e2>>32)*(x2>>scale) + uint64(uint32(e2)>>8)
		x3 = (e3>>32)*(x3>>scale) + uint64(uint32(e3)>>8)
		e0, e1, e2, e3 = tab[x0&mask&tmask], tab[x1&mask&tmask], tab[x2&mask&tmask], tab[x3&mask&tmask]
		o[4], o[5], o[6], o[7] = byte(e0), byte(e1), byte(e2), byte(e3)
		x0 = (e0>>32)*(x0>>scale) + uint64(uint32(e0)>>8)
		x1 = (e1>>32)*(x1>>scale) + uint64(uint32(e1)>>8)
		x2 = (e2>>32)*(x2>>scale) + uint64(uint32(e2)>>8)
		x3 = (e3>>32)*(x3>>scale) + uint64(uint32(e3)>>8)
		// Branch-free renormalization (a branch would be mispredicted
		// often): r = 1 when x < L; x < 2^63 so x-L wraps exactly then.
		w := src[p : p+16 : p+16]
		q := 0
		r := (x0 - ransL) >> 63
		x0 = x0<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		q += int(r << 2)
		r = (x1 - ransL) >> 63
		x1 = x1<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		q += int(r << 2)
		r = (x2 - ransL) >> 63
		x2 = x2<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		q += int(r << 2)
		r = (x3 - ransL) >> 63
		x3 = x3<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		p += q + int(r<<2)
	}
	x[0], x[1], x[2], x[3] = x0, x1, x2, x3
	return i, p
}

// ransO0DecodeFast12 is ransO0DecodeFast for the usual scale, with
// constant shifts and masks (about 15 % faster). It decodes whole groups of out while at least 16 bytes of
// words are left (a group reads at most four words), and returns how far
// it got in out and src.
func ransO0DecodeFast12(out, src []byte, p int, tab *[1 << ransO0MaxScale]uint64, x *[ransStates]uint64) (int, int) {
	const scale, mask, tmask = ransO0Scale, 1<<ransO0Scale - 1, 1<<ransO0MaxScale - 1
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	i := 0
	for ; i+8 <= len(out) && p+16 <= len(src); i += 8 {
		o := out[i : i+8 : i+8]
		e0, e1, e2, e3 := tab[x0&mask&tmask], tab[x1&mask&tmask], tab[x2&mask&tmask], tab[x3&mask&tmask]
		o[0], o[1], o[2], o[3] = byte(e0), byte(e1), byte(e2), byte(e3)
		x0 = (e0>>32)*(x0>>scale) + uint64(uint32(e0)>>8)
		x1 = (e1>>32)*(x1>>scale) + uint64(uint32(e1)>>8)
		x2 = (e2>>32)*(x2>>scale) + uint64(uint32(e2)>>8)
		x3 = (e3>>32)*(x3>>scale) + uint64(uint32(e3)>>8)
		e0, e1, e2, e3 = tab[x0&mask&tmask], tab[x1&mask&tmask], tab[x2&mask&tmask], tab[x3&mask&tmask]
		o[4], o[5], o[6], o[7] = byte(e0), byte(e1), byte(e2), byte(e3)
		x0 = (e0>>32)*(x0>>scale) + uint64(uint32(e0)>>8)
		x1 = (e1>>32)*(x1>>scale) + uint64(uint32(e1)>>8)
		x2 = (e2>>32)*(x2>>scale) + uint64(uint32(e2)>>8)
		x3 = (e3>>32)*(x3>>scale) + uint64(uint32(e3)>>8)
		// Branch-free renormalization (a branch would be mispredicted
		// often): r = 1 when x < L; x < 2^63 so x-L wraps exactly then.
		w := src[p : p+16 : p+16]
		q := 0
		r := (x0 - ransL) >> 63
		x0 = x0<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		q += int(r << 2)
		r = (x1 - ransL) >> 63
		x1 = x1<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		q += int(r << 2)
		r = (x2 - ransL) >> 63
		x2 = x2<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		q += int(r << 2)
		r = (x3 - ransL) >> 63
		x3 = x3<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
		p += q + int(r<<2)
	}
	x[0], x[1], x[2], x[3] = x0, x1, x2, x3
	return i, p
}
