// Package histogram counts byte values, for the coders of package coder
// (and any other package of entzip that needs a block's byte counts).
package histogram

// Bytes sets counts[b] to how often byte value b occurs in src (whose
// length must be below 2^32). It counts four bytes at a time into four
// partial tables, which breaks the store-to-load dependency of a run of
// equal bytes, and sums them; the tables live on the stack, so Bytes does
// not allocate.
func Bytes(counts *[256]uint32, src []byte) {
	var h [4][256]uint32
	i := 0
	for ; i+4 <= len(src); i += 4 {
		s := src[i : i+4 : i+4]
		h[0][s[0]]++
		h[1][s[1]]++
		h[2][s[2]]++
		h[3][s[3]]++
	}
	for ; i < len(src); i++ {
		h[0][src[i]]++
	}
	for b := range counts {
		counts[b] = h[0][b] + h[1][b] + h[2][b] + h[3][b]
	}
}
