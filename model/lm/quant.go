package lm

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Quantization turns a row of logits into integer frequencies that sum to
// exactly 2^totalBits (TotalBits for a Model), every token getting at
// least 1. It is the part of the format that must be bit-identical on
// every machine, so it is specified here exactly.
//
// 1. Fixed-point logits. With τ the temperature (1 when absent) and
// x_i the logits as float64 (float16, bfloat16 and float32 widen exactly):
//
//	y_i = x_i / τ                          (skipped when τ = 1)
//	m   = max_i y_i                        (the first maximum is i*)
//	n_i = 2^21                             if y_i − m ≤ −32 (or y_i = −Inf)
//	n_i = −RoundToEven((y_i − m) · 2^16)   otherwise, in [0, 2^21]
//
// so n_i is the logit's distance below the row maximum in units of 2^-16
// nats, clamped at 32 nats (e^-32·2^24 ≈ 2·10^-7: such tokens get the
// minimum frequency 1 anyway). A NaN or +Inf logit, or a row of −Inf only,
// is ErrNonFinite.
//
// Why the float steps agree everywhere: they are IEEE 754 operations that
// round exactly once (conversion, division, subtraction, multiplication by
// 2^16, round-to-integer, comparison). Go evaluates float64 expressions in
// float64 on every GOARCH (SSE2 or soft float on 386, never x87) and may
// fuse only x*y+z into an FMA; the one product here, d·2^16, is exact, so
// fusing it could not change the result either. No math.Exp or math.Log is
// used: their assembly and pure-Go versions may differ in the last bit.
//
// 2. Weights, integer only. w_i = expNeg(n_i) ≈ 2^40 · e^(−n_i/2^16):
//
//	expNeg(n) = ⌊expHi[n>>11] · expLo[n&2047] / 2^86⌋
//	expHi[j]  = e^(−j/32)      in Q63 (j = 0..1024)
//	expLo[j]  = e^(−j/65536)   in Q63 (j = 0..2047)
//
// The tables are built by buildExpTables from e^(−1/32) and e^(−1/65536),
// each summed as a Taylor series in Q63 integer arithmetic, then raised to
// the j-th power by repeated rounded Q63 multiplication (math/bits.Mul64).
// expNeg(0) = 2^40 exactly; the relative error of w is below 10^-15.
//
// 3. Frequencies. With V tokens, T = 2^totalBits, S = Σ w_i (at least 2^40,
// the maximum's weight) and spare = T − V:
//
//	mult = ⌊spare · 2^64 / S⌋
//	f_i  = 1 + ⌊w_i · mult / 2^64⌋
//	f_i* += T − Σ f_i                     (the remainder, < V, to the first maximum)
//
// so f_i ≈ 1 + spare·p_i with p_i the softmax, Σ f_i = T, and f_i ≥ 1.
//
// Top-k rows list K (id, logit) pairs; the V−K other tokens all share one
// "rest" logit (see the package documentation for how it is chosen). Their
// weight is w_rest, the same for each, and everything above holds with
// S = Σ_listed w_j + (V−K)·w_rest; the remainder goes to the listed token
// of largest weight (the smallest id among equals). With the default rest
// rule (no rest_logit array) there is no rest logit at all, only a weight:
//
//	w_rest = ⌊min_listed w_j / (V−K)⌋
//
// so the unlisted tokens together weigh as much as the least likely listed
// token.
const (
	// TotalBits is log2 of a Model's total frequency: model.MaxTotal.
	TotalBits = 28
	// MaxVocab is the largest vocabulary (V) this package accepts.
	MaxVocab = 1 << 20

	fixBits    = 16 // fixed-point logits: units of 2^-16 nats
	clampNats  = 32 // logits more than 32 nats below the maximum are clamped
	maxFix     = clampNats << fixBits
	loBits     = 11 // expNeg's low table index bits
	weightBits = 40 // expNeg(0) = 2^weightBits
	maxTotBits = 31 // quantizers accept totals up to 2^31
	expShift   = 63 + 63 - weightBits
)

var (
	expHi [maxFix>>loBits + 1]uint64
	expLo [1 << loBits]uint64
)

func init() { buildExpTables() }

