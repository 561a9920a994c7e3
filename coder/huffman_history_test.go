package coder

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
)

// TestHuffmanOutputIgnoresHistory: the bytes of a block never depend on
// what earlier calls left in the pooled scratch (an order-2 block once left
// its context layer behind for the next order-1 block).
func TestHuffmanOutputIgnoresHistory(t *testing.T) {
	text, err := os.ReadFile("../testdata/alice-ch1-2.txt")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	rnd := make([]byte, 10000)
	for i := range rnd {
		rnd[i] = byte(rng.Uint32())
	}
	inputs := [][]byte{text[:4096], text[4096:8192], rnd[:4096], append(append([]byte{}, text[:3000]...), rnd[:1096]...), bytes.Repeat([]byte{'a'}, 4096)}
	for order := 0; order <= 2; order++ {
		for bi, b := range inputs {
			wantB, _ := EncodeHuffman(nil, b, order)
			for i := 0; i < 40; i++ {
				o := rng.IntN(3)
				x := inputs[rng.IntN(len(inputs))]
				EncodeHuffman(nil, x[:rng.IntN(len(x))+1], o)
				gotB, _ := EncodeHuffman(nil, b, order)
				if !bytes.Equal(wantB, gotB) {
					t.Fatalf("order %d input %d: output depends on history (iteration %d, previous order %d)", order, bi, i, o)
				}
			}
		}
	}
}
