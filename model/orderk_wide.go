package model

import "github.com/entzip/entzip/internal/logistic"

// OrderK's wide counters, those of a model of order k ≤ MaxWideOrder
// whose code has at most wideSymbols codewords (wideCode). A higher order
// keeps the narrow counters of orderk.go: its long contexts drift, and
// half the bytes let the hash table hold twice as many. So does a larger
// alphabet, which is what separates text and binaries, whose statistics
// drift, from the stationary sources the wide counters are for: on the
// shared corpus wide counters at every alphabet made -3 (order 2) 1.5 %
// and -4 (order 3) 0.9 % larger and both about 20 % slower (kennedy.xls
// +11 %, bible.txt +3.5 %, and not for want of table space: twice the
// memory gained 0.002 % on bible.txt), while the 4 symbols of E.coli
// gain 0.4 %. A wide counter is a uint32 stored XOR wideXor, so that zeroed memory is a
// fresh counter; after the XOR
//
//	bits 31..10  p = P(1) in 22 bits (2^21 = 1/2 when fresh)
//	bits  9..0   n, the updates so far, saturating at countLimit
//
// An update with bit y moves p by
//
//	p += (y·(2^22 − 1) − p) · r(min(n, L)) / 2^16,   r(n) = round(2^17/(2n + 3))
//
// that is by 1/(n + 1.5) of the way: while n < L a running average of all
// the bits seen, as a Krichevsky–Trofimov estimator keeps, then an
// exponential average over about L bits. 22 bits hold p down to 2^-22,
// well below the smallest step. The limit L is per order (setRates):
// longLimit where the order has few contexts, shortLimit where it has
// many, whose statistics drift on text.
//
// Slots and lines are those of the narrow counters with uint32 counters: a
// slot is 64 bytes (check, 15 counters), a line 128 (two slots). Every
// order is a mixer input of its own (order 0 at index 0), so the mixer can
// lean on order 0 where an order-1 context has too many parameters to
// learn (an i.i.d. source over 256 symbols).
const (
	// MaxWideOrder is the highest order whose model has wide counters.
	MaxWideOrder = 3
	wideXor      = 1 << 31
	countBits    = 10
	countMask    = 1<<countBits - 1
	countLimit   = countMask
	longLimit    = countLimit
	shortLimit   = 15
	// longContexts is the most contexts an order may have for longLimit:
	// m^o ≤ longContexts for m symbols with a codeword (setRates).
	longContexts = 1 << 12
	// wideSymbols is the most symbols with a codeword a code may have for
	// wide counters (wideCode).
	wideSymbols = 16
)

// A wslot holds the check and the 15 wide counters of one context group,
// a wline two of them.
type (
	wslot = [slotLen]uint32
	wline = [2]wslot
)

// longRate[n] and shortRate[n] are r(min(n, L)) for L = longLimit and
// shortLimit. stretch16[p] is the logit (logistic's units) of a 16-bit
// probability p, the inverse of logistic.Squash: the least x in
// [-logistic.Limit, logistic.Limit] with Squash(x) ≥ p, or Limit. Its 16
// bits resolve probabilities near 0 and 1 that 12 bits cannot (p = 0.999
// is 4 steps from 1 in 12 bits, 66 in 16).
var (
	longRate, shortRate [countLimit + 1]uint16
	stretch16           [1 << 16]int16
)

