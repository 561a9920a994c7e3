package coder

import (
	"fmt"
	"math/bits"
)

// The range coder keeps a window of arithBits bits of the code value:
//
//	low   in [0, 2^arithBits] (one extra bit holds a pending carry)
//	rng   in [2^(arithBits-8), 2^arithBits] after every normalization
//
// A symbol with interval [start, start+freq) of total T narrows the window to
//
//	r = rng / T;  low += r·start;  rng = r·freq
//
// and a bit with P(1) = p1/2^16 splits it at r = (rng >> 16)·p1, the 1 taking
// the lower part. Whenever rng falls below 2^(arithBits-8) the top byte of
// low leaves the window (shiftLow). A byte that could still change through
// a carry is held back (cache), with a run of 0xFF bytes after it (pending),
// until a carry or a non-0xFF byte settles them: carries propagate exactly.
//
// With rng ≥ 2^48 and T ≤ 2^28, r ≥ 2^20, so truncating rng/T costs less
// than 1.5·2^-20 of a bit per symbol: the coder is within a few bytes per
// block of the ideal code length Σ -log2(freq/T).
const (
	arithBits   = 56
	arithTop    = uint64(1) << arithBits
	arithBottom = uint64(1) << (arithBits - 8)
	arithMask   = arithTop - 1
)

// ArithEncoder is an adaptive range coder. Feed it intervals (EncodeFreq)
// and bits (EncodeBit) in any mix, then call Finish. The zero value is not
// ready for use; call NewArithEncoder. An ArithEncoder is not safe for
// concurrent use; Reset makes it reusable without allocating.
type ArithEncoder struct {
	low     uint64
	rng     uint64
	cache   byte // the held-back byte a carry may still change
	pending int  // 0xFF bytes following cache
	started bool // whether cache holds a byte yet
	out     []byte
}

// NewArithEncoder returns an encoder ready to code.
func NewArithEncoder() *ArithEncoder {
	e := new(ArithEncoder)
	e.Reset()
	return e
}

// Reset discards all coded data and prepares e for a new block.
func (e *ArithEncoder) Reset() {
	e.low, e.rng = 0, arithMask
	e.cache, e.pending, e.started = 0, 0, false
	e.out = e.out[:0]
}

// EncodeFreq codes the interval [start, start+freq) of total. It requires
// 1 ≤ freq, start+freq ≤ total ≤ 1<<28.
func (e *ArithEncoder) EncodeFreq(start, freq, total uint32) {
	r := scaleRange(e.rng, total)
	e.low += r * uint64(start)
	e.rng = r * uint64(freq)
	for e.rng < arithBottom {
		e.shiftLow()
		e.rng <<= 8
	}
}

// EncodeBit codes bit (0 or 1) with P(bit = 1) = p1/65536, 1 ≤ p1 ≤ 65535.
func (e *ArithEncoder) EncodeBit(p1 uint32, bit int) {
	r := (e.rng >> 16) * uint64(p1)
	// No branch on the bit: the bits of a well-modelled stream are just
	// what a branch predictor cannot guess (branch-free coding made
	// orderk's compression 5–10 % faster).
	mask := uint64(bit&1) - 1 // all ones for a 0
	e.low += r & mask
	e.rng = r ^ ((e.rng-r)^r)&mask // rng-r for a 0, r for a 1
	for e.rng < arithBottom {
		e.shiftLow()
		e.rng <<= 8
	}
}

// scaleRange returns rng/total, with a shift for the power-of-two totals
// most models use.
func scaleRange(rng uint64, total uint32) uint64 {
	if total&(total-1) == 0 {
		return rng >> uint(bits.TrailingZeros32(total))
	}
	return rng / uint64(total)
}

// shiftLow moves the top byte of the window out, settling carries.
func (e *ArithEncoder) shiftLow() {
	if e.low < 0xFF<<(arithBits-8) || e.low >= arithTop {
		carry := byte(e.low >> arithBits)
		if e.started {
			e.out = append(e.out, e.cache+carry)
		}
		for ; e.pending > 0; e.pending-- {
			e.out = append(e.out, 0xFF+carry)
		}
		e.cache = byte(e.low >> (arithBits - 8))
		e.started = true
	} else {
		e.pending++
	}
	e.low = (e.low << 8) & arithMask
}

