package coder

import (
	"fmt"
	"math/bits"
	"sync"
)

// Frequency tables of the static rANS block codec.
//
// A table gives every symbol s of a set S (|S| = k ≥ 1) a frequency
// f[s] ≥ 1 with Σ f[s] = T = 1<<scale. Symbol s owns the slots
// [start[s], start[s]+f[s]) of [0, T), where start[s] = Σ f[t] over t in S
// with t < s (ascending symbol order). Serialized, a table is
//
//	table   = set freqs
//	set     = k-1:u8 members
//	members = bitmap:[32]u8            if k ≥ 32 (s ∈ S ⇔ bitmap[s>>3] & (1<<(s&7)) ≠ 0)
//	        | s_1 s_2 … s_k :u8        if k < 32 (strictly increasing)
//	freqs   = v(f[s_1]) … v(f[s_{k-1}]) (ascending symbols; the last is implied:
//	          f[s_k] = T - Σ_{i<k} f[s_i], which must be ≥ 1)
//	v(f)    = f:u8                     if f < 128
//	        | (0x80 | f&127):u8 (f>>7):u8  otherwise (f < 1<<15)
//
// A decoder rejects a bitmap whose population is not k, members that do not
// increase, any f = 0, and explicit frequencies summing to T or more.

// ransSymSetBitmap is the smallest set size stored as a bitmap.
const ransSymSetBitmap = 32

// ransLogBits is the fixed-point precision of ransLog2.
const ransLogBits = 24

// ransLog2 returns a table of log2(f) scaled to 1<<ransLogBits for f in
// [1, 1<<ransO0MaxScale]; entry 0 is 0. It is computed with integer
// arithmetic only, so every GOARCH normalizes frequencies identically.
var ransLog2 = sync.OnceValue(func() *[1<<ransO0MaxScale + 1]uint64 {
	var t [1<<ransO0MaxScale + 1]uint64
	for f := 1; f < len(t); f++ {
		e := bits.Len(uint(f)) - 1
		// y = f / 2^e in [1, 2) as Q62; square repeatedly, each doubling
		// of the exponent yields one fraction bit of the logarithm.
		y := uint64(f) << (62 - e)
		r := uint64(e) << ransLogBits
		for i := ransLogBits - 1; i >= 0; i-- {
			hi, lo := bits.Mul64(y, y)
			y = hi<<2 | lo>>62
			if y >= 1<<63 {
				y >>= 1
				r |= 1 << i
			}
		}
		t[f] = r
	}
	return &t
})

// ransNormalize sets norm[s] for the symbols in syms (each with count[s] ≥
// 1, summing to n ≥ 1) to frequencies ≥ 1 that sum to 1<<scale, maximizing
// Σ count[s]·log2(norm[s]), i.e. minimizing the coded size. It needs
// len(syms) ≤ 1<<scale ≤ 1<<ransO0MaxScale. Entries of norm for symbols not
// in syms are left alone.
func ransNormalize(norm *[256]uint32, count *[256]uint32, syms []byte, n uint64, scale uint) {
	lg := ransLog2()
	total := uint64(1) << scale
	sum := uint64(0)
	for _, s := range syms {
		f := (uint64(count[s])*total + n/2) / n
		f = max(f, 1)
		f = min(f, total-uint64(len(syms))+1)
		norm[s] = uint32(f)
		sum += f
	}
	// The cost is separable and convex in each frequency, so moving single
	// units greedily reaches the optimum: first fix the sum, then swap a
	// unit from the cheapest donor to the best taker while that pays.
	gain := func(s byte) uint64 { // saving of norm[s]+1 over norm[s]
		f := norm[s]
		return uint64(count[s]) * (lg[f+1] - lg[f])
	}
	loss := func(s byte) uint64 { // extra cost of norm[s]-1 over norm[s]
		f := norm[s]
		if f <= 1 {
			return ^uint64(0)
		}
		return uint64(count[s]) * (lg[f] - lg[f-1])
	}
	best := func() (byte, uint64) {
		var bs byte
		var bg uint64
		for i, s := range syms {
			if g := gain(s); i == 0 || g > bg {
				bs, bg = s, g
			}
		}
		return bs, bg
	}
	cheapest := func() (byte, uint64) {
		var cs byte
		cl := ^uint64(0)
		for _, s := range syms {
			if l := loss(s); l < cl {
				cs, cl = s, l
			}
		}
		return cs, cl
	}
	for ; sum < total; sum++ {
		s, _ := best()
		norm[s]++
	}
	for ; sum > total; sum-- {
		s, _ := cheapest()
		norm[s]--
	}
	for range 4 * len(syms) * 256 { // bound, far above what is ever needed
		t, g := best()
		d, l := cheapest()
		// t == d happens where the rounded log table is not strictly
		// concave: moving a unit from a symbol to itself changes nothing,
		// and every later iteration would find the same pair.
		if l == ^uint64(0) || g <= l || t == d {
			break
		}
		norm[t]++
		norm[d]--
	}
}

// appendRANSTable appends the table of norm over syms (ascending, nonempty)
// in the layout documented above.
func appendRANSTable(dst []byte, norm *[256]uint32, syms []byte) []byte {
	dst = appendRANSSymSet(dst, syms)
	for _, s := range syms[:len(syms)-1] {
		f := norm[s]
		if f < 128 {
			dst = append(dst, byte(f))
		} else {
			dst = append(dst, byte(f|0x80), byte(f>>7))
		}
	}
	return dst
}

