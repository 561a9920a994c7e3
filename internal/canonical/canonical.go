// Package canonical assigns the codewords of a canonical prefix code from
// its code lengths, as deflate does (RFC 1951, section 3.2.2): codewords
// go to the symbols shorter first, then by symbol, so the codewords of
// each length are consecutive and the lengths alone describe the code.
// With count[l] the number of symbols of length l,
//
//	first[1]   = 0
//	first[l+1] = (first[l] + count[l]) << 1
//
// and the i-th symbol of length l (in symbol order) gets codeword
// first[l] + i, its first bit the highest of its l bits.
//
// Package coder's Huffman coders and model.OrderK's codeword groups both
// build their codes with it; checking the lengths (Kraft's equality, the
// longest length allowed) is theirs.
package canonical

// FirstCodes sets first[l], for l = 1..len(first)-1, to the codeword of
// the first symbol of length l; first[0] is set to 0. count[l] is the
// number of symbols of length l; count[0] (symbols without a codeword) is
// ignored. count must have at least len(first)-1 entries.
func FirstCodes[C ~int | ~uint32](first []uint32, count []C) {
	if len(first) == 0 {
		return
	}
	first[0] = 0
	code := uint32(0)
	for l := 1; l < len(first); l++ {
		if l > 1 {
			code = (code + uint32(count[l-1])) << 1
		}
		first[l] = code
	}
}
