package coder

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Adaptive rANS.
//
// A model gives each step an interval [start, start+freq) of [0, total)
// (1 ≤ freq, start+freq ≤ total ≤ 1<<28) or a bit with P(1) = p1/2^16
// (1 ≤ p1 < 2^16). Every step is first mapped onto M = 2^32:
//
//	symbol: start' = ⌊start·2^32/total⌋, f' = ⌊(start+freq)·2^32/total⌋ - start'
//	bit 1:  start' = 0,        f' = p1<<16
//	bit 0:  start' = p1<<16,   f' = 2^32 - (p1<<16)
//
// (f' ≥ 1 because 2^32/total ≥ 1; a power-of-two total maps exactly.) The
// coder keeps one state x in [L, 2^64), L = 2^32, and reads 32-bit words:
//
//	block = x:u64le words:u32le*
//	step:   slot = x mod 2^32 (start' ≤ slot < start'+f' picks the symbol;
//	        for a symbol step, target = ⌊((slot+1)·total - 1)/2^32⌋ is the
//	        largest t with ⌊t·2^32/total⌋ ≤ slot, so it lies in the interval)
//	        x = f'·(x >> 32) + slot - start'
//	        if x < L: x = x<<32 | next word      (one word always suffices)
//
// The encoder starts from x = L and runs the steps in reverse, emitting the
// low word of x before a step when x ≥ f'·2^32. After the last step the
// decoder's state must be L again and every word must have been read.

// ransAL is the lower bound of an adaptive rANS state.
const ransAL = 1 << 32

// Step records of the encoder: a bit step is one word p1<<1 | bit (below
// 1<<17); a symbol step is three words start, freq, ransStepSym | total,
// so that the tag is last when the steps are read backwards.
const ransStepSym = 1 << 31

// A RANSEncoder codes a sequence of adaptive steps with rANS. rANS must code
// in reverse, so EncodeFreq and EncodeBit only record the steps (about four
// bytes per bit, twelve per symbol) and Finish codes them. The zero value is
// not usable; call NewRANSEncoder. A RANSEncoder is not safe for concurrent
// use; it can be reused after Reset, keeping its buffers.
type RANSEncoder struct {
	steps  []uint32   // the chunk being filled, capacity ransChunk
	chunks [][]uint32 // full chunks before steps, oldest first
	spare  [][]uint32 // emptied chunks kept by Reset for reuse
	words  []uint32
}

// ransChunk is the capacity in words of a chunk of recorded steps. Steps
// go to fixed-size chunks rather than one growing slice, so recording never
// copies what it already holds; a symbol's three words never straddle two
// chunks.
const ransChunk = 1 << 16

// NewRANSEncoder returns an empty encoder.
func NewRANSEncoder() *RANSEncoder { return &RANSEncoder{} }

// Reset discards the recorded steps and keeps the buffers.
func (e *RANSEncoder) Reset() {
	for _, c := range e.chunks {
		e.spare = append(e.spare, c[:0])
	}
	clear(e.chunks)
	e.chunks = e.chunks[:0]
	e.steps = e.steps[:0]
}

// grow makes room for n ≤ 3 more words in e.steps, starting a new chunk
// when the current one is too full.
func (e *RANSEncoder) grow(n int) {
	if cap(e.steps)-len(e.steps) >= n {
		return
	}
	if cap(e.steps) != 0 {
		e.chunks = append(e.chunks, e.steps)
	}
	if k := len(e.spare); k > 0 {
		e.steps = e.spare[k-1]
		e.spare[k-1] = nil
		e.spare = e.spare[:k-1]
	} else {
		e.steps = make([]uint32, 0, ransChunk)
	}
}

// EncodeFreq records a symbol with interval [start, start+freq) of total.
// It panics unless 1 ≤ freq, start+freq ≤ total and total ≤ 1<<28: such an
// interval is a bug in the model, not a property of the data.
func (e *RANSEncoder) EncodeFreq(start, freq, total uint32) {
	if freq == 0 || total > 1<<28 || start >= total || freq > total-start {
		panic(fmt.Sprintf("coder: RANSEncoder.EncodeFreq(%d, %d, %d): invalid interval", start, freq, total))
	}
	e.grow(3)
	e.steps = append(e.steps, start, freq, ransStepSym|total)
}

