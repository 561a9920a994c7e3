package model

import (
	"errors"
	"fmt"
)

// Limits and defaults of NewOrderK.
const (
	// MaxOrderK is the highest order NewOrderK accepts; the lowest is 1.
	MaxOrderK = 8
	// DefaultOrderK is the recommended order: the knee of the ratio/speed
	// trade-off (order 3 is about 25 % faster but no better than bzip2 on
	// English text; orders 5 and 6 gain 1–3 % more at 1.3–1.6 times the
	// time).
	DefaultOrderK = 4
	// MinOrderKMemBits and MaxOrderKMemBits bound NewOrderK's memBits.
	MinOrderKMemBits = 16
	MaxOrderKMemBits = 28
	// DefaultOrderKMemBits is the recommended memBits: a 4 MiB hash table.
	DefaultOrderKMemBits = 22
)

// ErrOrderKParam reports an order or memBits outside the range NewOrderK
// accepts. NewOrderK's errors wrap it.
var ErrOrderKParam = errors.New("model: invalid order-k parameter")

// Layout of the counter table (all of it one []uint16):
//
//	slot    = 16 uint16 = 32 bytes: [0] check, [1..15] the counters of the
//	          15 bit nodes of one nibble (node 1, then node = 2·node + bit)
//	order 0 : 32 slots; slot 0 codes the high nibble, slot 1+hi the low one
//	order 1 : 256·17 slots; slot 17·c1 codes the high nibble, 17·c1+1+hi
//	          the low one (c1 = previous byte)
//	hashed  : 2^(memBits-6) lines of 2 slots (64 bytes, one cache line),
//	          shared by orders 2..k; a context nibble hashes to a line and
//	          uses the slot whose check matches, else replaces the slot whose
//	          node 1 was updated fewer times
//
// A counter c is stored XOR 0x8000 so that zeroed memory is a fresh counter.
// After the XOR, bits 15..4 are p = P(1) in 12 bits (initially 2048) and
// bits 3..0 the number n of updates so far, saturating at 15. An update
// with bit y moves p by round((4095·y - p) · 2^15/(n+1.5) / 2^15): the first
// update goes 2/3 of the way, later ones average over about n+1.5 bits.
const (
	slotLen    = 16
	lineLen    = 2 * slotLen
	o0Slots    = 32
	o1Slots    = 256 * 17
	hashStart  = (o0Slots + o1Slots) * slotLen // a multiple of lineLen
	counterXor = 0x8000
)

// Mixer constants. A weight is Q16 (65536 = 1); the mixer's logit is
// Σ w_i·x_i / 2^16 over the inputs x_i (logits in 1/256 units, and a bias
// input 256), and after coding bit y with P(1) = p (16-bit) every weight
// moves by x_i · ((2^16·y - p)·mixerRate/2^8) / 2^10.
const (
	mixerInit  = 19661 // 0.3
	mixerRate  = 4
	confLevels = 5  // confidence levels of the longest seen context
	nodeSets   = 15 // a weight set per node of the nibble
)

// confBucket maps a count n (1..15, the times a context nibble was seen) to
// one of confLevels confidence levels.
var confBucket = [16]uint8{0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4}

// counterNext[y][c] is stored counter c after an update with bit y, and
// stretchRaw[c>>4] is stretch12 of stored counter c's probability. Both are
// built by init from the integer formulas above.
var (
	counterNext [2][1 << 16]uint16
	stretchRaw  [4096]int16
)

func init() {
	var rate [16]int32 // 2^15/(n+1.5)
	for n := range rate {
		rate[n] = int32(2 << 15 / (2*n + 3))
	}
	for c := range 1 << 16 {
		v := uint32(c) ^ counterXor
		n := v & 15
		n1 := min(n+1, 15)
		for y := range 2 {
			p := int32(v >> 4)
			p += ((int32(y)*4095-p)*rate[n] + 1<<14) >> 15
			counterNext[y][c] = uint16(uint32(p)<<4|n1) ^ counterXor
		}
	}
	for i := range stretchRaw {
		stretchRaw[i] = stretchTab[i^counterXor>>4]
	}
}

