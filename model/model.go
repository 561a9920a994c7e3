// Package model holds entzip's probability models: they predict the next
// symbol or bit, and an entropy coder from package coder turns the
// predictions into bits. Models never see a coder; the pairing happens once
// per frame in package container. See docs/FORMAT.md for how a model and its
// parameters are recorded in an .ez stream.
//
// Everything that feeds a coder is computed with integer or fixed-point
// arithmetic, so a model predicts bit-identical values on every GOARCH.
package model

// ProbBits is the precision of a bit probability: a BitModel's P1 is
// P(bit = 1) scaled to 1<<ProbBits.
const ProbBits = 16

// MaxTotal is the largest total frequency a SymbolModel may report.
const MaxTotal = 1 << 28

// A SymbolModel predicts the next symbol of an alphabet of Alphabet()
// symbols as integer frequencies. Symbol s occupies the cumulative interval
// [start, start+freq) of [0, total); every symbol has freq ≥ 1, so every
// symbol can be coded, and total ≤ MaxTotal.
//
// The coding loop calls Interval (encoder) or Total and Find (decoder) for
// the next symbol, then Update with the symbol that occurred. Encoder and
// decoder make the same calls in the same order and so see the same
// predictions. A SymbolModel is not safe for concurrent use.
type SymbolModel interface {
	// Alphabet returns the number of symbols, which are 0..Alphabet()-1.
	Alphabet() int
	// Total returns the sum of all current frequencies.
	Total() uint32
	// Interval returns the interval of symbol s and the total.
	Interval(s int) (start, freq, total uint32)
	// Find returns the symbol whose interval contains target, with its
	// interval. target must be below Total().
	Find(target uint32) (s int, start, freq uint32)
	// Update teaches the model that s occurred.
	Update(s int)
	// Reset returns the model to its initial state.
	Reset()
}

// A BitModel predicts a byte stream one bit at a time: each byte is coded as
// its 8 bits, most significant first, and the model keeps track of the bit
// position itself. A BitModel is not safe for concurrent use.
type BitModel interface {
	// P1 returns P(next bit = 1) scaled to 1<<ProbBits, in [1, 1<<ProbBits-1].
	P1() uint32
	// Update teaches the model that bit (0 or 1) occurred.
	Update(bit int)
	// Reset returns the model to its initial state.
	Reset()
}