// EncodeBit records bit (0 or 1) with P(bit = 1) = p1/2^16. It panics
// unless 1 ≤ p1 ≤ 1<<16-1 and bit is 0 or 1.
func (e *RANSEncoder) EncodeBit(p1 uint32, bit int) {
	if p1-1 >= 1<<16-1 || uint(bit) > 1 {
		panic(fmt.Sprintf("coder: RANSEncoder.EncodeBit(%d, %d): invalid probability or bit", p1, bit))
	}
	if len(e.steps) == cap(e.steps) {
		e.grow(1)
	}
	e.steps = append(e.steps, p1<<1|uint32(bit))
}

// ransMapFreq maps the interval [start, start+freq) of total onto 2^32.
func ransMapFreq(start, freq, total uint32) (uint64, uint64) {
	if total&(total-1) == 0 {
		sh := 32 - uint(bits.TrailingZeros32(total))
		return uint64(start) << sh, uint64(freq) << sh
	}
	lo := uint64(start) << 32 / uint64(total)
	hi := uint64(start+freq) << 32 / uint64(total)
	return lo, hi - lo
}

// Finish codes the recorded steps, appends the block to dst and returns it.
// The recorded steps stay until Reset.
func (e *RANSEncoder) Finish(dst []byte) []byte {
	x := uint64(ransAL)
	words := e.words[:0]
	for c := len(e.chunks); c >= 0; c-- {
		steps := e.steps
		if c < len(e.chunks) {
			steps = e.chunks[c]
		}
		x, words = ransCodeSteps(x, words, steps)
	}
	e.words = words
	dst = binary.LittleEndian.AppendUint64(dst, x)
	for k := len(words) - 1; k >= 0; k-- {
		dst = binary.LittleEndian.AppendUint32(dst, words[k])
	}
	return dst
}

// ransCodeSteps codes the recorded steps in reverse from state x,
// appending the emitted words to words.
func ransCodeSteps(x uint64, words, steps []uint32) (uint64, []uint32) {
	for k := len(steps) - 1; k >= 0; k-- {
		v := steps[k]
		if v&ransStepSym == 0 {
			// A bit step: f' = d·2^16 with d = p1 (bit 1) or 2^16-p1
			// (bit 0), so ⌊x/f'⌋ = ⌊(x>>16)/d⌋. After renormalization
			// x < f'·2^32, so x>>16 < d·2^32 < 2^48, and for 2 ≤ d < 2^16
			// the reciprocal r = ⌈2^64/d⌉ = ⌊(2^64-1)/d⌋+1 gives the exact
			// quotient ⌊(x>>16)·r / 2^64⌋: the error (x>>16)·(r-2^64/d)/2^64
			// is below 2^-16 < 1/d. r depends only on the step, so its
			// division is off the critical path through x.
			d := uint64(v >> 1)
			zero := uint64(v&1) - 1 // all ones for bit 0, branch-free
			start := d << 16 & zero
			d ^= (d ^ (1<<16 - d)) & zero
			f := d << 16
			if x>>32 >= f {
				words = append(words, uint32(x))
				x >>= 32
			}
			q := x >> 16
			if d > 1 {
				q, _ = bits.Mul64(q, ^uint64(0)/d+1)
			}
			x = q<<32 + (x - q*f) + start
			continue
		}
		k -= 2
		start, f := ransMapFreq(steps[k], steps[k+1], v&^ransStepSym)
		if x>>32 >= f {
			words = append(words, uint32(x))
			x >>= 32
		}
		q := x / f
		x = q<<32 + (x - q*f) + start
	}
	return x, words
}

