package coder

import "fmt"

// AppendCodeLengths appends a compact description of the 256 code lengths
// lens (each 0..MaxHuffmanBits, 0 for a symbol without a codeword) to dst:
// the code-length description Huffman blocks store (a Huffman-coded run
// length code; docs/FORMAT.md), padded to a whole byte. Text with a
// hundred distinct bytes takes about 60 bytes. ReadCodeLengths reads it.
// Lengths above MaxHuffmanBits are an error.
func AppendCodeLengths(dst []byte, lens *[256]uint8) ([]byte, error) {
	for b, l := range lens {
		if l > MaxHuffmanBits {
			return dst, fmt.Errorf("coder: code length %d of symbol %d exceeds %d", l, b, MaxHuffmanBits)
		}
	}
	s := encPool.Get().(*encScratch)
	defer encPool.Put(s)
	s.toks = appendDesc(s.toks[:0], lens[:])
	clLens := s.clCode()
	w := bitWriter{out: dst}
	writeCLCode(&w, &clLens)
	writeDesc(&w, s.toks, &s.clEnc)
	return w.flush(), nil
}

// ReadCodeLengths reads a description AppendCodeLengths wrote at the start
// of src into lens and returns the number of bytes it took. Errors wrap
// ErrCorrupt. The lengths are not checked to form a prefix code; that is
// up to their user.
func ReadCodeLengths(src []byte, lens *[256]uint8) (int, error) {
	s := decPool.Get().(*decScratch)
	defer decPool.Put(s)
	r := bitReader{buf: src}
	var err error
	if s.clSyms, err = readCLCode(&r, &s.cl, s.clSyms[:0]); err != nil {
		return 0, err
	}
	if err := readDesc(&r, &s.cl, s.clSyms, lens); err != nil {
		return 0, err
	}
	n := (r.consumed() + 7) >> 3
	if n > len(src) {
		return 0, fmt.Errorf("%w: truncated code lengths", ErrCorrupt)
	}
	r.buf = src[:n]
	if !r.finish() {
		return 0, fmt.Errorf("%w: nonzero padding after code lengths", ErrCorrupt)
	}
	return n, nil
}
