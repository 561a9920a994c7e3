package coder_test

import (
	"fmt"

	"github.com/entzip/entzip/coder"
)

func ExampleHuffmanLengths() {
	// Counts for a, b, c, d. Unlimited Huffman would give d a 3-bit code;
	// with at most 2 bits the optimal code is flat.
	counts := []uint32{10, 5, 2, 1}
	free, _ := coder.HuffmanLengths(counts, 8)
	limited, _ := coder.HuffmanLengths(counts, 2)
	fmt.Println(free, limited)
	// Output: [1 2 3 3] [2 2 2 2]
}

func ExampleEncodeHuffman() {
	src := []byte("abracadabra abracadabra abracadabra abracadabra abracadabra")
	for order := range 3 {
		block, err := coder.EncodeHuffman(nil, src, order)
		if err != nil {
			panic(err)
		}
		out, err := coder.DecodeHuffman(nil, block, len(src), order)
		if err != nil {
			panic(err)
		}
		fmt.Println(order, len(src), "->", len(block), string(out) == string(src))
	}
	// Output:
	// 0 59 -> 34 true
	// 1 59 -> 30 true
	// 2 59 -> 29 true
}