// A RANSDecoder decodes a block made by RANSEncoder, driven by the same
// model calls in forward order. It never panics and never reads outside
// its input: the first problem (truncated input, an invalid argument, a
// final state that differs from the encoder's initial one) is recorded,
// reported by Err and Close, and later calls return 0 and do nothing. Check
// Close after the last step: it also verifies the final state and that all
// input was consumed. A RANSDecoder is not safe for concurrent use.
type RANSDecoder struct {
	src []byte
	p   int
	x   uint64
	err error
}

// NewRANSDecoder returns a decoder reading src.
func NewRANSDecoder(src []byte) *RANSDecoder {
	d := &RANSDecoder{}
	d.Reset(src)
	return d
}

// Reset makes d decode src from the start, forgetting any error.
func (d *RANSDecoder) Reset(src []byte) {
	*d = RANSDecoder{src: src, p: 8}
	if len(src) < 8 {
		d.fail("truncated state")
		return
	}
	d.x = binary.LittleEndian.Uint64(src)
	if d.x < ransAL {
		d.fail("state out of range")
	}
}

// fail records the first error.
func (d *RANSDecoder) fail(msg string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: rans: %s at input offset %d", ErrCorrupt, msg, d.p)
	}
}

// DecodeFreq returns the target in [0, total) that the model turns into a
// symbol; the caller then passes the symbol's interval to Consume. total
// must be in [1, 1<<28].
func (d *RANSDecoder) DecodeFreq(total uint32) uint32 {
	if d.err != nil {
		return 0
	}
	if total-1 >= 1<<28 {
		d.fail(fmt.Sprintf("invalid total %d", total))
		return 0
	}
	slot := d.x & (1<<32 - 1)
	return uint32(((slot+1)*uint64(total) - 1) >> 32)
}

// Consume removes the symbol with interval [start, start+freq) of total,
// which must contain the target DecodeFreq returned.
func (d *RANSDecoder) Consume(start, freq, total uint32) {
	if d.err != nil {
		return
	}
	if freq == 0 || total > 1<<28 || start >= total || freq > total-start {
		d.fail(fmt.Sprintf("invalid interval (%d, %d, %d)", start, freq, total))
		return
	}
	s, f := ransMapFreq(start, freq, total)
	slot := d.x & (1<<32 - 1)
	if slot-s >= f { // also catches slot < s
		d.fail("interval does not hold the decoded target")
		return
	}
	d.step(f, slot-s)
}

// DecodeBit returns the next bit, coded with P(bit = 1) = p1/2^16, where
// 1 ≤ p1 ≤ 1<<16-1.
func (d *RANSDecoder) DecodeBit(p1 uint32) int {
	if d.err != nil {
		return 0
	}
	if p1-1 >= 1<<16-1 {
		d.fail(fmt.Sprintf("invalid probability %d", p1))
		return 0
	}
	p := uint64(p1) << 16
	slot := d.x & (1<<32 - 1)
	if slot < p {
		d.step(p, slot)
		return 1
	}
	d.step(1<<32-p, slot-p)
	return 0
}

// step advances the state past a step of mapped frequency f, with slot -
// start' = off, and renormalizes.
func (d *RANSDecoder) step(f, off uint64) {
	x := f*(d.x>>32) + off
	if x < ransAL {
		if len(d.src)-d.p < 4 {
			d.fail("input exhausted")
			return
		}
		x = x<<32 | uint64(binary.LittleEndian.Uint32(d.src[d.p:]))
		d.p += 4
	}
	d.x = x
}

// Err returns the first error met so far, or nil. It does not check the
// final state; Close does.
func (d *RANSDecoder) Err() error { return d.err }

// Close returns the first error met, or an error wrapping ErrCorrupt if
// the final state differs from the encoder's initial one or input is left
// over; call it after the last step. It does not release anything, and d
// can be Reset afterwards.
func (d *RANSDecoder) Close() error {
	if d.err != nil {
		return d.err
	}
	if d.x != ransAL {
		d.fail("final state differs from the initial one")
	} else if d.p != len(d.src) {
		d.fail(fmt.Sprintf("%d bytes left over", len(d.src)-d.p))
	}
	return d.err
}
