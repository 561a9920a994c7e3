package coder

import (
	"errors"
	"slices"
)

// MaxHuffmanBits is the longest code the Huffman block codec uses. Eleven
// bits keep the order-0 decoding table at 1<<11 two-byte entries (4 KiB, in
// L1 cache) and let one 56-bit refill of the bit reader serve five symbols.
const MaxHuffmanBits = 11

// errMaxBits reports a length limit too small for the number of symbols.
var errMaxBits = errors.New("coder: Huffman length limit too small for the number of symbols")

// HuffmanLengths returns optimal length-limited code lengths for counts:
// lengths[s] is 0 exactly when counts[s] is 0, no length exceeds maxBits,
// and Σ counts[s]·lengths[s] is minimal among all prefix codes with that
// limit. It uses the package-merge algorithm (Larmore and Hirschberg), so the
// result is optimal, not a heuristic repair of an over-long Huffman code.
//
// With two or more used symbols the lengths satisfy Kraft's equality
// Σ 2^-lengths[s] = 1. A single used symbol gets length 1 (Kraft sum 1/2), as
// in deflate; no counts give all zero lengths. HuffmanLengths returns an
// error when maxBits < 1 or when 2^maxBits is less than the number of used
// symbols. Ties between equal counts are broken by symbol index, so the
// result is deterministic. It is safe for concurrent use.
func HuffmanLengths(counts []uint32, maxBits int) ([]uint8, error) {
	lens := make([]uint8, len(counts))
	var s lengthScratch
	if err := s.lengths(counts, maxBits, lens); err != nil {
		return nil, err
	}
	return lens, nil
}

// lengthScratch holds the buffers of package-merge so that repeated calls
// (one per context table) do not allocate once warm.
type lengthScratch struct {
	syms   []int32  // used symbols sorted by (count, symbol)
	leafW  []uint64 // their counts, same order
	cur    []uint64 // weights of the list being built
	prev   []uint64 // weights of the previous (deeper) list
	isLeaf []bool   // level j, position i: isLeaf[j*width+i]
	lens   []uint8  // lengths in sorted order
	levels []int    // length of each level's list
}

// lengths writes the optimal length-limited code lengths of counts into
// lens (len(lens) == len(counts)); see HuffmanLengths.
//
// Package-merge on the n used symbols, weights w sorted ascending, with
// L = min(maxBits, n-1) levels:
//
//	list_1 = leaves
//	list_j = merge(leaves, pairs(list_{j-1}))   for j = 2..L
//	         where pairs(x) = {x[2i] + x[2i+1]}, merge is stable, leaf first
//
// Select the first 2n-2 items of list_L. Walking back from j = L to 1, the
// selected prefix of list_j holds the k_j lightest leaves and p_j packages,
// and the selected prefix of list_{j-1} has length 2·p_j. A symbol's code
// length is the number of levels whose selected prefix contains it.
func (s *lengthScratch) lengths(counts []uint32, maxBits int, lens []uint8) error {
	clear(lens)
	s.syms = s.syms[:0]
	for i, c := range counts {
		if c != 0 {
			s.syms = append(s.syms, int32(i))
		}
	}
	n := len(s.syms)
	if maxBits < 1 || (maxBits < 31 && n > 1<<uint(maxBits)) {
		return errMaxBits
	}
	switch n {
	case 0:
		return nil
	case 1:
		lens[s.syms[0]] = 1
		return nil
	}
	slices.SortFunc(s.syms, func(a, b int32) int {
		ca, cb := counts[a], counts[b]
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	s.leafW = s.leafW[:0]
	for _, sym := range s.syms {
		s.leafW = append(s.leafW, uint64(counts[sym]))
	}
	s.packageMerge(min(maxBits, n-1))
	for i, sym := range s.syms {
		lens[sym] = s.lens[i]
	}
	return nil
}

// packageMerge runs package-merge with L levels on s.leafW (sorted, n ≥ 2)
// and leaves the lengths, in the same order, in s.lens.
func (s *lengthScratch) packageMerge(L int) {
	leaves := s.leafW
	n := len(leaves)
	width := 2 * n
	s.isLeaf = slices.Grow(s.isLeaf[:0], L*width)[:L*width]
	s.cur = slices.Grow(s.cur[:0], width)[:0]
	s.prev = slices.Grow(s.prev[:0], width)[:0]

	// Level 1 (the deepest) is the leaves alone.
	s.prev = append(s.prev, leaves...)
	for i := range n {
		s.isLeaf[i] = true
	}
	listLen := append(s.levels[:0], n)
	for j := 1; j < L; j++ {
		flags := s.isLeaf[j*width : (j+1)*width]
		cur := s.cur[:0]
		prev := s.prev
		li, pi := 0, 0
		np := len(prev) / 2
		for li < n || pi < np {
			if pi >= np || (li < n && leaves[li] <= prev[2*pi]+prev[2*pi+1]) {
				flags[len(cur)] = true
				cur = append(cur, leaves[li])
				li++
			} else {
				flags[len(cur)] = false
				cur = append(cur, prev[2*pi]+prev[2*pi+1])
				pi++
			}
		}
		listLen = append(listLen, len(cur))
		s.cur, s.prev = prev, cur
	}
	s.levels = listLen

	s.lens = slices.Grow(s.lens[:0], n)[:n]
	clear(s.lens)
	m := 2*n - 2
	for j := L - 1; j >= 0 && m > 0; j-- {
		flags := s.isLeaf[j*width : j*width+listLen[j]]
		leavesSel := 0
		for _, f := range flags[:m] {
			if f {
				leavesSel++
			}
		}
		for i := range leavesSel {
			s.lens[i]++
		}
		m = 2 * (m - leavesSel)
	}
}
