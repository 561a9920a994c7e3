package coder_test

import (
	"fmt"

	"github.com/entzip/entzip/coder"
)

// Code the word "abba" with a fixed model P(a) = 3/4, P(b) = 1/4, then
// two bits with P(1) = 0.9.
func ExampleArithEncoder() {
	interval := map[byte][2]uint32{'a': {0, 3}, 'b': {3, 1}}
	e := coder.NewArithEncoder()
	for _, c := range []byte("abba") {
		e.EncodeFreq(interval[c][0], interval[c][1], 4)
	}
	e.EncodeBit(58982, 1)
	e.EncodeBit(58982, 1)
	out := e.Finish(nil)

	d := coder.NewArithDecoder(out)
	var word []byte
	for range 4 {
		c := byte('a')
		if d.DecodeFreq(4) >= 3 {
			c = 'b'
		}
		d.Consume(interval[c][0], interval[c][1], 4)
		word = append(word, c)
	}
	fmt.Println(string(word), d.DecodeBit(58982), d.DecodeBit(58982), d.Close(), len(out), "bytes")
	// Output: abba 1 1 <nil> 1 bytes
}
