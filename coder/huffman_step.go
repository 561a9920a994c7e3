package coder

import (
	"fmt"
	"slices"

	"github.com/entzip/entzip/internal/canonical"
)

// MaxHuffmanStepBits is the longest code of the step coder. It allows up to
// 2^24 symbols (model.MaxTotal: frequencies that sum to 2^24 with every one
// at least 1 never have more).
const MaxHuffmanStepBits = 24

// The step coder codes each symbol with a canonical Huffman code of its own,
// built from a frequency table both sides know (a model's prediction for
// this step), so no table is ever sent:
//
//	lens  = optimal code lengths of the used symbols (freqs[s] > 0):
//	        Huffman's, computed by Moffat and Katajainen's in-place method
//	        on the symbols sorted by (freq, symbol), preferring a leaf
//	        over a package of equal weight; if that code has a length
//	        above MaxHuffmanStepBits, HuffmanLengths(freqs,
//	        MaxHuffmanStepBits) (package-merge) instead
//	code  = canonical: symbols ordered by (length, symbol), see huffman_table.go
//	out   = the codes, MSB-first, one bit stream, zero-padded to a byte
//
// A table with a single used symbol codes it in zero bits. Symbols of
// frequency 0 have no code. Building a code takes O(V log V) time and
// O(V·MaxHuffmanStepBits) bytes per symbol coded, so the step coder is
// slow for large alphabets; it exists to show what Huffman's whole-bit code
// lengths cost against arithmetic coding of the same predictions.

// stepCode is the canonical code of one step: lens, and per length the
// count of symbols and the first code.
type stepCode struct {
	s     lengthScratch
	lens  []uint8
	count [MaxHuffmanStepBits + 1]uint32
	first [MaxHuffmanStepBits + 1]uint32
	used  int
	only  int      // the used symbol when used == 1
	keys  []uint64 // freq<<32 | symbol, sorted
	a     []uint64 // Moffat-Katajainen's array
}

// build computes the code of freqs.
func (c *stepCode) build(freqs []uint32) error {
	if len(freqs) > 1<<MaxHuffmanStepBits {
		return fmt.Errorf("coder: Huffman step code for %d symbols (limit %d)", len(freqs), 1<<MaxHuffmanStepBits)
	}
	if cap(c.lens) < len(freqs) {
		c.lens = make([]uint8, len(freqs))
	}
	c.lens = c.lens[:len(freqs)]
	if !c.huffman(freqs) {
		if err := c.s.lengths(freqs, MaxHuffmanStepBits, c.lens); err != nil {
			return err
		}
	}
	c.count = [MaxHuffmanStepBits + 1]uint32{}
	c.used = 0
	for i, l := range c.lens {
		if l != 0 {
			c.count[l]++
			c.used++
			c.only = i
		}
	}
	canonical.FirstCodes(c.first[:], c.count[:])
	return nil
}

// huffman sets c.lens to Huffman code lengths of freqs and reports
// whether none exceeds MaxHuffmanStepBits.
func (c *stepCode) huffman(freqs []uint32) bool {
	keys := c.keys[:0]
	for s, f := range freqs {
		if f != 0 {
			keys = append(keys, uint64(f)<<32|uint64(s))
		}
	}
	c.keys = keys
	clear(c.lens)
	n := len(keys)
	switch n {
	case 0:
		return true
	case 1:
		c.lens[uint32(keys[0])] = 1
		return true
	}
	slices.Sort(keys)
	a := append(c.a[:0], make([]uint64, n)...)
	c.a = a
	for i, k := range keys {
		a[i] = k >> 32
	}
	// Moffat & Katajainen, "In-place calculation of minimum-redundancy
	// codes" (1995). Pass 1: pair the two lightest of the leaves a[leaf:]
	// and the packages a[root:next], leaving in a[root] its parent's index.
	a[0] += a[1]
	root, leaf := 0, 2
	for next := 1; next < n-1; next++ {
		if leaf >= n || a[root] < a[leaf] {
			a[next] = a[root]
			a[root] = uint64(next)
			root++
		} else {
			a[next] = a[leaf]
			leaf++
		}
		if leaf >= n || (root < next && a[root] < a[leaf]) {
			a[next] += a[root]
			a[root] = uint64(next)
			root++
		} else {
			a[next] += a[leaf]
			leaf++
		}
	}
	// Pass 2: the depth of each package.
	a[n-2] = 0
	for next := n - 3; next >= 0; next-- {
		a[next] = a[a[next]] + 1
	}
	// Pass 3: the depth of each leaf, the heaviest (last) shallowest.
	avail, used, depth := 1, 0, uint64(0)
	root, next := n-2, n-1
	for avail > 0 {
		for root >= 0 && a[root] == depth {
			used++
			root--
		}
		for avail > used {
			a[next] = depth
			next--
			avail--
		}
		avail, depth, used = 2*used, depth+1, 0
	}
	if a[0] > MaxHuffmanStepBits {
		return false
	}
	for i, k := range keys {
		c.lens[uint32(k)] = uint8(a[i])
	}
	return true
}