func init() {
	for n := range longRate {
		longRate[n] = uint16((1<<18/(2*n+3) + 1) / 2)
	}
	for n := range shortRate {
		shortRate[n] = longRate[min(n, shortLimit)]
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
func wideStretch(c uint32) int32 { return int32(stretch16[(c^wideXor)>>16]) }

// wideCount returns the count of stored wide counter c.
func wideCount(c uint32) uint32 { return c & countMask }

// wideUpdate returns stored wide counter c after bit y (0 or 1), stepping
// by rate.
func wideUpdate(c, y uint32, rate *[countLimit + 1]uint16) uint32 {
	v := c ^ wideXor
	n := v & countMask
	p := int64(v >> countBits)
	d := (int64(y<<22-y) - p) * int64(rate[n]) >> 16
	inc := uint32(int32(n-countLimit)>>31) & 1 // 1 below the limit
	return (v + uint32(d)<<countBits + inc) ^ wideXor
}

// wideCode reports whether the model has wide counters with its current
// code: if its revision and order allow them and the code has at most
// wideSymbols codewords. Both sides know the code of a frame before its
// first byte (the container stores it), so the choice is made per frame;
// the model starts with the identity code of 256 codewords, narrow.
func (m *OrderK) wideCode() bool {
	return m.wideRev && m.code.symbols <= wideSymbols
}

// setRates chooses each order's limit from the current code: with m bytes
// that have a codeword, order o has at most m^o contexts, and gets
// longLimit if that is at most longContexts, else shortLimit.
func (m *OrderK) setRates() {
	syms := m.code.symbols
	contexts := 1
	for o := range m.rate {
		m.rate[o] = &shortRate
		if contexts <= longContexts {
			m.rate[o] = &longRate
		}
		contexts = min(contexts*syms, longContexts+1)
	}
}

// confWide returns the confidence context of order o's stored wide
// counter c.
func confWide(o int, c uint32) uint32 {
	return uint32(confContext[o][min(wideCount(c), 15)])
}

// The wide model's mixer learns at a falling rate, so that its weights
// settle on a stationary source instead of wandering around their optimum
// (a constant overhead per bit): a weight set trained n times moves by
// mixerLR[min(n, mixLRCount)]/2^12 of the error, where
//
//	mixerLR[n] = max(mixerRate·2^4·mixLRHalf/(n + mixLRHalf), mixLRFloor)
//
// falls from mixerRate/2^8, the narrow model's fixed rate, to half of it
// (an eighth cost 4 % on the corpus at -4: text drifts). Weight steps are rounded (a
// floored step would drift the weights once the error is small). The
// count is kept in the set's index mixCount, which inputs 0..MaxWideOrder
// leave free.
const (
	mixLRHalf  = 1 << 10
	mixLRFloor = mixerRate << 4 / 2
	mixLRCount = 1<<14 - 1
	mixCount   = MaxOrderK
)

var mixerLR [mixLRCount + 1]int32

func init() {
	for n := range mixerLR {
		mixerLR[n] = max(int32(mixerRate<<4*mixLRHalf/(n+mixLRHalf)), mixLRFloor)
	}
}

// wideErr returns the mixer's training error for bit y predicted as pr
// by weight set w, counting the training.
func wideErr(w *weightSet, y, pr uint32) int32 {
	n := w[mixCount]
	w[mixCount] = min(n+1, mixLRCount)
	return (int32(y<<16) - int32(pr)) * mixerLR[n&mixLRCount] >> 12
}

// wideStep returns the rounded weight step of input x for error err.
func wideStep(x, err int32) int32 { return (x*err + 1<<9) >> 10 }

// updateWide is Update for a wide model.
func (m *OrderK) updateWide(y uint32) {
	node := m.node & (slotLen - 1)
	err := wideErr(&m.wn[node], y, m.pr)
	next := node<<1 | y
	if m.stop>>next&1 != 0 {
		m.endGroupWide(y, err, next)
		return
	}
	m.node = next

	// Train the weights, update the counters of this bit, read the
	// counters of the next bit and mix them, in one pass over the orders.
	wOld, wNew := &m.wn[node], &m.wn[next]
	wOld[biasIn] += wideStep(256, err)
	dot := int64(wNew[biasIn]) * 256
	slots := m.wslot[:m.order+1]
	st, rate := m.st[:len(slots)], m.rate[:len(slots)]
	wo, wn := wOld[:len(slots)], wNew[:len(slots)]
	for o, s := range slots {
		wo[o] += wideStep(st[o], err)
		s[node] = wideUpdate(s[node], y, rate[o])
		x := wideStretch(s[next])
		st[o] = x
		dot += int64(wn[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> 16))
}

// endGroupWide is endGroup for a wide model.
func (m *OrderK) endGroupWide(y uint32, err int32, next uint32) {
	node := m.node & (slotLen - 1)
	w := &m.wn[node]
	w[biasIn] += wideStep(256, err)
	slots := m.wslot[:m.order+1]
	st, rate := m.st[:len(slots)], m.rate[:len(slots)]
	for o, s := range slots {
		w[o] += wideStep(st[o], err)
		s[node] = wideUpdate(s[node], y, rate[o])
	}
	m.nextGroup(next)
}

// setContextsWide is setContexts for a wide model.
func (m *OrderK) setContextsWide() {
	part := m.part & 31
	m.stop = m.code.stop[part]
	s0 := &m.wdirect[part]
	s1 := &m.wdirect[o0Slots+17*uint32(m.hist&0xff)+part]
	m.wslot[0], m.wslot[1] = s0, s1
	conf := above(confWide(0, s0[1]), confWide(1, s1[1]))
	nib := uint64(part) * hashNibble
	for o := 2; o <= m.order; o++ {
		h := groupHash(m.ctx[o], nib)
		s := findSlot(&m.wlines[uint32(h>>m.hashShift)&m.hashMask], uint32(h>>16), countMask)
		m.wslot[o] = s
		conf = above(conf, confWide(o, s[1]))
	}
	m.wn = (*[16]weightSet)(m.w[int(conf)*16:])
	w := &m.wn[1]
	dot := int64(w[biasIn]) * 256
	for o, s := range m.wslot[:m.order+1] {
		x := wideStretch(s[1])
		m.st[o] = x
		dot += int64(w[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> 16))
}
