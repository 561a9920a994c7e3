package coder

import (
	"fmt"

	"github.com/entzip/entzip/internal/canonical"
)

// Canonical codes (internal/canonical). Symbols are ordered by (length,
// symbol); the first symbol of length l gets code first[l], the next ones
// first[l]+1, ...:
//
//	first[1] = 0,  first[l+1] = (first[l] + count[l]) << 1
//
// A table is valid for the block codec when at least two symbols are used,
// no length exceeds MaxHuffmanBits and Kraft's equality holds:
//
//	Σ_s 2^(MaxHuffmanBits - len[s]) = 2^MaxHuffmanBits  (len[s] > 0)
//
// so over-subscribed and incomplete (under-subscribed) sets are both
// rejected. Single-symbol contexts are coded separately (zero bits).

// lenCounts counts the lengths of lens and checks the table is valid.
func lenCounts(lens []uint8, count *[MaxHuffmanBits + 1]int) error {
	*count = [MaxHuffmanBits + 1]int{}
	used, kraft := 0, 0
	for _, l := range lens {
		if l == 0 {
			continue
		}
		if l > MaxHuffmanBits {
			return fmt.Errorf("%w: Huffman code length %d", ErrCorrupt, l)
		}
		count[l]++
		used++
		kraft += 1 << (MaxHuffmanBits - l)
	}
	if used < 2 {
		return fmt.Errorf("%w: Huffman table with %d symbols", ErrCorrupt, used)
	}
	if kraft != 1<<MaxHuffmanBits {
		return fmt.Errorf("%w: Huffman lengths are not a complete prefix code", ErrCorrupt)
	}
	return nil
}

// firstCodes returns first[l], the canonical code of the first symbol of
// each length (see internal/canonical).
func firstCodes(count *[MaxHuffmanBits + 1]int) (first [MaxHuffmanBits + 1]uint32) {
	canonical.FirstCodes(first[:], count[:])
	return first
}

// encEntry packs a code and its length for the encoder: code<<4 | length.
// Codes have at most MaxHuffmanBits = 11 bits, so this fits 15 bits.
type encEntry = uint16

// canonicalCodes fills enc[s] = code<<4 | len for a valid table lens.
func canonicalCodes(lens []uint8, enc []encEntry) {
	var count [MaxHuffmanBits + 1]int
	for _, l := range lens {
		count[l]++
	}
	next := firstCodes(&count)
	for s, l := range lens {
		if l == 0 {
			enc[s] = 0
			continue
		}
		enc[s] = encEntry(next[l]<<4 | uint32(l))
		next[l]++
	}
}

// lutBits is the index width of the order-0 decoding table.
const lutBits = MaxHuffmanBits

// decLUT is the order-0 decoding table: for the next lutBits stream bits v,
//
//	lut[v] = sym<<8 | len
//
// where sym's code is the first len bits of v. Every code of length l fills
// the 2^(lutBits-l) entries it prefixes.
type decLUT [1 << lutBits]uint16

// build fills the table from a valid table lens (see lenCounts).
func (t *decLUT) build(lens []uint8) error {
	var count [MaxHuffmanBits + 1]int
	if err := lenCounts(lens, &count); err != nil {
		return err
	}
	next := firstCodes(&count)
	for s, l := range lens {
		if l == 0 {
			continue
		}
		shift := lutBits - uint(l)
		start := next[l] << shift
		next[l]++
		e := uint16(s)<<8 | uint16(l)
		fill := t[start : start+1<<shift]
		for i := range fill {
			fill[i] = e
		}
	}
	return nil
}

// decLUT2 is the order-0 table that decodes up to two symbols per lookup:
// for the next lutBits stream bits v,
//
//	lut2[v] = sym2<<16 | sym1<<8 | count<<4 | bits
//
// where sym1 is the symbol lut[v] and, when sym1's length l1 leaves room for
// the whole next code (l1 + l2 ≤ lutBits), sym2 is that next symbol and
// count = 2; otherwise count = 1 and sym2 = 0. bits = l1 (+ l2).
type decLUT2 [1 << lutBits]uint32

// build fills t from the single-symbol table lut.
func (t *decLUT2) build(lut *decLUT) {
	for v := range t {
		e1 := lut[v]
		l1 := uint(e1 & 15)
		e := uint32(e1>>8)<<8 | 1<<4 | uint32(l1)
		e2 := lut[(v<<l1)&(1<<lutBits-1)]
		if l2 := uint(e2 & 15); l1+l2 <= lutBits {
			e = uint32(e2>>8)<<16 | uint32(e1>>8)<<8 | 2<<4 | uint32(l1+l2)
		}
		t[v] = e
	}
}

// canonDec decodes one canonical table without a lookup table, used for the
// many small context tables of orders 1 and 2 and for the code-length code.
// With v the next MaxHuffmanBits stream bits,
//
//	len = the least l ≥ minLen with v < limit[l]
//	sym = syms[off + v>>(MaxHuffmanBits-len) + delta[len]]
//
// where limit[l] = (first[l] + count[l]) << (MaxHuffmanBits-l) bounds the
// codes of length ≤ l (left-justified) and delta[l] = (number of symbols
// shorter than l) - first[l]. limit[MaxHuffmanBits] = 2^MaxHuffmanBits for a
// complete code, so the search stops. minLen == 0 marks a single-symbol
// table: sym is coded with zero bits.
type canonDec struct {
	limit  [16]uint16 // entries above MaxHuffmanBits stay 0xFFFF
	delta  [16]int16
	off    int32
	minLen uint8
	sym    uint8
}

// build sets up t for lens, appending its sorted symbols to syms.
func (t *canonDec) build(lens []uint8, syms []byte) ([]byte, error) {
	var count [MaxHuffmanBits + 1]int
	if err := lenCounts(lens, &count); err != nil {
		return syms, err
	}
	first := firstCodes(&count)
	*t = canonDec{off: int32(len(syms))}
	for l := MaxHuffmanBits + 1; l < len(t.limit); l++ {
		t.limit[l] = 0xFFFF
	}
	var pos [MaxHuffmanBits + 1]int
	n := 0
	for l := 1; l <= MaxHuffmanBits; l++ {
		if count[l] > 0 && t.minLen == 0 {
			t.minLen = uint8(l)
		}
		pos[l] = n
		t.delta[l] = int16(n - int(first[l]))
		n += count[l]
		t.limit[l] = uint16((int(first[l]) + count[l]) << (MaxHuffmanBits - l))
	}
	base := len(syms)
	for range n {
		syms = append(syms, 0)
	}
	for s, l := range lens {
		if l != 0 {
			syms[base+pos[l]] = byte(s)
			pos[l]++
		}
	}
	return syms, nil
}

// single sets up t as the zero-bit table of symbol s.
func (t *canonDec) single(s byte) {
	*t = canonDec{sym: s}
}

// decode reads one symbol; the caller has refilled r (≥ MaxHuffmanBits bits).
func (t *canonDec) decode(r *bitReader, syms []byte) byte {
	if t.minLen == 0 {
		return t.sym
	}
	v := uint16(r.bits >> (64 - MaxHuffmanBits))
	l := uint(t.minLen)
	for v >= t.limit[l&15] {
		l++
	}
	l &= 15
	r.bits <<= l
	r.nb -= l
	return syms[int(t.off)+int(v>>(MaxHuffmanBits-l))+int(t.delta[l])]
}
