package coder

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/entzip/entzip/internal/histogram"
)

// Huffman block layout (all bit streams MSB-first, zero-padded to a byte):
//
//	block    = header:1 body
//	header   = mode | order<<2          (bits 4..7 are zero)
//	mode 0   stored:  body = the n source bytes
//	mode 1   single:  body = sym:1       (the block is n copies of sym)
//	mode 2   Huffman, order 0:
//	           body = bits(CL code, table) streams
//	           streams = stream_0                                  if n < 256
//	                   = uvarint(len_0..len_2) stream_0..stream_3  otherwise
//	           stream i codes src[i·q : min((i+1)·q, n)], q = ⌈n/4⌉
//	mode 2   Huffman, orders 1 and 2: body = one bit stream:
//	           CL code, then for each byte: [context tables] code
//
// See huffman_desc.go for the CL code and table descriptions and
// huffman_context.go for how orders 1 and 2 send their context tables.
const (
	hmStored  = 0
	hmSingle  = 1
	hmHuffman = 2

	// huffStreamsMin is the block size from which order 0 uses 4 streams.
	huffStreamsMin = 256
)

// EncodeHuffman appends to dst a self-describing semi-static Huffman block
// for src and returns the extended slice. order selects the context: 0 uses
// one code table, 1 one table per previous byte and 2 one per previous two
// bytes, where the bytes before the block start are taken as 0. Tables are
// built from the block's own counts and stored in the block; a block whose
// code would not be smaller than src is stored raw, and a block of one
// repeated byte takes two bytes. Decoding needs len(src) and order, which
// the block does not record.
//
// EncodeHuffman returns an error only for order outside 0..2. It is safe for
// concurrent use; steady-state calls reuse pooled scratch space.
func EncodeHuffman(dst, src []byte, order int) ([]byte, error) {
	dst, _, err := EncodeHuffmanTables(dst, src, order)
	return dst, err
}

// EncodeHuffmanTables is EncodeHuffman that also returns how many bits of
// the block describe its code rather than code the bytes: the header byte
// and the code tables (for a single-symbol block its symbol too). In a
// two-part code they are the model's part; the rest of the block, the
// bytes' codes and the padding, is the data's.
func EncodeHuffmanTables(dst, src []byte, order int) (block []byte, tableBits int, err error) {
	if order < 0 || order > 2 {
		return dst, 0, fmt.Errorf("coder: Huffman order %d is not 0, 1 or 2", order)
	}
	s := encPool.Get().(*encScratch)
	defer encPool.Put(s)
	hdr := byte(order) << 2
	if len(src) == 0 {
		return append(dst, hdr|hmStored), 8, nil
	}
	start := len(dst)
	var ok bool
	s.tableBits = 8
	if order == 0 {
		dst, ok = s.encode0(dst, src, hdr)
	} else {
		dst, ok = s.encodeCtx(dst, src, order, hdr)
	}
	if !ok || len(dst)-start > 1+len(src) {
		dst = append(dst[:start], hdr|hmStored)
		dst = append(dst, src...)
		s.tableBits = 8
	}
	return dst, s.tableBits, nil
}

// encScratch holds everything an encoder call needs; pooled.
type encScratch struct {
	counts [256]uint32
	lens   [256]uint8
	enc    [256]encEntry
	ls     lengthScratch
	toks   []clToken
	clEnc  [clSymbols]encEntry
	ctx    ctxScratch
	// tableBits counts the bits of the block's header and tables.
	tableBits int
}

var encPool = sync.Pool{New: func() any { return new(encScratch) }}

// histogram counts the bytes of src into s.counts. When src is one
// repeated byte it appends the single-symbol block of it to dst instead
// and reports single.
func (s *encScratch) histogram(dst, src []byte, hdr byte) (counts *[256]uint32, block []byte, single bool) {
	histogram.Bytes(&s.counts, src)
	used, sym := 0, 0
	for b, c := range s.counts {
		if c != 0 {
			used++
			sym = b
		}
	}
	if used == 1 {
		s.tableBits = 16
		return &s.counts, append(dst, hdr|hmSingle, byte(sym)), true
	}
	return &s.counts, dst, false
}

