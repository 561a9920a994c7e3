package model

import (
	"math/bits"
	"unsafe"

	"github.com/entzip/entzip/internal/hugepage"
	"github.com/entzip/entzip/internal/logistic"
)

// OrderK's wide counters, those of a model of order k ≤ MaxWideOrder
// whose code has at most wideSymbols codewords, or (from revision
// OrderKRevLong on) whose frame the container found stationary
// (wideCode). A higher order keeps the narrow counters of orderk.go: its
// long contexts drift, and half the bytes let the hash table hold twice as
// many. So do other frames, which is what separates text and binaries,
// whose statistics drift, from the stationary sources the wide counters
// are for: on the shared corpus wide counters at every alphabet made -3
// (order 2) 1.5 % and -4 (order 3) 0.9 % larger and both about 20 %
// slower (kennedy.xls +11 %, bible.txt +3.5 %, and not for want of table
// space: twice the memory gained 0.002 % on bible.txt), while the 4
// symbols of E.coli gain 0.4 %.
//
// A wide counter of type C (wideCounter) is stored XOR wideXor, the top
// bit, so that zeroed memory is a fresh counter; after the XOR
//
//	uint32 (revision OrderKRevWide): bits 31..10 p = P(1) in 22 bits, bits 9..0 n ≤ 1023
//	uint64 (OrderKRevLong):          bits 63..32 p = P(1) in 32 bits, bits 15..0 n ≤ 65535
//
// with p = 1/2 when fresh and n the updates so far, saturating. An update
// with bit y moves p by
//
//	p += (y·(2^P − 1) − p) · r(min(n, L)) / 2^R,   r(n) = round(2^R/(n + 1.5))
//
// (P = 22, R = 16 for uint32; P = 32, R = 28 for uint64), that is by
// 1/(n + 1.5) of the way: while n < L a running average of all the bits
// seen, as a Krichevsky–Trofimov estimator keeps, then an exponential
// average over about L bits. The limit L is per order (setRates): the
// longest count where the order has few contexts, shortLimit where it has
// many, whose statistics drift on text. The uint64 layout counts to 65535
// so that a row with p = 0.999 sees some 65 rare bits before it averages
// (1023 updates see one), and its 32 bits of p still move by p/65536 at
// p = 0.001, where 22 bits would round the step to nothing.
//
// Slots and lines are those of the narrow counters with wide counters: a
// slot is the check and 15 counters, a line two slots (128 or 256 bytes).
// Every order is a mixer input of its own (order 0 at index 0), so the
// mixer can lean on order 0 where an order-1 context has too many
// parameters to learn (an i.i.d. source over 256 symbols).
const (
	// MaxWideOrder is the highest order whose model has wide counters.
	MaxWideOrder = 3
	shortLimit   = 15
	// longContexts is the most contexts an order may have for the longest
	// count: m^o ≤ longContexts for m symbols with a codeword (setRates).
	longContexts = 1 << 12
	// wideSymbols is the most symbols with a codeword a code may have for
	// wide counters whatever the frame (wideCode).
	wideSymbols = 16
)

// A wideCounter is the type of a wide counter, which fixes its layout:
// uint32 in revision OrderKRevWide, uint64 from OrderKRevLong on. The
// layout's constants below are functions of the type that the compiler
// folds in each instantiation.
type wideCounter interface{ uint32 | uint64 }

// long reports whether C is the layout of revision OrderKRevLong.
func long[C wideCounter]() bool { return unsafe.Sizeof(C(0)) == 8 }

// wideXor returns the top bit of C, which a stored counter is XORed with.
func wideXor[C wideCounter]() C { return C(1) << (8*unsafe.Sizeof(C(0)) - 1) }

// countMask returns the bits of n in a counter of type C, also n's limit.
func countMask[C wideCounter]() C {
	_, _, cm := wideLayout[C]()
	return C(cm)
}

// wideRates[l][L] holds the steps of layout l (0: uint32, 1: uint64)
// for limit L (0: shortLimit, 1: the layout's count limit): r(min(n, L))
// at index n up to the count limit. An order steps by its table (setRates),
// indexed by the count as a uint16, so that no bound is checked; entries
// beyond the count limit are never read (and, zero, take no memory).
// stretch16[p] is the logit (logistic's units) of a 16-bit probability p,
// the inverse of logistic.Squash: the least x in [-logistic.Limit,
// logistic.Limit] with Squash(x) ≥ p, or Limit. Its 16 bits resolve
// probabilities near 0 and 1 that 12 bits cannot (p = 0.999 is 4 steps
// from 1 in 12 bits, 66 in 16).
var (
	wideRates [2][2][1 << 16]uint32
	stretch16 [1 << 16]int16
)