// HuffmanStepEncoder codes symbols one at a time, each with the optimal
// length-limited canonical Huffman code of a frequency table the decoder
// also knows (see MaxHuffmanStepBits). It is not safe for concurrent use;
// after warm-up it allocates only to grow its output.
type HuffmanStepEncoder struct {
	code stepCode
	w    bitWriter
}

// NewHuffmanStepEncoder returns an empty encoder.
func NewHuffmanStepEncoder() *HuffmanStepEncoder { return &HuffmanStepEncoder{} }

// Reset discards the coded symbols.
func (e *HuffmanStepEncoder) Reset() { e.w = bitWriter{out: e.w.out[:0]} }

// Encode codes symbol s with the code of freqs. It fails when freqs[s] is
// 0 or freqs has more than 2^MaxHuffmanStepBits symbols.
func (e *HuffmanStepEncoder) Encode(freqs []uint32, s int) error {
	if uint(s) >= uint(len(freqs)) || freqs[s] == 0 {
		return fmt.Errorf("coder: Huffman step: symbol %d has no frequency", s)
	}
	c := &e.code
	if err := c.build(freqs); err != nil {
		return err
	}
	if c.used == 1 {
		return nil
	}
	l := c.lens[s]
	rank := uint32(0)
	for _, x := range c.lens[:s] {
		if x == l {
			rank++
		}
	}
	e.w.write(c.first[l]+rank, uint(l))
	return nil
}

// Finish appends the coded bit stream to dst, zero-padded to a byte.
func (e *HuffmanStepEncoder) Finish(dst []byte) []byte {
	return append(dst, e.w.flush()...)
}

// HuffmanStepDecoder decodes what a HuffmanStepEncoder coded, given the
// same frequency tables in the same order. Like the other decoders it never
// panics and never reads past its input: it records the first problem,
// returns symbol 0 from then on, and reports it from Err and Close.
type HuffmanStepDecoder struct {
	code stepCode
	r    bitReader
	err  error
}

// NewHuffmanStepDecoder returns a decoder of src.
func NewHuffmanStepDecoder(src []byte) *HuffmanStepDecoder {
	d := &HuffmanStepDecoder{}
	d.Reset(src)
	return d
}

// Reset starts decoding src.
func (d *HuffmanStepDecoder) Reset(src []byte) {
	d.r = bitReader{buf: src}
	d.err = nil
}

// Decode returns the next symbol, coded with the code of freqs.
func (d *HuffmanStepDecoder) Decode(freqs []uint32) int {
	if d.err != nil {
		return 0
	}
	c := &d.code
	if err := c.build(freqs); err != nil {
		d.err = err
		return 0
	}
	switch c.used {
	case 0:
		d.err = fmt.Errorf("%w: Huffman step: no symbol has a frequency", ErrCorrupt)
		return 0
	case 1:
		return c.only
	}
	if d.r.nb < MaxHuffmanStepBits {
		d.r.refill()
	}
	code := uint32(0)
	for l := 1; l <= MaxHuffmanStepBits; l++ {
		code = code<<1 | d.r.read(1)
		if k := code - c.first[l]; k < c.count[l] {
			for s, x := range c.lens {
				if int(x) == l {
					if k == 0 {
						return s
					}
					k--
				}
			}
		}
	}
	d.err = fmt.Errorf("%w: Huffman step: no code matches at bit %d", ErrCorrupt, d.r.consumed())
	return 0
}

// Err returns the first problem met, or nil.
func (d *HuffmanStepDecoder) Err() error { return d.err }

// Close returns Err, or an error if the input was not consumed exactly
// (unread bytes, or padding bits that are not zero).
func (d *HuffmanStepDecoder) Close() error {
	if d.err != nil {
		return d.err
	}
	if !d.r.finish() {
		return fmt.Errorf("%w: Huffman step: the bit stream ends at bit %d of %d", ErrCorrupt, d.r.consumed(), 8*len(d.r.buf))
	}
	return nil
}