// buildExpTables fills expHi and expLo; see the formulas above.
func buildExpTables() {
	fill(expHi[:], expQ63(32))
	fill(expLo[:], expQ63(1<<fixBits))
}

const q63 = uint64(1) << 63

// expQ63 returns e^(−1/d) in Q63: Σ (−1/d)^k/k!, summed until the terms
// vanish (each term truncated, so the error is a few units of 2^-63).
func expQ63(d uint64) uint64 {
	a, term := q63, q63
	for k := uint64(1); term != 0; k++ {
		term /= d * k
		if k&1 == 1 {
			a -= term
		} else {
			a += term
		}
	}
	return a
}

// fill sets t[j] = a^j in Q63, rounding each product to nearest.
func fill(t []uint64, a uint64) {
	t[0] = q63
	for j := 1; j < len(t); j++ {
		hi, lo := bits.Mul64(t[j-1], a)
		// (hi:lo) / 2^63, rounded: bit 62 of lo is the half.
		v := hi<<1 | lo>>63
		if lo&(1<<62) != 0 {
			v++
		}
		t[j] = v
	}
}

// expNeg returns ⌊2^40 · e^(−n/2^16)⌋ up to the tables' rounding, for n in
// [0, maxFix].
func expNeg(n uint32) uint64 {
	hi, _ := bits.Mul64(expHi[(n>>loBits)%uint32(len(expHi))], expLo[n&(1<<loBits-1)])
	return hi >> (expShift - 64)
}

// fixedLogit returns n for a logit d = y − m ≤ 0 (step 1 above).
func fixedLogit(d float64) uint32 {
	if !(d > -clampNats) {
		return maxFix
	}
	// x = d·2^16 in (−2^21, 0] is exact; adding and subtracting 1.5·2^52
	// rounds it to an integer, to nearest even (IEEE's default rounding,
	// which Go never changes), like math.RoundToEven but without a call.
	x := float64(d * (1 << fixBits))
	r := float64(float64(x+roundMagic) - roundMagic)
	return uint32(int32(-r))
}

// roundMagic is 1.5·2^52: for |x| < 2^51, x + roundMagic has no fraction
// bits left, so the addition rounds x to an integer.
const roundMagic = 3 << 51

// finite reports whether y is neither NaN nor ±Inf.
func finite(y float64) bool { return y-y == 0 }

// rowMax returns the maximum of y and its first index, or an error for a
// NaN, a +Inf or a row without a finite value.
func rowMax(y []float64) (float64, int, error) {
	m, arg := math.Inf(-1), -1
	for i, v := range y {
		if !finite(v) {
			if v < 0 {
				continue // −Inf: an impossible token, clamped to the floor
			}
			return 0, 0, fmt.Errorf("%w: %v at column %d", ErrNonFinite, v, i)
		}
		if v > m {
			m, arg = v, i
		}
	}
	if arg < 0 {
		return 0, 0, fmt.Errorf("%w: no finite logit in the row", ErrNonFinite)
	}
	return m, arg, nil
}

// scaleDivide applies the temperature to y in place.
func scaleDivide(y []float64, temp float64) {
	if temp == 1 {
		return
	}
	for i, v := range y {
		y[i] = float64(v / temp)
	}
}

// quantizeDense sets freq[i] for the logits y (temperature applied), with
// w as scratch (len ≥ len(y)). The frequencies sum to 2^totalBits.
// Requires 1 ≤ len(y) < 2^totalBits and totalBits ≤ maxTotBits.
func quantizeDense(freq []uint32, y []float64, w []uint64, totalBits uint) error {
	m, arg, err := rowMax(y)
	if err != nil {
		return err
	}
	freq = freq[:len(y)]
	w = w[:len(y)]
	var sum uint64
	for i, v := range y {
		e := expNeg(fixedLogit(float64(v - m)))
		w[i] = e
		sum += e
	}
	total := uint64(1) << totalBits
	mult, _ := bits.Div64(total-uint64(len(y)), 0, sum)
	var used uint64
	for i, e := range w {
		hi, _ := bits.Mul64(e, mult)
		f := uint32(hi) + 1
		freq[i] = f
		used += uint64(f)
	}
	freq[arg] += uint32(total - used)
	return nil
}

// topEntry is one listed token of a top-k row.
type topEntry struct {
	id int64
	y  float64
}