// clCode builds the CL code for the tokens in s.toks into s.clEnc and
// returns its lengths.
func (s *encScratch) clCode() (clLens [clSymbols]uint8) {
	var counts [clSymbols]uint32
	for _, t := range s.toks {
		counts[t&31]++
	}
	used := 0
	for _, c := range counts {
		if c != 0 {
			used++
		}
	}
	// Every table needs two symbols; pad a one-symbol CL code.
	for i := 0; used < 2; i++ {
		if counts[i] == 0 {
			counts[i] = 1
			used++
		}
	}
	// 27 symbols always fit 7 bits, so this cannot fail.
	_ = s.ls.lengths(counts[:], clMaxBits, clLens[:])
	canonicalCodes(clLens[:], s.clEnc[:])
	return clLens
}

// encode0 appends an order-0 block; ok is false when the block should be
// stored instead.
func (s *encScratch) encode0(dst, src []byte, hdr byte) ([]byte, bool) {
	counts, dst, single := s.histogram(dst, src, hdr)
	if single {
		return dst, true
	}
	if err := s.ls.lengths(counts[:], MaxHuffmanBits, s.lens[:]); err != nil {
		return dst, false
	}
	total := uint64(0)
	for b, c := range counts {
		total += uint64(c) * uint64(s.lens[b])
	}
	if total/8+16 >= uint64(len(src)) {
		return dst, false
	}
	canonicalCodes(s.lens[:], s.enc[:])
	s.toks = appendDesc(s.toks[:0], s.lens[:])
	clLens := s.clCode()

	// Room for the table (≤ 11+448 bytes), the stream sizes, the streams
	// (total bits plus padding) and encodeStream's 8-byte stores.
	const gap = 3 * binary.MaxVarintLen64
	dst = slices.Grow(dst, 1+512+gap+int(total/8)+4+16)
	start := len(dst)
	dst = append(dst, hdr|hmHuffman)
	w := bitWriter{out: dst}
	writeCLCode(&w, &clLens)
	writeDesc(&w, s.toks, &s.clEnc)
	s.tableBits = w.bits() - 8*start
	dst = w.flush()

	n := len(src)
	if n < huffStreamsMin {
		return encodeStream(dst, src, &s.enc), true
	}
	// Encode the four streams behind a gap for the three sizes, then move
	// them down behind the sizes.
	hdrEnd := len(dst)
	dst = dst[:hdrEnd+gap]
	q := (n + 3) / 4
	var sizes [3]int
	for i := range 4 {
		before := len(dst)
		dst = encodeStream(dst, src[i*q:min((i+1)*q, n)], &s.enc)
		if i < 3 {
			sizes[i] = len(dst) - before
		}
	}
	var sz [gap]byte
	k := 0
	for _, v := range sizes {
		k += binary.PutUvarint(sz[k:], uint64(v))
	}
	copy(dst[hdrEnd:], sz[:k])
	m := copy(dst[hdrEnd+k:], dst[hdrEnd+gap:])
	return dst[:hdrEnd+k+m], true
}

// encodeStream appends the codes of src as one zero-padded bit stream.
// It stores 8 bytes at a time: cap(dst) must exceed the final length by 8.
func encodeStream(dst, src []byte, enc *[256]encEntry) []byte {
	pos := len(dst)
	out := dst[:cap(dst)]
	var acc uint64
	var nb uint
	// Five codes of at most 11 bits on top of < 8 pending bits fit 64.
	for len(src) >= 5 {
		e0, e1, e2, e3, e4 := enc[src[0]], enc[src[1]], enc[src[2]], enc[src[3]], enc[src[4]]
		acc = acc<<(e0&15) | uint64(e0>>4)
		acc = acc<<(e1&15) | uint64(e1>>4)
		acc = acc<<(e2&15) | uint64(e2>>4)
		acc = acc<<(e3&15) | uint64(e3>>4)
		acc = acc<<(e4&15) | uint64(e4>>4)
		nb += uint(e0&15 + e1&15 + e2&15 + e3&15 + e4&15)
		binary.BigEndian.PutUint64(out[pos:], acc<<((64-nb)&63))
		pos += int(nb >> 3)
		nb &= 7
		src = src[5:]
	}
	for _, b := range src {
		e := enc[b]
		acc = acc<<(e&15) | uint64(e>>4)
		nb += uint(e & 15)
	}
	for nb >= 8 {
		nb -= 8
		out[pos] = byte(acc >> nb)
		pos++
	}
	if nb > 0 {
		out[pos] = byte(acc << (8 - nb))
		pos++
	}
	return out[:pos]
}
