package coder

import (
	"bytes"
	"testing"
)

// FuzzDecodeHuffman feeds arbitrary blocks to DecodeHuffman at every order
// (it must fail cleanly or return exactly n bytes, never panic) and checks
// that the fuzzer's data, used as a source, round-trips at every order.
func FuzzDecodeHuffman(f *testing.F) {
	seeds := [][]byte{
		{},
		[]byte("a"),
		[]byte("aaaaaaaaaaaaaaaaaaaa"),
		[]byte("abracadabra, abracadabra, abracadabra"),
		bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 20),
	}
	for _, s := range seeds {
		for order := range 3 {
			enc, err := EncodeHuffman(nil, s, order)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(enc, uint16(len(s)), uint8(order))
			f.Add(s, uint16(len(s)), uint8(order))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, n uint16, order uint8) {
		o := int(order % 3)
		out, err := DecodeHuffman(nil, data, int(n), o)
		if err == nil && len(out) != int(n) {
			t.Fatalf("decoded %d bytes, want %d", len(out), n)
		}
		for o := range 3 {
			enc, err := EncodeHuffman(nil, data, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(enc) > len(data)+1 {
				t.Fatalf("order %d: %d bytes coded to %d", o, len(data), len(enc))
			}
			dec, err := DecodeHuffman(nil, enc, len(data), o)
			if err != nil {
				t.Fatalf("order %d: %v", o, err)
			}
			if !bytes.Equal(dec, data) {
				t.Fatalf("order %d: round trip differs at %d", o, firstDiff(dec, data))
			}
		}
	})
}
