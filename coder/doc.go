// Package coder holds entzip's entropy coders: a range (arithmetic) coder,
// rANS (a static block codec and an adaptive coder any model can drive) and
// canonical length-limited Huffman codes. Coders know nothing of models: they
// code intervals of integer frequency tables or bits with a given
// probability. See docs/FORMAT.md for the byte layouts.
//
// The adaptive coders share one method set, AdaptiveEncoder and
// AdaptiveDecoder, where p1 is P(bit = 1) scaled to 1<<16 and in
// [1, 1<<16-1], and totals are at most 1<<28. Decoders never panic on
// corrupt input: they record the first problem, return harmless values
// until the caller checks Err or Close, and never read past their input.
package coder

import "errors"

// AdaptiveEncoder is the method set ArithEncoder and RANSEncoder share, so
// that a coding loop can be written once for both (see package container).
type AdaptiveEncoder interface {
	Reset()
	EncodeFreq(start, freq, total uint32)
	EncodeBit(p1 uint32, bit int)
	Finish(dst []byte) []byte
}

// AdaptiveDecoder is the method set ArithDecoder and RANSDecoder share.
type AdaptiveDecoder interface {
	Reset(src []byte)
	DecodeFreq(total uint32) uint32
	Consume(start, freq, total uint32)
	DecodeBit(p1 uint32) int
	Close() error
}

var (
	_ AdaptiveEncoder = (*ArithEncoder)(nil)
	_ AdaptiveEncoder = (*RANSEncoder)(nil)
	_ AdaptiveDecoder = (*ArithDecoder)(nil)
	_ AdaptiveDecoder = (*RANSDecoder)(nil)
)

// ErrCorrupt reports coded data that is not valid output of the coder.
var ErrCorrupt = errors.New("coder: corrupt input")
