package cm

import "math/bits"

// Fixed-point logistic functions.
//
// A logit ("stretched" probability) is ln(p/(1-p)) in units of 1/256 and is
// kept in [-logitMax, logitMax] (odds of at most e^8:1 for a mixer input).
// Probabilities come in two scales: 12 bits for model inputs and 16 bits for
// the output.
//
//	squash(x)  = round(65536 / (1 + e^(-x/256))), clamped to [1, 65535],
//	             for x in [-logitMax, logitMax]
//	stretch(p) = the x in [-logitMax, logitMax] whose squash(x) is nearest
//	             to 16·p + 8 (the middle of 12-bit bucket p)
//
// The tables are computed at init by integer arithmetic alone: e^(-1/256)
// as a Q62 Taylor series, its powers by 64×64→128-bit multiplication and
// each quotient by a 128/64-bit division, so every GOARCH builds the same
// tables.

const logitMax = 2047

var (
	// squashTab[x+logitMax] = squash(x).
	squashTab [2*logitMax + 1]uint16
	// stretchTab[p] = stretch(p) for a 12-bit probability p.
	stretchTab [4096]int16
)

func init() { initLogistic() }

// squash maps a logit to a 16-bit probability in [1, 65535]; x is clamped
// to [-logitMax, logitMax] first.
func squash(x int32) uint32 {
	x = max(min(x, logitMax), -logitMax)
	return uint32(squashTab[x+logitMax])
}

// stretch maps a 12-bit probability (low 12 bits of p) to its logit.
func stretch(p uint32) int32 { return int32(stretchTab[p&4095]) }

func initLogistic() {
	const q = 62
	const one = uint64(1) << q
	// r = e^(-1/256) = Σ_k (-1/256)^k / k! in Q62.
	r, t := one, one
	for k := uint64(1); t != 0; k++ {
		t /= 256 * k
		if k%2 == 1 {
			r -= t
		} else {
			r += t
		}
	}
	// hi[x] = 2^32 / (1 + e^(-x/256)) for x = 0..logitMax, rounded.
	var hi [logitMax + 1]uint64
	v := one // e^(-x/256) in Q62
	for x := range hi {
		d := one + v // 2^62 ≤ d < 2^63
		// (2^94 + d/2) / d: numerator hi:lo = 2^30 : d/2.
		hi[x], _ = bits.Div64(1<<30, d/2, d)
		h, l := bits.Mul64(v, r)
		v = h<<(64-q) | l>>q
	}
	for x, s := range hi {
		p := (s + 1<<15) >> 16
		squashTab[logitMax+x] = uint16(min(p, 65535))
		squashTab[logitMax-x] = uint16(max(65536-p, 1))
	}
	// stretch by a monotone walk over hi: for p ≥ 2048 the target
	// (p+1/2)/4096 in Q32 is (2p+1)·2^19.
	x := 0
	for p := 2048; p < 4096; p++ {
		target := uint64(2*p+1) << 19
		for x < logitMax && hi[x+1] <= target {
			x++
		}
		n := x // the nearer of the floor x and x+1
		if x < logitMax && hi[x+1]-target < target-hi[x] {
			n++
		}
		stretchTab[p] = int16(n)
		stretchTab[4095-p] = int16(-n)
	}
}