// OrderK is an adaptive order-k context model of a byte stream, predicting
// each byte bitwise (a BitModel). It blends the predictions of all orders
// from k down to 0, in the spirit of PPM, so it adapts to text as well as to
// binaries.
//
// Contexts. Order o (0 ≤ o ≤ k) predicts from the previous o bytes and the
// bits of the current byte seen so far. The byte is coded as two nibbles;
// each (order, context, high nibble if any) owns a 32-byte slot of 15
// counters, one per node of the nibble's binary tree, so one table lookup
// per order per nibble serves four bits. Orders 0 and 1 are indexed
// directly; orders 2..k share one hash table of 2^memBits bytes organised
// as 64-byte lines (one cache line) of two slots, each with a 16-bit check
// that detects collisions; on a miss the slot seen fewer times is replaced.
//
// Counters. Each counter holds P(1) in 12 bits and a count n (0..15) of its
// updates; it moves towards the coded bit by 1/(n+1.5), so a young context
// learns fast and an old one averages. An unseen context predicts 1/2,
// whose logit is 0: it contributes nothing, like a PPM escape to the next
// lower order.
//
// Blending. The logits stretch(p) of the k+1 orders and a bias go into an
// online linear mixer in the logistic domain, P = squash(Σ w_i·stretch(p_i)),
// trained online to minimise coding cost. The mixer's weight set is chosen
// by a confidence context: the highest order whose context nibble has been
// seen before and how often (1, 2, 3–4, 5–8, 9+ times), or "none", times
// the bit's node in the nibble (15). So the model learns how much to trust
// each order when the longest known context is young or old — PPM's escape
// estimation, done by learning — which is what keeps high orders from
// hurting on binaries. There is no SSE/APM stage: an order-1 APM gained
// about 1.6 % on text but cost about as much time as one more order.
//
// All arithmetic is integer, so predictions are bit-identical on every
// GOARCH. Memory is 2^memBits bytes of hash table plus about 140 KiB of
// direct tables and mixer weights; Reset clears it in place and P1/Update
// never allocate. An OrderK is not safe for concurrent use.
type OrderK struct {
	t     []uint16 // counter table, see the layout above
	w     []int32  // mixer weight sets of nIn weights, Q16
	wi    int      // start of the current bit's weight set in w
	wbase int      // start of the current nibble's weight sets in w

	order     int
	nIn       int    // mixer inputs: order+1 logits and a bias
	hashShift uint   // 64 - log2(number of lines)
	hashLines uint32 // number of lines - 1 (a mask)

	slot  [MaxOrderK + 1]*[slotLen]uint16 // each order's slot for the current nibble
	ctx   [MaxOrderK + 1]uint64           // hash of each order's byte context, without the nibble
	st    [MaxOrderK + 1]int32            // mixer inputs of the current bit (the bias is implicit)
	c0    uint32                          // 1, then the bits of the current byte seen so far
	node  uint32                          // node of the current bit in its nibble, 1..15
	hist  uint64                          // the previous 8 bytes, the latest in the low byte
	pr    uint32                          // P(1) of the current bit, 16-bit
	touch uint16                          // keeps setContexts' early loads alive
}

var _ BitModel = (*OrderK)(nil)