func init() {
	for n := range 1 << 10 {
		wideRates[0][1][n] = uint32((1<<18/(2*n+3) + 1) / 2) // round(2^16/(n+1.5))
		wideRates[0][0][n] = wideRates[0][1][min(n, shortLimit)]
	}
	for n := range 1 << 16 {
		wideRates[1][1][n] = uint32((1<<30/(2*n+3) + 1) / 2) // round(2^28/(n+1.5))
		wideRates[1][0][n] = wideRates[1][1][min(n, shortLimit)]
	}
	x := int32(-logistic.Limit)
	for p := range stretch16 {
		for x < logistic.Limit && logistic.Squash(x) < uint32(p) {
			x++
		}
		stretch16[p] = int16(x)
	}
}

// wideStretch returns the logit of stored wide counter c's probability.
func wideStretch[C wideCounter](c C) int32 {
	return int32(stretch16[uint16((c^wideXor[C]())>>(8*unsafe.Sizeof(c)-16))])
}

// wideCount returns the count of stored wide counter c.
func wideCount[C wideCounter](c C) uint32 { return uint32(c & countMask[C]()) }

// wideLayout returns the layout of C's counters: p's shift ps, R and the
// count's mask cm (also its limit): 10, 16 and 2^10 − 1 for uint32; 32,
// 28 and 2^16 − 1 for uint64.
func wideLayout[C wideCounter]() (ps, rb uint, cm uint32) {
	l := uint(unsafe.Sizeof(C(0))) / 8
	return 10 + 22*l, 16 + 12*l, 1<<(10+6*l) - 1
}

// wideUpdate returns stored wide counter c after bit y, stepping by
// rate[n], in the layout (ps, rb, cm) of wideLayout, which its callers
// pass so that it stays small enough to inline; yt is y·(2^P − 1)
// (wideTarget), computed once per bit for all orders.
func wideUpdate[C wideCounter](c C, yt int64, rate *[1 << 16]uint32, ps, rb uint, cm uint32) C {
	top := ^(^C(0) >> 1) // wideXor
	v := c ^ top
	n := uint32(v) & cm
	// (n − cm)>>31 is 1 below the count's limit.
	d := (yt - int64(v>>ps)) * int64(rate[uint16(n)]) >> rb
	return (v + C(d)<<ps + C((n-cm)>>31)) ^ top
}

// wideTarget returns y·(2^P − 1), the value of p that bit y (0 or 1)
// moves a counter of type C towards (wideUpdate).
func wideTarget[C wideCounter](y uint32) int64 {
	ps, _, _ := wideLayout[C]()
	return int64(y) * int64(^C(0)>>ps)
}

// wideCode reports whether the model has wide counters with its current
// code: if its revision and order allow them and the code has at most
// wideSymbols codewords or, from revision OrderKRevLong on, the frame is
// stationary (SetStationary). Both sides know the code of a frame and its
// mark before its first byte (the container stores them), so the choice
// is made per frame; the model starts with the identity code of 256
// codewords, narrow.
func (m *OrderK) wideCode() bool {
	return m.wideRev && (m.code.symbols <= wideSymbols || m.long && m.stationary)
}

// setRates chooses each order's limit from the current code: with m bytes
// that have a codeword, order o has at most m^o contexts, and gets the
// layout's count limit if that is at most longContexts, else shortLimit;
// and the floor of the mixer's rate from the frame's mark.
func (m *OrderK) setRates() {
	m.mixFloor = mixLRFloor
	if m.long && m.stationary {
		m.mixFloor = mixLRFloorLow
	}
	rates := &wideRates[0]
	if m.long {
		rates = &wideRates[1]
	}
	syms := m.code.symbols
	contexts := 1
	for o := range m.rate {
		m.rate[o] = &rates[0]
		if contexts <= longContexts {
			m.rate[o] = &rates[1]
		}
		contexts = min(contexts*syms, longContexts+1)
	}
}

// confWide returns the confidence context of order o's stored wide
// counter c.
func confWide[C wideCounter](o int, c C) uint32 {
	return uint32(confContext[o][min(wideCount(c), 15)])
}

// A wideState holds the tables of wide counters of type C (laid out as
// OrderK.direct and OrderK.lines are) and each order's slot for the
// current group.
type wideState[C wideCounter] struct {
	direct []wslot[C]
	lines  []wline[C]
	slot   [MaxOrderK + 1]*wslot[C]
}

