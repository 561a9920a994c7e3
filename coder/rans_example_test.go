package coder_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/entzip/entzip/coder"
)

func ExampleEncodeRANSO0() {
	src := bytes.Repeat([]byte("abracadabra "), 100)
	block := coder.EncodeRANSO0(nil, src)
	fmt.Println(len(src), "->", len(block), "bytes")
	// Output: 1200 -> 390 bytes
}

func ExampleDecodeRANSO0() {
	src := bytes.Repeat([]byte("mississippi "), 50)
	block := coder.EncodeRANSO0(nil, src)
	out, err := coder.DecodeRANSO0(nil, block, len(src)) // the caller stores len(src)
	fmt.Println(string(out[:24]), err)
	block[len(block)-1] ^= 1 // damage the last word
	_, err = coder.DecodeRANSO0(nil, block, len(src))
	fmt.Println(errors.Is(err, coder.ErrCorrupt))
	// Output:
	// mississippi mississippi  <nil>
	// true
}

func ExampleEncodeRANSO1() {
	src := bytes.Repeat([]byte("abracadabra "), 100)
	block := coder.EncodeRANSO1(nil, src)
	fmt.Println(len(src), "->", len(block), "bytes")
	// Output: 1200 -> 173 bytes
}

func ExampleDecodeRANSO1() {
	src := bytes.Repeat([]byte("to be or not to be, "), 20)
	out, err := coder.DecodeRANSO1(nil, coder.EncodeRANSO1(nil, src), len(src))
	fmt.Println(bytes.Equal(out, src), err)
	// Output: true <nil>
}

// A model drives the adaptive coder step by step; here a fixed three-symbol
// distribution and a fixed bit probability stand in for one.
func ExampleRANSEncoder() {
	var starts = [3]uint32{0, 6, 9} // a: 6/10, b: 3/10, c: 1/10
	var freqs = [3]uint32{6, 3, 1}
	e := coder.NewRANSEncoder()
	for _, s := range []int{0, 0, 1, 0, 2, 0, 1, 0} {
		e.EncodeFreq(starts[s], freqs[s], 10)
	}
	e.EncodeBit(60000, 1) // P(1) = 60000/65536
	block := e.Finish(nil)
	fmt.Println(len(block), "bytes")

	d := coder.NewRANSDecoder(block)
	for range 8 {
		t := d.DecodeFreq(10)
		s := 0
		for s < 2 && t >= starts[s+1] {
			s++
		}
		d.Consume(starts[s], freqs[s], 10)
		fmt.Print(string(rune('a' + s)))
	}
	fmt.Println(d.DecodeBit(60000), d.Close())
	// Output:
	// 8 bytes
	// aabacaba1 <nil>
}

func ExampleRANSDecoder() {
	e := coder.NewRANSEncoder()
	for _, bit := range []int{1, 0, 1, 1} {
		e.EncodeBit(1<<15, bit) // P(1) = 1/2
	}
	block := e.Finish(nil)

	d := coder.NewRANSDecoder(block[:len(block)-1]) // truncated
	for range 4 {
		d.DecodeBit(1 << 15)
	}
	fmt.Println(errors.Is(d.Close(), coder.ErrCorrupt))
	d.Reset(block)
	for range 4 {
		fmt.Print(d.DecodeBit(1 << 15))
	}
	fmt.Println("", d.Close())
	// Output:
	// true
	// 1011 <nil>
}