// NewOrderK returns an order-k model (1 ≤ order ≤ MaxOrderK) whose hash
// table for orders 2..order takes 2^memBits bytes (MinOrderKMemBits ≤
// memBits ≤ MaxOrderKMemBits; DefaultOrderKMemBits is 4 MiB). The whole
// model takes about 2^memBits + 140 KiB bytes; with order 1 no hash table
// is used and memBits only needs to be in range. Encoder and decoder must
// use the same order and memBits.
func NewOrderK(order, memBits int) (*OrderK, error) {
	if order < 1 || order > MaxOrderK {
		return nil, fmt.Errorf("%w: order %d outside 1..%d", ErrOrderKParam, order, MaxOrderK)
	}
	if memBits < MinOrderKMemBits || memBits > MaxOrderKMemBits {
		return nil, fmt.Errorf("%w: memBits %d outside %d..%d", ErrOrderKParam, memBits, MinOrderKMemBits, MaxOrderKMemBits)
	}
	lineBits := uint(memBits - 6) // 64-byte lines
	n := hashStart
	if order >= 2 {
		n += lineLen << lineBits
	}
	m := &OrderK{
		t:         make([]uint16, n),
		order:     order,
		nIn:       order + 2,
		hashShift: 64 - lineBits,
		hashLines: 1<<lineBits - 1,
	}
	m.w = make([]int32, (1+(order+1)*confLevels)*nodeSets*m.nIn)
	m.Reset()
	return m, nil
}

// Order returns the model's order k.
func (m *OrderK) Order() int { return m.order }

// Reset returns the model to its initial state, clearing its tables in
// place.
func (m *OrderK) Reset() {
	clear(m.t)
	for i := range m.w {
		m.w[i] = mixerInit
		if i%m.nIn == m.nIn-1 {
			m.w[i] = 0 // the bias
		}
	}
	m.c0 = 1
	m.node = 1
	m.hist = 0
	m.hashBytes()
	m.setContexts(0)
}

// P1 returns P(next bit = 1) scaled to 1<<ProbBits, in [1, 1<<ProbBits-1].
func (m *OrderK) P1() uint32 { return m.pr }

// Update teaches the model that bit (0 or 1) occurred and prepares the
// prediction of the next bit.
func (m *OrderK) Update(bit int) {
	y := uint32(bit) & 1
	err := (int32(y<<16) - int32(m.pr)) * mixerRate >> 8
	node := m.node
	next := node<<1 | y
	if next >= 16 {
		m.endNibble(y, err)
		return
	}
	m.c0 = m.c0<<1 | y
	m.node = next

	// One pass over the orders: train the weight, update the counter of
	// this bit, read the counter of the next bit and mix it. The bias
	// (input 256) is the last weight of a set.
	n := m.order + 1
	wOld := m.w[m.wi:][:n+1]
	wi := m.wbase + int(next-1)*(n+1)
	m.wi = wi
	wNew := m.w[wi:][:n+1]
	wOld[n] += 256 * err >> 10
	dot := int64(wNew[n]) * 256
	slots := m.slot[:n]
	st := m.st[:len(slots)]
	wOld = wOld[:len(slots)]
	wNew = wNew[:len(slots)]
	ns := &counterNext[y]
	node &= slotLen - 1
	next &= slotLen - 1
	for o, s := range slots {
		wOld[o] += st[o] * err >> 10
		s[node] = ns[s[node]]
		x := int32(stretchRaw[s[next]>>4])
		st[o] = x
		dot += int64(wNew[o]) * int64(x)
	}
	m.pr = squash16(int32(dot >> 16))
}

// endNibble is Update for the last bit of a nibble: it trains the mixer and
// the counters, then moves on to the next nibble.
func (m *OrderK) endNibble(y uint32, err int32) {
	n := m.order + 1
	w := m.w[m.wi:][:n+1]
	w[n] += 256 * err >> 10
	slots := m.slot[:n]
	st := m.st[:len(slots)]
	w = w[:len(slots)]
	ns := &counterNext[y]
	node := m.node & (slotLen - 1)
	for o, s := range slots {
		w[o] += st[o] * err >> 10
		s[node] = ns[s[node]]
	}
	c0 := m.c0<<1 | y
	part := uint32(0) // 0 for the high nibble, 1+hi for the low one
	if c0 >= 256 {
		m.hist = m.hist<<8 | uint64(c0&255)
		c0 = 1
		m.hashBytes()
	} else {
		part = c0 - 15
	}
	m.c0 = c0
	m.node = 1
	m.setContexts(part)
}