// A wslot holds the check and the 15 wide counters of one context group,
// a wline two of them.
type (
	wslot[C wideCounter] = [slotLen]C
	wline[C wideCounter] = [2]wslot[C]
)

// make allocates s's tables for a model of order k with a hash table of
// 2^memBits bytes, zeroed, and returns the hash table's shift and mask
// (see OrderK.hashShift).
func (s *wideState[C]) make(k, memBits int) (shift uint, mask uint32) {
	lineBits := uint(memBits - bits.TrailingZeros(uint(unsafe.Sizeof(wline[C]{}))))
	s.direct = make([]wslot[C], o0Slots+o1Slots)
	if k >= 2 {
		s.lines = hugepage.Make[wline[C]](1 << lineBits)
	}
	return 64 - lineBits, 1<<lineBits - 1
}

// drop releases s's tables.
func (s *wideState[C]) drop() { s.direct, s.lines = nil, nil }

// clear clears s's tables in place.
func (s *wideState[C]) clear() {
	clear(s.direct)
	clear(s.lines)
}

// The wide model's mixer learns at a falling rate, so that its weights
// settle on a stationary source instead of wandering around their optimum
// (a constant overhead per bit): a weight set trained n times moves by
// max(mixerLR[min(n, mixLRCount)], floor)/2^12 of the error, where
//
//	mixerLR[n] = max(mixerRate·2^4·mixLRHalf/(n + mixLRHalf), mixLRFloorLow)
//
// falls from mixerRate/2^8, the narrow model's fixed rate, to a floor
// (OrderK.mixFloor): half of it, mixLRFloor (an eighth cost 4 % on the
// corpus at -4 when text had wide counters: text drifts, and an eighth
// makes E.coli 0.1 % larger), but in a frame marked stationary from
// revision OrderKRevLong on, where it falls to an eighth, mixLRFloorLow
// (at 10^6 symbols the p = 0.999 chain then costs 0.50 % more than its
// information instead of 1.50 %, i.i.d. bits 0.06 % instead of 0.22 %). Weight steps are
// rounded (a floored step would drift the weights once the error is
// small). The count is kept in the set's index mixCount, which inputs
// 0..MaxWideOrder leave free.
//
// With uint32 counters the weights are Q16 as the narrow model's, and
// the error is (2^16·y − P)·mixerLR/2^12, which is 0 once |2^16·y − P| <
// 86: the weights stop learning where a row's rare bit has p < 0.0013,
// and the p = 0.999 rows cost 40 % more than their information. With
// uint64 counters the weights are Q22 (wideFrac) and the error keeps 8
// more bits, (target − P)·mixerLR/2^4, where target is 2^16 − 1 for y = 1
// and 1 for y = 0, the probabilities nearest to y that Squash gives: so
// the error vanishes where the output is as sure as it can be, and the
// weights of a deterministic stream stop growing there instead of
// overflowing.
const (
	mixLRHalf     = 1 << 10
	mixLRFloor    = mixerRate << 4 / 2
	mixLRFloorLow = mixerRate << 4 / 8
	mixLRCount    = 1<<14 - 1
	mixCount      = MaxOrderK
)

var mixerLR [mixLRCount + 1]int32

func init() {
	for n := range mixerLR {
		mixerLR[n] = max(int32(mixerRate<<4*mixLRHalf/(n+mixLRHalf)), mixLRFloorLow)
	}
}

// wideFrac returns the fraction bits of the weights of a wide model with
// counters of type C.
func wideFrac[C wideCounter]() uint {
	if long[C]() {
		return 22
	}
	return 16
}

// wideErr returns the mixer's training error for bit y predicted as pr
// by weight set w with the rate's floor floor, counting the training.
func wideErr[C wideCounter](w *weightSet, y, pr uint32, floor int32) int32 {
	n := w[mixCount]
	w[mixCount] = min(n+1, mixLRCount)
	lr := max(mixerLR[n&mixLRCount], floor)
	if long[C]() {
		return (int32(y*(1<<16-2)+1) - int32(pr)) * lr >> 4
	}
	return (int32(y<<16) - int32(pr)) * lr >> 12
}

// wideStep returns the rounded weight step of input x for error err
// (|x| ≤ logistic.Limit, so x·err fits 31 bits).
func wideStep[C wideCounter](x, err int32) int32 {
	if long[C]() {
		return (x*err + 1<<11) >> 12
	}
	return (x*err + 1<<9) >> 10
}