// sparseRow is a quantized top-k row: the listed tokens ids (increasing)
// with frequencies f, every other token with frequency fRest. cumL[j] is
// Σ_{i<j} f[i]; the interval of listed token j starts at
//
//	start_j = (ids[j] − j)·fRest + cumL[j]
//
// (ids[j] tokens precede it, j of them listed) and an unlisted token s,
// preceded by j listed tokens, starts at (s − j)·fRest + cumL[j].
type sparseRow struct {
	ids   []int64
	f     []uint32
	cumL  []uint32
	w     []uint64
	fRest uint32

	keys   []uint64   // scratch for sorting: id<<32 | index
	bitmap []uint64   // scratch for sorting: bit id set for listed ids
	pos    []int32    // scratch for sorting: pos[id] = index of listed id
	sorted []topEntry // entries in id order
}

// sortByID copies entries to r.sorted in increasing id order, checking
// that the ids are distinct and in [0, V). When K is small against V it
// sorts the keys id<<32 | index as plain integers (O(K log K)); otherwise
// it marks the ids in a bitmap of V bits and reads them back in order
// (O(K + V/64)), clearing the bitmap as it goes.
func (r *sparseRow) sortByID(entries []topEntry, V int) error {
	for _, e := range entries {
		if e.id < 0 || e.id >= int64(V) {
			return fmt.Errorf("%w: top-k id %d outside [0, %d)", ErrValue, e.id, V)
		}
	}
	if len(entries)*16 < (V+63)/64 {
		return r.sortByKeys(entries)
	}
	return r.sortByBitmap(entries, V)
}

// sortByKeys is sortByID for ids known to be in range, by integer sort.
func (r *sparseRow) sortByKeys(entries []topEntry) error {
	r.keys = grow(r.keys, len(entries))
	for j, e := range entries {
		r.keys[j] = uint64(e.id)<<32 | uint64(j)
	}
	slices.Sort(r.keys)
	for j, key := range r.keys {
		if j > 0 && r.keys[j-1]>>32 == key>>32 {
			return fmt.Errorf("%w: top-k id %d listed twice", ErrValue, key>>32)
		}
		r.sorted[j] = entries[uint32(key)]
	}
	return nil
}

// sortByBitmap is sortByID for ids known to be in range, by bitmap.
func (r *sparseRow) sortByBitmap(entries []topEntry, V int) error {
	if words := (V + 63) / 64; len(r.bitmap) != words {
		r.bitmap = make([]uint64, words)
	}
	r.pos = grow(r.pos, V)
	bm, pos := r.bitmap, r.pos
	for j, e := range entries {
		w, bit := e.id>>6, uint64(1)<<(e.id&63)
		if bm[w]&bit != 0 {
			for _, e := range entries[:j] {
				bm[e.id>>6] = 0
			}
			return fmt.Errorf("%w: top-k id %d listed twice", ErrValue, e.id)
		}
		bm[w] |= bit
		pos[e.id] = int32(j)
	}
	j := 0
	for w, word := range bm {
		if word == 0 {
			continue
		}
		for word != 0 {
			id := w<<6 | bits.TrailingZeros64(word)
			r.sorted[j] = entries[pos[id]]
			j++
			word &= word - 1
		}
		bm[w] = 0
	}
	return nil
}

