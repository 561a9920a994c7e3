// Package logistic holds the fixed-point logistic functions of entzip's
// mixing models (model.OrderK and package model/cm): one squash table and
// one stretch table, built once for both.
//
// A probability lives in one of two integer scales: 12 bits (0..4095, the
// precision of a model's counters) or 16 bits (the scale of a predicted
// P(1)). A logit ("stretched" probability) is ln(p/(1-p)) in units of
// 1/256, so the logit 256 means odds e:1.
//
//	Squash(x)  = round(65536 / (1 + e^(-x/256))), clamped to [1, 65535],
//	             for |x| ≤ Limit (larger |x| is clamped first)
//	Stretch(p) = round(256 · ln((p + 1/2) / (4096 - p - 1/2))), the logit
//	             of the middle of the 12-bit probability bucket p: the
//	             x ≥ 0 (for p ≥ 2048) whose 2^32/(1+e^(-x/256)) is nearest
//	             to (p + 1/2)/4096 in Q32, the upper one on a tie, and
//	             Stretch(4095-p) = -Stretch(p)
//
// A model that keeps its logits in a narrower range clamps the results
// (model/cm keeps [-2047, 2047]); the tables are the same.
//
// Both tables are built by init with integer arithmetic only (a Taylor
// series for e^(-1/256) in Q62, repeated 128-bit multiplication and
// 128/64-bit division from math/bits), so they are identical on every
// GOARCH; everything they feed into a coder stays integer.
package logistic

import (
	"math/bits"
	"sort"
)

const (
	// Limit bounds the logit domain of Squash: |x| ≤ 4095 (odds of about
	// e^16:1, beyond the 16-bit probability scale).
	Limit = 4095
	// StretchMax is Stretch(4095), the largest logit Stretch returns.
	// Stretch(0) is -StretchMax.
	StretchMax = 2307
)

var (
	// squashTab[x+Limit] is Squash(x) for x in [-Limit, Limit].
	squashTab [2*Limit + 1]uint16
	// stretchTab[p] is Stretch(p) for a 12-bit probability p.
	stretchTab [4096]int16
)

func init() { buildTables() }

// Squash maps a logit x (1/256 units) to P(1) scaled to 1<<16, in
// [1, 65535]; x is clamped to [-Limit, Limit] first.
func Squash(x int32) uint32 {
	x = min(max(x, -Limit), Limit)
	// The % changes nothing; it lets the compiler drop the bounds check.
	return uint32(squashTab[uint32(x+Limit)%uint32(len(squashTab))])
}

// Stretch maps a 12-bit probability (only the low 12 bits of p are used)
// to its logit in 1/256 units, in [-StretchMax, StretchMax].
func Stretch(p uint32) int32 {
	return int32(stretchTab[p&4095])
}

// buildTables fills squashTab and stretchTab; see the formulas above.
func buildTables() {
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
	var s32 [Limit + 1]uint64
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
		squashTab[Limit+x] = uint16(min(p, 65535))
		squashTab[Limit-x] = uint16(max(65536-p, 1))
	}

	// Stretch(p) for p ≥ 2048 is the x ≥ 0 whose s32[x] is nearest to
	// (p + 1/2)/4096 in Q32; Stretch(4095-p) = -Stretch(p).
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
