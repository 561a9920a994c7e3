package coder

import (
	"fmt"
	"math/bits"
)

// Code-length descriptions. A table's 256 code lengths are sent as tokens
// of a 27-symbol code-length alphabet (CL), which is itself Huffman coded
// with one CL code per block:
//
//	CL code   = 27 × 3 bits: CL length of CL symbols 0..26 (0 = unused, ≤ 7)
//	table     = token* covering the symbols 0..255 in order
//	token     = CL symbol [k extra bits]
//	  0                end: all remaining symbols are absent
//	  1..11            the next symbol has that code length
//	  12+k, k = 0..7   the next r symbols are absent, r = 2^k + extra(k bits)
//	  19+k, k = 1..7   the next r symbols repeat the last length of 1..11,
//	                   r = 2^k + extra(k bits)
//
// A run may not pass symbol 255 and a repeat needs an earlier length.
// Like every table in the codec, the CL code must use at least two symbols
// and satisfy Kraft's equality.
const (
	clEnd     = 0
	clZero    = 12 // + k: zero runs, symbols 12..19
	clRepBase = 19 // + k, k ≥ 1: repeat runs, symbols 20..26
	clRep     = clRepBase + 1
	clSymbols = 27
	clMaxBits = 7
)

// clToken packs a CL symbol and its extra bits: sym | extra<<5.
type clToken = uint16

// clExtraBits returns the number of extra bits of CL symbol s.
func clExtraBits(s uint) uint {
	switch {
	case s >= clRep:
		return s - clRepBase
	case s >= clZero:
		return s - clZero
	}
	return 0
}

// runToken returns the token of a run of r ≥ 1 (r < 256) from base symbol
// clZero or clRepBase.
func runToken(base, r int) clToken {
	k := bits.Len(uint(r)) - 1
	return clToken(base+k) | clToken(r-1<<k)<<5
}

// appendDesc appends the tokens describing lens (256 lengths) to toks.
func appendDesc(toks []clToken, lens []uint8) []clToken {
	last := uint8(0)
	for i := 0; i < len(lens); {
		l := lens[i]
		j := i + 1
		for j < len(lens) && lens[j] == l {
			j++
		}
		switch {
		case l == 0 && j == len(lens):
			return append(toks, clEnd)
		case l == 0:
			toks = append(toks, runToken(clZero, j-i))
			i = j
		case l == last && j-i >= 2:
			toks = append(toks, runToken(clRepBase, j-i))
			i = j
		default:
			toks = append(toks, clToken(l))
			last = l
			i++
		}
	}
	return toks
}

// writeDesc writes tokens with the CL code clEnc.
func writeDesc(w *bitWriter, toks []clToken, clEnc *[clSymbols]encEntry) {
	for _, t := range toks {
		s := uint(t & 31)
		e := clEnc[s]
		w.write(uint32(e>>4), uint(e&15))
		if k := clExtraBits(s); k > 0 {
			w.write(uint32(t>>5), k)
		}
	}
}

// writeCLCode writes the CL code lengths.
func writeCLCode(w *bitWriter, clLens *[clSymbols]uint8) {
	for _, l := range clLens {
		w.write(uint32(l), 3)
	}
}

// readCLCode reads the CL code lengths and sets up cl.
func readCLCode(r *bitReader, cl *canonDec, syms []byte) ([]byte, error) {
	var lens [clSymbols]uint8
	for i := range lens {
		r.refill()
		lens[i] = uint8(r.read(3))
	}
	return cl.build(lens[:], syms)
}

// readDesc reads one table description into lens (256 entries).
func readDesc(r *bitReader, cl *canonDec, clSyms []byte, lens *[256]uint8) error {
	last := uint8(0)
	for i := 0; i < len(lens); {
		r.refill()
		s := uint(cl.decode(r, clSyms))
		if s == clEnd {
			clear(lens[i:])
			return nil
		}
		if s < clZero {
			lens[i] = uint8(s)
			last = uint8(s)
			i++
			continue
		}
		k := clExtraBits(s)
		run := 1<<k + int(r.read(k))
		if run > len(lens)-i {
			return fmt.Errorf("%w: Huffman length run past the alphabet", ErrCorrupt)
		}
		fill := uint8(0)
		if s >= clRep {
			if last == 0 {
				return fmt.Errorf("%w: Huffman length repeat without a length", ErrCorrupt)
			}
			fill = last
		}
		for j := range run {
			lens[i+j] = fill
		}
		i += run
	}
	return nil
}
