package model

import (
	"math/bits"
	"sort"
)

// Fixed-point logistic functions shared by the mixing models.
//
// A probability lives in one of two integer scales: 12 bits (0..4095, the
// precision of a model's counters) or 16 bits (the ProbBits scale of P1). A
// logit ("stretched" probability) is ln(p/(1-p)) in units of 1/256, so the
// logit 256 means odds e:1.
//
//	squash16(x) = round(65536 / (1 + e^(-x/256))), clamped to [1, 65535],
//	              for |x| ≤ logitLimit (larger |x| is clamped first)
//	stretch12(p) = round(256 · ln((p + 1/2) / (4096 - p - 1/2))), the logit
//	              of the middle of the 12-bit probability bucket p (found by
//	              searching a 32-bit-precision squash table)
//
// Both tables are built by init with integer arithmetic only (a Taylor series
// for e^(-1/256) in Q62, repeated 128-bit multiplication and 128/64-bit
// division from math/bits), so they are identical on every GOARCH.

const (
	// logitLimit bounds the logit domain of squash16: |x| ≤ 4095 (odds of
	// about e^16:1, beyond the 16-bit probability scale).
	logitLimit = 4095
	// stretchMax is stretch12(4095), the largest logit stretch12 returns.
	// stretch12(0) is -stretchMax.
	stretchMax = 2307
)

var (
	// squashTab[x+logitLimit] is squash16(x) for x in [-logitLimit, logitLimit].
	squashTab [2*logitLimit + 1]uint16
	// stretchTab[p] is stretch12(p) for a 12-bit probability p.
	stretchTab [4096]int16
)

func init() { buildLogisticTables() }

// squash16 maps a logit x (1/256 units) to P(1) scaled to 1<<16, in
// [1, 65535].
func squash16(x int32) uint32 {
	x = min(max(x, -logitLimit), logitLimit)
	// The % changes nothing; it lets the compiler drop the bounds check.
	return uint32(squashTab[uint32(x+logitLimit)%uint32(len(squashTab))])
}

// stretch12 maps a 12-bit probability (only the low 12 bits of p are used)
// to its logit in 1/256 units, in [-stretchMax, stretchMax].
func stretch12(p uint32) int32 {
	return int32(stretchTab[p&4095])
}

// buildLogisticTables fills squashTab and stretchTab; see the formulas above.
func buildLogisticTables() {
	const one = uint64(1) << 62 // 1.0 in Q62

	// a = e^(-1/256) in Q62 = Σ (-1/256)^k / k!, summed until the terms
	// vanish.
	a := one
	term := one
	for k := uint64(1); term != 0; k++ {
		term /= 256 * k
		if k&1 == 1 {
			a -= term
		} else {
			a += term
		}
	}

	// For x = 0, 1, 2, ...: v = e^(-x/256) in Q62 and s32[x] = 2^32/(1+v)
	// rounded, the basis of both tables.
	var s32 [logitLimit + 1]uint64
	v := one
	for x := range s32 {
		den := one + v // < 2^63
		// (2^94 + den/2) / den, a 128/64-bit division.
		s32[x], _ = bits.Div64(1<<30, den>>1, den)
		hi, lo := bits.Mul64(v, a)
		v = hi<<2 | lo>>62
	}

	for x, q := range s32 {
		p := (q + 1<<15) >> 16 // 2^16/(1+v), rounded
		squashTab[logitLimit+x] = uint16(min(p, 65535))
		squashTab[logitLimit-x] = uint16(max(65536-p, 1))
	}

	// stretch12(p) for p ≥ 2048 is the x ≥ 0 whose s32[x] is nearest to
	// (p + 1/2)/4096 in Q32; stretch12(4095-p) = -stretch12(p).
	for p := 2048; p < 4096; p++ {
		target := uint64(2*p+1) << 19
		x := sort.Search(len(s32), func(i int) bool { return s32[i] >= target })
		if x > 0 && (x == len(s32) || target-s32[x-1] < s32[x]-target) {
			x--
		}
		stretchTab[p] = int16(x)
		stretchTab[4095-p] = int16(-x)
	}
}
