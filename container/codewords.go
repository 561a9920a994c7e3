package container

import (
	"fmt"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
)

// CodewordLengths returns the prefix code a Writer gives a frame of src
// when Params.Codewords is set: the optimal code for src's byte counts
// with codewords of at most model.MaxCodeBits bits (package-merge, see
// coder.HuffmanLengths). A byte that src lacks gets no codeword; when src
// has only one distinct byte, the next byte value (mod 256) joins it, so
// that the code is always complete.
func CodewordLengths(src []byte) *[256]uint8 {
	var counts [256]uint32
	for _, b := range src {
		counts[b]++
	}
	used, last := 0, 0
	for b, c := range counts {
		if c != 0 {
			used++
			last = b
		}
	}
	if used < 2 {
		counts[(last+1)&255] = 1
	}
	lens, err := coder.HuffmanLengths(counts[:], model.MaxCodeBits)
	if err != nil {
		panic(err) // 256 symbols always fit 8 bits
	}
	return (*[256]uint8)(lens)
}

// startCodewords sets the code of the frame src on m and appends its
// description to dst.
func startCodewords(dst []byte, m model.PrefixBitModel, src []byte) []byte {
	lens := CodewordLengths(src)
	dst, err := coder.AppendCodeLengths(dst, lens)
	if err == nil {
		err = m.SetCode(lens)
	}
	if err != nil {
		panic(err) // CodewordLengths makes complete codes of at most 8 bits
	}
	return dst
}

// readCodewords reads the code at the start of a frame's payload src, sets
// it on m and returns the rest of the payload.
func readCodewords(m model.PrefixBitModel, src []byte) ([]byte, error) {
	var lens [256]uint8
	n, err := coder.ReadCodeLengths(src, &lens)
	if err != nil {
		return nil, err
	}
	if err := m.SetCode(&lens); err != nil {
		return nil, fmt.Errorf("%w: frame code: %w", ErrCorrupt, err)
	}
	return src[n:], nil
}