// Hash multipliers for orders 2..8 (odd constants from the digits of π and
// e) and the finaliser's.
var ctxMul = [MaxOrderK + 1]uint64{
	0, 0,
	0x243f6a8885a308d3, 0x13198a2e03707345, 0xa4093822299f31d1, 0x082efa98ec4e6c89,
	0x452821e638d01377, 0xbe5466cf34e90c6d, 0xc0ac29b7c97c50dd,
}

// ctxMask[o] selects the previous o bytes of OrderK.hist.
var ctxMask = [MaxOrderK + 1]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff,
	0xff_ffffffff, 0xffff_ffffffff, 0xffffff_ffffffff, 0xffffffff_ffffffff}

const (
	hashNibble = 0x9e3779b97f4a7c15
	hashFinal  = 0xb7e151628aed2a6b
)

// hashBytes computes ctx for the byte that starts now: order o's context
// nibble hashes as
//
//	h = (hist & ctxMask[o])·ctxMul[o] + part·hashNibble, h = (h ^ h>>29)·hashFinal
//
// with the check uint16(h>>16) and the line h>>hashShift; ctx[o] is the
// first product.
func (m *OrderK) hashBytes() {
	for o := 2; o <= m.order; o++ {
		m.ctx[o] = (m.hist & ctxMask[o]) * ctxMul[o]
	}
}

// setContexts finds every order's slot for the nibble that starts now
// (part is 0 for the high nibble, 1+hi for the low one), chooses the
// nibble's weight sets and predicts its first bit.
func (m *OrderK) setContexts(part uint32) {
	t := m.t
	m.slot[0] = (*[slotLen]uint16)(t[part*slotLen:])
	c1 := uint32(m.hist & 0xff)
	m.slot[1] = (*[slotLen]uint16)(t[(o0Slots+17*c1+part)*slotLen:])
	// First compute every hashed order's line and touch it, with no
	// data-dependent branch, so that their cache misses overlap; then
	// find or replace the slots.
	order := m.order
	shift, lines := m.hashShift, m.hashLines
	var chks [MaxOrderK + 1]uint16
	var bases [MaxOrderK + 1]uint32
	var touch uint16
	nib := uint64(part) * hashNibble
	for o := 2; o <= order; o++ {
		h := m.ctx[o] + nib
		h = (h ^ h>>29) * hashFinal
		chks[o] = uint16(h >> 16)
		base := hashStart + uint32(h>>shift)&lines*lineLen
		bases[o] = base
		touch |= t[base]
	}
	m.touch = touch
	for o := 2; o <= order; o++ {
		line := (*[lineLen]uint16)(t[bases[o]:])
		chk := chks[o]
		a := (*[slotLen]uint16)(line[:slotLen])
		b := (*[slotLen]uint16)(line[slotLen:])
		s := a
		if b[0] == chk {
			s = b
		}
		if s[0] != chk {
			// Replace the slot whose first node was updated fewer times.
			s = a
			if b[1]&15 <= a[1]&15 {
				s = b
			}
			*s = [slotLen]uint16{0: chk}
		}
		m.slot[o] = s
	}

	// The confidence context, the inputs of node 1 and its prediction.
	n := order + 1
	slots := m.slot[:n]
	st := m.st[:len(slots)]
	conf := 0 // 0: no context seen; else 1 + level + levels·(highest seen order)
	for o, s := range slots {
		c := s[1]
		if k := c & 15; k != 0 {
			conf = 1 + int(confBucket[k]) + confLevels*o
		}
		st[o] = int32(stretchRaw[c>>4])
	}
	m.wbase = conf * nodeSets * (n + 1)
	m.wi = m.wbase
	w := m.w[m.wi:][:n+1]
	dot := int64(w[n]) * 256
	w = w[:len(st)]
	for o, x := range st {
		dot += int64(w[o]) * int64(x)
	}
	m.pr = squash16(int32(dot >> 16))
}