// Finish ends the block and appends its bytes to dst. It picks the value
// in [low, low+rng) with the most trailing zero bits, so that the fewest
// bytes identify the block, and drops the zero bytes a decoder supplies
// itself. e must be Reset before coding another block.
func (e *ArithEncoder) Finish(dst []byte) []byte {
	// Clear as many low bits as possible while staying inside the interval.
	hi := e.low + e.rng - 1
	if k := bits.Len64(e.low ^ hi); k > 0 {
		e.low = hi &^ (uint64(1)<<(k-1) - 1)
	}
	for i := 0; i < arithBits/8+1; i++ {
		e.shiftLow()
	}
	out := e.out
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	return append(dst, out...)
}

// ArithDecoder decodes what an ArithEncoder coded, given the same sequence of
// totals and probabilities. It never reads past its input and never panics:
// on corrupt input it records an error, returns harmless values, and
// reports the error from Err and Close.
type ArithDecoder struct {
	code uint64 // offset of the coded value from low, < rng
	rng  uint64
	r    uint64 // rng/total of the last DecodeFreq
	src  []byte
	pos  int // next byte of src; past the end the decoder reads the zeros Finish dropped
	err  error
}

// NewArithDecoder returns a decoder reading src.
func NewArithDecoder(src []byte) *ArithDecoder {
	d := new(ArithDecoder)
	d.Reset(src)
	return d
}

// Reset prepares d to decode src.
func (d *ArithDecoder) Reset(src []byte) {
	*d = ArithDecoder{src: src, rng: arithMask}
	for i := 0; i < arithBits/8; i++ {
		d.code = d.code<<8 | uint64(d.next())
	}
	if d.code >= d.rng {
		d.fail("initial code value out of range")
	}
}

// next returns the next input byte, or 0 past the end of the input.
func (d *ArithDecoder) next() byte {
	p := d.pos
	d.pos++
	if p < len(d.src) {
		return d.src[p]
	}
	return 0
}

func (d *ArithDecoder) fail(msg string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: arith: %s at input byte %d", ErrCorrupt, msg, d.pos)
	}
	// Keep the state valid so later calls stay harmless.
	d.code, d.rng = 0, arithMask
}

// DecodeFreq returns the target in [0, total) that selects the next symbol:
// the caller finds the symbol whose interval contains it and passes that
// interval to Consume.
func (d *ArithDecoder) DecodeFreq(total uint32) uint32 {
	d.r = scaleRange(d.rng, total)
	v := d.code / d.r
	if v >= uint64(total) {
		d.fail("code value beyond the total")
		d.r = scaleRange(d.rng, total)
		return 0
	}
	return uint32(v)
}

// Consume removes the interval [start, start+freq) of total, which must
// contain the target DecodeFreq returned.
func (d *ArithDecoder) Consume(start, freq, total uint32) {
	d.code -= d.r * uint64(start)
	d.rng = d.r * uint64(freq)
	if d.code >= d.rng {
		d.fail("interval does not contain the code value")
		return
	}
	for d.rng < arithBottom {
		d.code = d.code<<8 | uint64(d.next())
		d.rng <<= 8
	}
}

// DecodeBit returns the next bit, coded with P(bit = 1) = p1/65536.
func (d *ArithDecoder) DecodeBit(p1 uint32) int {
	r := (d.rng >> 16) * uint64(p1)
	// No branch on the bit, as in EncodeBit (a SETB, then masks): a
	// mispredicted bit stalled the decoder's whole chain of model updates
	// (branch-free decoding made orderk 12–14 % faster).
	var bit int
	if d.code < r {
		bit = 1
	}
	mask := uint64(bit) - 1 // all ones for a 0
	d.code -= r & mask
	d.rng = r ^ ((d.rng-r)^r)&mask // rng-r for a 0, r for a 1
	for d.rng < arithBottom {
		d.code = d.code<<8 | uint64(d.next())
		d.rng <<= 8
	}
	return bit
}

// Err returns the first error met so far, or nil.
func (d *ArithDecoder) Err() error { return d.err }

// Close ends decoding and reports whether the input was consistent: no
// error met, and no more input than the encoder wrote left unread.
func (d *ArithDecoder) Close() error {
	if err := d.Err(); err != nil {
		return err
	}
	// The encoder's final bytes hold at most the window; anything after the
	// window the decoder has read is input the encoder never wrote.
	if len(d.src) > d.pos {
		return fmt.Errorf("%w: arith: %d unread bytes after the coded data", ErrCorrupt, len(d.src)-d.pos)
	}
	return nil
}