// quantize quantizes a top-k row of V tokens: entries (temperature
// applied, any order) and the rest logit yRest when hasRest.
func (r *sparseRow) quantize(entries []topEntry, yRest float64, hasRest bool, V int, totalBits uint) error {
	k := len(entries)
	r.sorted = grow(r.sorted, k)
	if err := r.sortByID(entries, V); err != nil {
		return err
	}
	entries = r.sorted
	r.ids, r.f, r.cumL, r.w = grow(r.ids, k), grow(r.f, k), grow(r.cumL, k), grow(r.w, k)
	m, arg := math.Inf(-1), -1
	for j, e := range entries {
		r.ids[j] = e.id
		if !finite(e.y) {
			if e.y < 0 {
				continue
			}
			return fmt.Errorf("%w: %v for top-k id %d", ErrNonFinite, e.y, e.id)
		}
		if e.y > m {
			m, arg = e.y, j
		}
	}
	if hasRest {
		if !finite(yRest) && yRest > 0 || yRest != yRest {
			return fmt.Errorf("%w: rest logit %v", ErrNonFinite, yRest)
		}
		if yRest > m && k < V {
			m = yRest
		}
	}
	if arg < 0 {
		return fmt.Errorf("%w: no finite top-k logit in the row", ErrNonFinite)
	}
	rest := uint64(V - k)
	var sum uint64
	wMin := uint64(math.MaxUint64)
	for j, e := range entries {
		w := expNeg(fixedLogit(float64(e.y - m)))
		r.w[j] = w
		sum += w
		wMin = min(wMin, w)
	}
	// The remainder goes to the first listed entry of largest weight (m may
	// be the rest logit, so arg is found on the weights).
	arg = 0
	for j, w := range r.w[:k] {
		if w > r.w[arg] {
			arg = j
		}
	}
	var wRest uint64
	switch {
	case rest == 0:
	case hasRest:
		wRest = expNeg(fixedLogit(float64(yRest - m)))
	default:
		wRest = wMin / rest
	}
	sum += rest * wRest
	total := uint64(1) << totalBits
	mult, _ := bits.Div64(total-uint64(V), 0, sum)
	hi, _ := bits.Mul64(wRest, mult)
	r.fRest = uint32(hi) + 1
	used := rest * uint64(r.fRest)
	for j, w := range r.w[:k] {
		hi, _ := bits.Mul64(w, mult)
		f := uint32(hi) + 1
		r.f[j] = f
		used += uint64(f)
	}
	r.f[arg] += uint32(total - used)
	var c uint32
	for j, f := range r.f[:k] {
		r.cumL[j] = c
		c += f
	}
	return nil
}

// interval returns token s's interval.
func (r *sparseRow) interval(s int64) (start, freq uint32) {
	ids := r.ids
	// j = number of listed ids below s.
	j, n := 0, len(ids)
	for j < n {
		h := int(uint(j+n) >> 1)
		if ids[h] < s {
			j = h + 1
		} else {
			n = h
		}
	}
	if j < len(ids) && ids[j] == s {
		return uint32(s-int64(j))*r.fRest + r.cumL[j], r.f[j]
	}
	var c uint32
	if j > 0 {
		c = r.cumL[j-1] + r.f[j-1]
	}
	return uint32(s-int64(j))*r.fRest + c, r.fRest
}

// find returns the token whose interval holds target.
func (r *sparseRow) find(target uint32) (s int64, start, freq uint32) {
	ids, fRest := r.ids, r.fRest
	// j = number of listed tokens starting at or below target.
	j, n := 0, len(ids)
	for j < n {
		h := int(uint(j+n) >> 1)
		if uint32(ids[h]-int64(h))*fRest+r.cumL[h] <= target {
			j = h + 1
		} else {
			n = h
		}
	}
	if j == 0 {
		s = int64(target / fRest)
		return s, uint32(s) * fRest, fRest
	}
	j--
	st := uint32(ids[j]-int64(j))*fRest + r.cumL[j]
	end := st + r.f[j]
	if target < end {
		return ids[j], st, r.f[j]
	}
	d := (target - end) / fRest
	return ids[j] + 1 + int64(d), end + d*fRest, fRest
}

// grow returns s resized to n, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// Quantize sets freq[i] to the frequency of token i under logits, with the
// rule of a Model (temperature 1): the frequencies sum to 1<<totalBits and
// are all ≥ 1. It requires len(freq) ≥ len(logits) ≥ 1,
// len(logits) < 1<<totalBits and totalBits in 1..31; it returns
// ErrNonFinite for a NaN or +Inf logit. Quantize is safe for concurrent
// use; it allocates scratch space of 16 bytes per logit.
func Quantize(freq []uint32, logits []float32, totalBits int) error {
	if totalBits < 1 || totalBits > maxTotBits || len(logits) == 0 || uint64(len(logits)) >= uint64(1)<<totalBits || len(freq) < len(logits) {
		return fmt.Errorf("%w: Quantize of %d logits into %d frequencies of total 2^%d", ErrValue, len(logits), len(freq), totalBits)
	}
	y := make([]float64, len(logits))
	for i, v := range logits {
		y[i] = float64(v)
	}
	return quantizeDense(freq, y, make([]uint64, len(y)), uint(totalBits))
}