// appendRANSSymSet appends the symbol set syms (ascending, nonempty).
func appendRANSSymSet(dst []byte, syms []byte) []byte {
	k := len(syms)
	dst = append(dst, byte(k-1))
	if k >= ransSymSetBitmap {
		var bm [32]byte
		for _, s := range syms {
			bm[s>>3] |= 1 << (s & 7)
		}
		dst = append(dst, bm[:]...)
	} else {
		dst = append(dst, syms...)
	}
	return dst
}

// readRANSSymSet reads a symbol set at src[p:] into syms and returns the
// set size and the position after it.
func readRANSSymSet(src []byte, p int, syms *[256]byte) (int, int, error) {
	if p >= len(src) {
		return 0, p, fmt.Errorf("%w: rans: truncated symbol set", ErrCorrupt)
	}
	k := int(src[p]) + 1
	p++
	if k >= ransSymSetBitmap {
		if len(src)-p < 32 {
			return 0, p, fmt.Errorf("%w: rans: truncated symbol bitmap", ErrCorrupt)
		}
		bm := src[p : p+32]
		j := 0
		for s := range 256 {
			if bm[s>>3]&(1<<(s&7)) != 0 {
				if j == k {
					return 0, p, fmt.Errorf("%w: rans: symbol bitmap holds more than %d symbols", ErrCorrupt, k)
				}
				syms[j] = byte(s)
				j++
			}
		}
		if j != k {
			return 0, p, fmt.Errorf("%w: rans: symbol bitmap holds %d symbols, want %d", ErrCorrupt, j, k)
		}
		return k, p + 32, nil
	}
	if len(src)-p < k {
		return 0, p, fmt.Errorf("%w: rans: truncated symbol list", ErrCorrupt)
	}
	for j := range k {
		s := src[p+j]
		if j > 0 && s <= syms[j-1] {
			return 0, p, fmt.Errorf("%w: rans: symbol list not increasing at offset %d", ErrCorrupt, p+j)
		}
		syms[j] = s
	}
	return k, p + k, nil
}

// readRANSTable reads a table with total 1<<scale at src[p:]. It stores the
// symbols in syms[:k] and their frequencies in freq[:k] and returns k and
// the position after the table.
func readRANSTable(src []byte, p int, scale uint, syms *[256]byte, freq *[256]uint32) (int, int, error) {
	k, p, err := readRANSSymSet(src, p, syms)
	if err != nil {
		return 0, p, err
	}
	total := uint32(1) << scale
	if uint32(k) > total {
		return 0, p, fmt.Errorf("%w: rans: %d symbols do not fit total %d", ErrCorrupt, k, total)
	}
	sum := uint32(0)
	for j := range k - 1 {
		if p >= len(src) {
			return 0, p, fmt.Errorf("%w: rans: truncated frequencies", ErrCorrupt)
		}
		f := uint32(src[p])
		p++
		if f >= 0x80 {
			if p >= len(src) {
				return 0, p, fmt.Errorf("%w: rans: truncated frequency", ErrCorrupt)
			}
			f = f&0x7f | uint32(src[p])<<7
			p++
		}
		if f == 0 {
			return 0, p, fmt.Errorf("%w: rans: zero frequency", ErrCorrupt)
		}
		sum += f // at most 255·(1<<15): no overflow
		freq[j] = f
	}
	if sum >= total {
		return 0, p, fmt.Errorf("%w: rans: frequencies sum to %d, beyond total %d", ErrCorrupt, sum, total)
	}
	freq[k-1] = total - sum
	return k, p, nil
}

// ransEncSym is what the static encoder needs to code one symbol of
// frequency f at start in total T = 1<<scale, with a state x < 2^63:
//
//	x' = (x/f)·T + x%f + start = x + start + q·(T-f),  q = ⌊x/f⌋
//	q  = ⌊x·rcp / 2^(63+c)⌋ = hi64((2x)·rcp) >> c
//
// with c = ⌈log2 f⌉ and rcp = ⌊2^(63+c)/f⌋ + 1 < 2^64. The quotient is exact
// for every x < 2^(63+c)/f, which includes every x < 2^63: the error
// x·(rcp - 2^(63+c)/f)/2^(63+c) stays below 1/f.
type ransEncSym struct {
	rcp   uint64
	f     uint16 // 1 ≤ f < 1<<15, or f = T = 1<<scale ≤ 1<<11 (order 1)
	start uint16
	cmpl  uint16 // T - f
	shift uint8  // c
}

// set fills e for frequency f at start (1 ≤ f ≤ 1<<scale ≤ 1<<15, and
// f < 1<<15).
func (e *ransEncSym) set(start, f uint32, scale uint) {
	c := uint(bits.Len32(f - 1))
	e.rcp = 1<<63 + 1
	if c > 0 {
		q, _ := bits.Div64(1<<(c-1), 0, uint64(f)) // 2^(63+c) / f; 2^(c-1) < f
		e.rcp = q + 1
	}
	e.f, e.start, e.cmpl, e.shift = uint16(f), uint16(start), uint16(1<<scale-f), uint8(c)
}

// put codes e into the state x (x < 2^63 after renormalization).
func (e *ransEncSym) put(x uint64) uint64 {
	hi, _ := bits.Mul64(x<<1, e.rcp)
	return x + uint64(e.start) + (hi>>(e.shift&63))*uint64(e.cmpl)
}