// wideMix returns P1 of the weights w for the inputs st of orders 0..k.
func wideMix[C wideCounter](w *weightSet, st *[MaxOrderK + 1]int32, k int) uint32 {
	dot := int64(w[biasIn]) * 256
	for o, x := range st[:k+1] {
		dot += int64(w[o]) * int64(x)
	}
	return logistic.Squash(int32(dot >> wideFrac[C]()))
}

// wideTrain trains the weights w on bit y predicted as pr from the
// inputs st of orders 0..k.
func wideTrain[C wideCounter](w *weightSet, y, pr uint32, st *[MaxOrderK + 1]int32, k int, floor int32) {
	err := wideErr[C](w, y, pr, floor)
	w[biasIn] += wideStep[C](256, err)
	for o, x := range st[:k+1] {
		w[o] += wideStep[C](x, err)
	}
}

// update is Update for a wide model.
func (s *wideState[C]) update(m *OrderK, y uint32) {
	node := m.node & (slotLen - 1)
	err := wideErr[C](&m.wn[node], y, m.pr, m.mixFloor)
	next := node<<1 | y
	if m.stop>>next&1 != 0 {
		s.endGroup(m, y, err, next)
		return
	}
	m.node = next

	// Train the weights, update the counters of this bit, read the
	// counters of the next bit and mix them, in one pass over the orders.
	wOld, wNew := &m.wn[node], &m.wn[next]
	wOld[biasIn] += wideStep[C](256, err)
	dot := int64(wNew[biasIn]) * 256
	slots := s.slot[:m.order+1]
	st, rate := m.st[:len(slots)], m.rate[:len(slots)]
	wo, wn := wOld[:len(slots)], wNew[:len(slots)]
	ps, rb, cm := wideLayout[C]()
	yt := wideTarget[C](y)
	for o, sl := range slots {
		wo[o] += wideStep[C](st[o], err)
		sl[node] = wideUpdate(sl[node], yt, rate[o], ps, rb, cm)
		x := wideStretch(sl[next])
		st[o] = x
		dot += int64(wn[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> wideFrac[C]()))
}

// endGroup is OrderK.endGroup for a wide model.
func (s *wideState[C]) endGroup(m *OrderK, y uint32, err int32, next uint32) {
	node := m.node & (slotLen - 1)
	w := &m.wn[node]
	w[biasIn] += wideStep[C](256, err)
	slots := s.slot[:m.order+1]
	st, rate := m.st[:len(slots)], m.rate[:len(slots)]
	ps, rb, cm := wideLayout[C]()
	yt := wideTarget[C](y)
	for o, sl := range slots {
		w[o] += wideStep[C](st[o], err)
		sl[node] = wideUpdate(sl[node], yt, rate[o], ps, rb, cm)
	}
	m.nextGroup(next)
	m.setContexts()
}

// setContexts is OrderK.setContexts for a wide model.
func (s *wideState[C]) setContexts(m *OrderK) {
	part := m.part & 31
	m.stop = m.code.stop[part]
	s0 := &s.direct[part]
	s1 := &s.direct[o0Slots+17*uint32(m.hist&0xff)+part]
	s.slot[0], s.slot[1] = s0, s1
	conf := above(confWide(0, s0[1]), confWide(1, s1[1]))
	nib := uint64(part) * hashNibble
	for o := 2; o <= m.order; o++ {
		h := groupHash(m.ctx[o], nib)
		sl := findSlot(&s.lines[uint32(h>>m.hashShift)&m.hashMask], C(uint32(h>>16)), countMask[C]())
		s.slot[o] = sl
		conf = above(conf, confWide(o, sl[1]))
	}
	m.wn = (*[16]weightSet)(m.w[int(conf)*16:])
	w := &m.wn[1]
	dot := int64(w[biasIn]) * 256
	for o, sl := range s.slot[:m.order+1] {
		x := wideStretch(sl[1])
		m.st[o] = x
		dot += int64(w[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> wideFrac[C]()))
}

// inputs sets st[n] to the mixer inputs at every node n of the group
// whose slots are slots, for a model of order k.
func (s *wideState[C]) inputs(slots *[MaxOrderK + 1]*wslot[C], k int, st *[16][MaxOrderK + 1]int32) {
	for n := 1; n < 16; n++ {
		for o, sl := range slots[:k+1] {
			st[n][o] = wideStretch(sl[n])
		}
	}
}

// lookupInputs is inputs for the group part of the byte that starts now,
// its contexts found as setContexts would find them but without inserting
// them (a context not in the hash table has fresh counters); it returns
// the group's confidence context.
func (s *wideState[C]) lookupInputs(m *OrderK, part uint32, st *[16][MaxOrderK + 1]int32) uint32 {
	var slots [MaxOrderK + 1]*wslot[C]
	var fresh wslot[C]
	slots[0], slots[1] = &s.direct[part], &s.direct[o0Slots+17*uint32(m.hist&0xff)+part]
	conf := above(confWide(0, slots[0][1]), confWide(1, slots[1][1]))
	nib := uint64(part) * hashNibble
	for o := 2; o <= m.order; o++ {
		h := groupHash(m.ctx[o], nib)
		sl := lookupSlot(&s.lines[uint32(h>>m.hashShift)&m.hashMask], C(uint32(h>>16)))
		if sl == nil {
			sl = &fresh
		}
		slots[o] = sl
		conf = above(conf, confWide(o, sl[1]))
	}
	s.inputs(&slots, m.order, st)
	return conf
}

// update64, endGroup64 and setContexts64 are update, endGroup and
// setContexts of wideState[uint64], the layout of the current revision,
// written out for that one type, a measured exception to one generic
// body: a method of the generic wideState is compiled once per shape with
// a dictionary, and its inlined helpers load and nil-check their
// sub-dictionaries inside the per-order loop, which also spills its
// registers. At 711235c on E.coli -4 (min user seconds of 9, 2-core AMD
// EPYC) the generic methods took 0.376 s to compress and 0.361 s to
// decompress, these copies 0.340 s and 0.331 s (before revision 3's
// uint64 layout: 0.337 s and 0.319 s). Revision OrderKRevWide's uint32
// layout, which only older streams use, keeps the generic methods;
// TestOrderKWideGate and the goldens pin both to the same bytes.

// update64 is update for uint64 counters. Its loop indexes the arrays
// of m and s by the order instead of slicing each (the generic update's
// five slices spill its registers inside the loop).
func update64(s *wideState[uint64], m *OrderK, y uint32) {
	node := m.node & (slotLen - 1)
	wn := m.wn
	err := wideErr[uint64](&wn[node], y, m.pr, m.mixFloor)
	next := node<<1 | y
	if m.stop>>next&1 != 0 {
		endGroup64(s, m, y, err, next)
		return
	}
	m.node = next
	wOld, wNew := &wn[node], &wn[next]
	wOld[biasIn] += wideStep[uint64](256, err)
	dot := int64(wNew[biasIn]) * 256
	ps, rb, cm := wideLayout[uint64]()
	yt := wideTarget[uint64](y)
	for o, sl := range s.slot[:m.order+1] {
		wOld[o] += wideStep[uint64](m.st[o], err)
		sl[node] = wideUpdate(sl[node], yt, m.rate[o], ps, rb, cm)
		x := wideStretch(sl[next])
		m.st[o] = x
		dot += int64(wNew[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> wideFrac[uint64]()))
}

// endGroup64 is endGroup for uint64 counters.
func endGroup64(s *wideState[uint64], m *OrderK, y uint32, err int32, next uint32) {
	node := m.node & (slotLen - 1)
	w := &m.wn[node]
	w[biasIn] += wideStep[uint64](256, err)
	slots := s.slot[:m.order+1]
	st, rate := m.st[:len(slots)], m.rate[:len(slots)]
	ps, rb, cm := wideLayout[uint64]()
	yt := wideTarget[uint64](y)
	for o, sl := range slots {
		w[o] += wideStep[uint64](st[o], err)
		sl[node] = wideUpdate(sl[node], yt, rate[o], ps, rb, cm)
	}
	m.nextGroup(next)
	setContexts64(s, m)
}

// setContexts64 is setContexts for uint64 counters.
func setContexts64(s *wideState[uint64], m *OrderK) {
	part := m.part & 31
	m.stop = m.code.stop[part]
	s0 := &s.direct[part]
	s1 := &s.direct[o0Slots+17*uint32(m.hist&0xff)+part]
	s.slot[0], s.slot[1] = s0, s1
	conf := above(confWide(0, s0[1]), confWide(1, s1[1]))
	nib := uint64(part) * hashNibble
	for o := 2; o <= m.order; o++ {
		h := groupHash(m.ctx[o], nib)
		sl := findSlot(&s.lines[uint32(h>>m.hashShift)&m.hashMask], uint64(uint32(h>>16)), countMask[uint64]())
		s.slot[o] = sl
		conf = above(conf, confWide(o, sl[1]))
	}
	m.wn = (*[16]weightSet)(m.w[int(conf)*16:])
	w := &m.wn[1]
	dot := int64(w[biasIn]) * 256
	for o, sl := range s.slot[:m.order+1] {
		x := wideStretch(sl[1])
		m.st[o] = x
		dot += int64(w[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> wideFrac[uint64]()))
}
