package model

import (
	"errors"
	"fmt"

	"github.com/entzip/entzip/internal/hugepage"
	"github.com/entzip/entzip/internal/logistic"
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

// Layout of the counter tables (OrderK.direct and OrderK.lines):
//
//	slot    = 16 uint16 = 32 bytes: [0] check, [1..15] the counters of the
//	          15 bit nodes of one group of a codeword (node 1, then
//	          node = 2·node + bit); with the default code a group is a
//	          nibble (see SetCode)
//	order 0 : direct[0:32]; slot 0 codes a codeword's first group, slot
//	          1+g the second group after first group bits g
//	order 1 : direct[32:32+256·17]; slot 32+17·c1 codes the first group,
//	          32+17·c1+1+g the second (c1 = previous byte)
//	hashed  : 2^(memBits-6) lines of 2 slots (64 bytes, one cache line),
//	          shared by orders 2..k; a context group hashes to a line and
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
	o0Slots    = 32
	o1Slots    = 256 * 17
	counterXor = 0x8000
)

// Mixer constants. The mixer has k inputs and a bias: input 1 merges
// orders 0 and 1 (order 1's counter, or order 0's while order 1's has been
// updated fewer than mergeCount times), input o (2 ≤ o ≤ k) is order o.
// A weight is Q16 (65536 = 1); the mixer's logit is Σ w_i·x_i / 2^16 over
// the inputs x_i (logits in 1/256 units, and a bias input 256), and after
// coding bit y with P(1) = p (16-bit) every weight moves by
// x_i · ((2^16·y - p)·mixerRate/2^8) / 2^10.
const (
	mixerInit  = 19661 // 0.3
	mixerRate  = 6
	mergeCount = 3
	confLevels = 5 // confidence levels of the longest seen context
)

// confBucket maps a count n (1..15, the times a context group was seen) to
// one of confLevels confidence levels.
var confBucket = [16]uint8{0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4}

// confContext[o][n] is the confidence context of a group whose highest
// seen order is o, seen n times: 1 + confBucket[n] + confLevels·o, and 0
// for n = 0 (not seen). Built by init.
var confContext [MaxOrderK + 1][16]uint8

// counterNext[y][c] is stored counter c after an update with bit y, and
// stretchRaw[c>>4] is logistic.Stretch of stored counter c's probability.
// Both are built by init from the integer formulas above.
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
	for o := range confContext {
		for n := 1; n < 16; n++ {
			confContext[o][n] = 1 + confBucket[n] + uint8(confLevels*o)
		}
	}
	for i := range stretchRaw {
		stretchRaw[i] = int16(logistic.Stretch(uint32(i ^ counterXor>>4)))
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
// per order per nibble serves four bits. With SetCode the byte is coded
// as the bits of its codeword in a prefix code instead, in groups of four
// bits as nibbles are: a Huffman code of the data leaves about 4.8 bits
// and 1.6 groups per byte of English text to predict rather than 8 and 2,
// which makes the model about 1.3 times as fast, and it predicts slightly
// better (322,169 bytes against 324,445 for the four Canterbury texts at
// order 4 with a 2 MiB table). Orders 0 and 1 are indexed
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
// Blending. The logits stretch(p) of k inputs and a bias go into an online
// linear mixer in the logistic domain, P = squash(Σ w_i·stretch(p_i)),
// trained online to minimise coding cost. Orders 2..k are an input each;
// orders 0 and 1 share one: order 1's counter once it has been updated
// mergeCount times, before that order 0's (order 0 matters mostly where
// order 1 is young, as in binaries; as an input of its own it gained
// 0.3 % on text at k = 4 for one more input per bit). The mixer's weight
// set is chosen by a confidence context: the highest order whose context
// group has been seen before and how often (1, 2, 3–4, 5–8, 9+ times), or
// "none", times the bit's node in the group (15). So the model learns how
// much to trust each order when the longest known context is young or
// old — PPM's escape estimation, done by learning — which is what keeps
// high orders from hurting on binaries. There is no SSE/APM stage: an order-1 APM gained
// about 1.6 % on text but cost about as much time as one more order. Nor
// is there a prefetch of the next nibble's hash lines: touching them for
// both values of a nibble's last bit, with loads or with PREFETCHT0,
// cost more instructions than the cache misses it hid (4–6 % slower at
// memBits 21 and 22), as did mixing both children of a bit before the
// bit is known (10–20 %): on the machines measured orderk is bound by the
// instructions it executes more than by latency.
//
// Choices that depend on the coded data (which input 1 uses, the
// confidence context, which slot of a hash line matches) are made with
// masks or SETcc rather than branches, which a predictor would often
// guess wrong.
//
// All arithmetic is integer, so predictions are bit-identical on every
// GOARCH. Memory is 2^memBits bytes of hash table plus about 140 KiB of
// direct tables and mixer weights (280 KiB with the wide counters of
// revision OrderKRevWide, 560 KiB with OrderKRevLong's), and the
// package's tables shared by all models (about 1 MiB, of which the wide
// counters' steps take 0.5 MiB); on Linux the hash table is aligned to
// and advised onto huge pages (see internal/hugepage). Reset clears it in
// place and P1/Update never allocate. An OrderK is not safe for
// concurrent use.
type OrderK struct {
	direct []slot            // narrow: order 0's o0Slots slots, then order 1's o1Slots
	lines  []line            // narrow: the hash table of orders 2..k
	w32    wideState[uint32] // wide, revision OrderKRevWide
	w64    wideState[uint64] // wide, revision OrderKRevLong
	w      []weightSet       // weight sets: set conf·16 + node, see setContexts
	wn     *[16]weightSet    // the current group's sets, indexed by node

	code       *byteCode // how bytes are walked as codewords, see SetCode
	order      int
	memBits    int
	wideRev    bool   // the revision and order allow wide counters (wideCode)
	long       bool   // wide counters are uint64 (revision OrderKRevLong)
	stationary bool   // the frame is stationary, see SetStationary
	wide       bool   // wide counters (orderk_wide.go), else narrow ones
	hashShift  uint   // 64 - log2(number of hash lines)
	hashMask   uint32 // number of hash lines - 1

	slot     [MaxOrderK + 1]*slot            // narrow: each order's slot for the current group
	rate     [MaxOrderK + 1]*[1 << 16]uint32 // wide: each order's steps, see setRates
	mixFloor int32                           // wide: the floor of the mixer's rate, see setRates
	ctx      [MaxOrderK + 1]uint64           // hash of each order's byte context, without the group
	st       [MaxOrderK + 1]int32            // mixer inputs of the current bit (the bias is implicit)
	node     uint32                          // node of the current bit in its group, 1..15
	part     uint32                          // the group: 0 for a codeword's first four bits, else 1 + them
	stop     uint32                          // code.stop[part]: the nodes that end the group
	hist     uint64                          // the previous 8 bytes, the latest in the low byte
	pr       uint32                          // P(1) of the current bit, 16-bit
}

// A slot holds the check and the 15 counters of one context group, a line
// two slots (64 bytes, one cache line); see the layout above.
type (
	slot = [slotLen]uint16
	line = [2]slot
)

// A weightSet holds the mixer weights of one weight set: input 1 (orders
// 0 and 1) at index 1, input o (order o ≥ 2) at index o, the bias at
// biasIn; index 0 is unused.
type weightSet [MaxOrderK + 2]int32

const biasIn = MaxOrderK + 1

var _ BitModel = (*OrderK)(nil)

// Revisions of OrderK's estimators, as recorded by the container (see
// docs/FORMAT.md, "Model revisions").
const (
	// OrderKRevNarrow is the first revision: narrow counters (12-bit
	// probability, count to 15) at every order.
	OrderKRevNarrow = 1
	// OrderKRevWide gives a model of order k ≤ MaxWideOrder wide counters
	// (orderk_wide.go, uint32) that reach the entropy rate of stationary
	// sources, while its code has at most wideSymbols codewords (SetCode);
	// higher orders and other codes keep narrow ones.
	OrderKRevWide = 2
	// OrderKRevLong makes the wide counters uint64, counting to 65535 with
	// a 32-bit probability, and their mixer finer (orderk_wide.go), and
	// gives wide counters also to a code of more codewords in a frame
	// marked stationary (SetStationary).
	OrderKRevLong = 3
	// OrderKRev is the revision NewOrderK makes.
	OrderKRev = OrderKRevLong
)

// NewOrderK returns an order-k model (1 ≤ order ≤ MaxOrderK) whose hash
// table for orders 2..order takes 2^memBits bytes (MinOrderKMemBits ≤
// memBits ≤ MaxOrderKMemBits; DefaultOrderKMemBits is 4 MiB). The whole
// model takes about 2^memBits + 560 KiB bytes; with order 1 no hash table
// is used and memBits only needs to be in range. Encoder and decoder must
// use the same order and memBits. It is NewOrderKRev of OrderKRev.
func NewOrderK(order, memBits int) (*OrderK, error) {
	return NewOrderKRev(order, memBits, OrderKRev)
}

// NewOrderKRev is NewOrderK for revision rev of the estimators
// (OrderKRevNarrow, OrderKRevWide or OrderKRevLong), so that streams of
// an older revision still decode.
func NewOrderKRev(order, memBits, rev int) (*OrderK, error) {
	if order < 1 || order > MaxOrderK {
		return nil, fmt.Errorf("%w: order %d outside 1..%d", ErrOrderKParam, order, MaxOrderK)
	}
	if memBits < MinOrderKMemBits || memBits > MaxOrderKMemBits {
		return nil, fmt.Errorf("%w: memBits %d outside %d..%d", ErrOrderKParam, memBits, MinOrderKMemBits, MaxOrderKMemBits)
	}
	if rev < OrderKRevNarrow || rev > OrderKRevLong {
		return nil, fmt.Errorf("%w: revision %d", ErrOrderKParam, rev)
	}
	m := &OrderK{
		code:    identityCode,
		order:   order,
		memBits: memBits,
		wideRev: rev >= OrderKRevWide && order <= MaxWideOrder,
		long:    rev >= OrderKRevLong,
	}
	m.wide = m.wideCode()
	m.makeTables()
	m.w = make([]weightSet, (1+(order+1)*confLevels)*16)
	m.init() // the tables are zero: clearing them would only page them in
	return m, nil
}

// Order returns the model's order k.
func (m *OrderK) Order() int { return m.order }

// Reset returns the model to its initial state, clearing its tables in
// place.
func (m *OrderK) Reset() {
	clear(m.direct)
	clear(m.lines)
	m.w32.clear()
	m.w64.clear()
	m.init()
}

// makeTables allocates the counter tables of the current mode (m.wide),
// zeroed, and drops those of the other.
func (m *OrderK) makeTables() {
	m.direct, m.lines = nil, nil
	m.w32.drop()
	m.w64.drop()
	switch {
	case m.wide && m.long:
		m.hashShift, m.hashMask = m.w64.make(m.order, m.memBits)
	case m.wide:
		m.hashShift, m.hashMask = m.w32.make(m.order, m.memBits)
	default:
		lineBits := uint(m.memBits - 6) // 64-byte lines
		m.hashShift, m.hashMask = 64-lineBits, 1<<lineBits-1
		m.direct = make([]slot, o0Slots+o1Slots)
		if m.order >= 2 {
			m.lines = hugepage.Make[line](1 << lineBits)
		}
	}
}

// init sets the weights and the context state to their initial values,
// with the counter tables clear.
func (m *OrderK) init() {
	m.hist = 0
	m.restart()
}

// restart is init but for the byte history, which it keeps.
func (m *OrderK) restart() {
	init := int32(mixerInit) << (m.weightFrac() - 16)
	for i := range m.w {
		m.w[i] = weightSet{}
		for o := m.firstInput(); o <= m.order; o++ {
			m.w[i][o] = init
		}
	}
	m.setRates()
	m.node = 1
	m.part = 0
	m.hashBytes()
	m.setContexts()
}

// P1 returns P(next bit = 1) scaled to 1<<ProbBits, in [1, 1<<ProbBits-1].
func (m *OrderK) P1() uint32 { return m.pr }

// Update teaches the model that bit (0 or 1) occurred and prepares the
// prediction of the next bit.
func (m *OrderK) Update(bit int) {
	y := uint32(bit) & 1
	if m.wide {
		if m.long {
			update64(&m.w64, m, y)
		} else {
			m.w32.update(m, y)
		}
		return
	}
	err := (int32(y<<16) - int32(m.pr)) * mixerRate >> 8
	node := m.node & (slotLen - 1)
	next := node<<1 | y
	if m.stop>>next&1 != 0 {
		m.endGroup(y, err, next)
		return
	}
	m.node = next

	// Train the weights, update the counters of this bit, read the
	// counters of the next bit and mix them: first the merged input of
	// orders 0 and 1, then one pass over the hashed orders.
	wn := m.wn
	wOld, wNew := &wn[node], &wn[next]
	ns := &counterNext[y]
	wOld[biasIn] += 256 * err >> 10
	wOld[1] += m.st[1] * err >> 10
	s0, s1 := m.slot[0], m.slot[1]
	s0[node] = ns[s0[node]]
	s1[node] = ns[s1[node]]
	c := merged(s0[next], s1[next])
	x := int32(stretchRaw[c>>4])
	m.st[1] = x
	dot := int64(wNew[biasIn])*256 + int64(wNew[1])*int64(x)
	slots := m.slot[2 : m.order+1]
	st := m.st[2:][:len(slots)]
	wo, wn2 := wOld[2:][:len(slots)], wNew[2:][:len(slots)]
	for o, s := range slots {
		wo[o] += st[o] * err >> 10
		s[node] = ns[s[node]]
		x := int32(stretchRaw[s[next]>>4])
		st[o] = x
		dot += int64(wn2[o]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> 16))
}

// endGroup is Update for the last bit of a group, which reaches node next:
// it trains the mixer and the counters, then moves on (nextGroup).
func (m *OrderK) endGroup(y uint32, err int32, next uint32) {
	node := m.node & (slotLen - 1)
	w := &m.wn[node]
	w[biasIn] += 256 * err >> 10
	ns := &counterNext[y]
	for _, s := range m.slot[:m.order+1] {
		s[node] = ns[s[node]]
	}
	st := m.st[1 : m.order+1]
	for o, x := range st {
		w[o+1] += x * err >> 10
	}
	m.nextGroup(next)
	m.setContexts()
}

// nextGroup moves on from a group whose last bit reached node next to the
// codeword's next group or, if next ends a codeword, to the next byte;
// the caller then finds the group's contexts (setContexts).
func (m *OrderK) nextGroup(next uint32) {
	if b := m.code.leaf[m.part&31][next&31]; b != 0 {
		m.hist = m.hist<<8 | uint64(b-1)
		m.part = 0
		m.hashBytes()
	} else {
		m.part = 1 + next&15
	}
	m.node = 1
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
// group hashes as
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

// setContexts finds every order's slot for the group that starts now,
// chooses the group's weight sets and predicts its first bit.
func (m *OrderK) setContexts() {
	if m.wide {
		if m.long {
			setContexts64(&m.w64, m)
		} else {
			m.w32.setContexts(m)
		}
		return
	}
	part := m.part & 31
	m.stop = m.code.stop[part]
	s0 := &m.direct[part]
	s1 := &m.direct[o0Slots+17*uint32(m.hist&0xff)+part]
	m.slot[0], m.slot[1] = s0, s1

	// The confidence context and the inputs of node 1: orders 0 and 1
	// (merged), then each hashed order, whose slot is found or replaced.
	order := m.order
	lines, shift, mask := m.lines, m.hashShift, m.hashMask
	c0, c1 := s0[1], s1[1]
	conf := above(uint32(confContext[0][c0&15]), uint32(confContext[1][c1&15]))
	m.st[1] = int32(stretchRaw[merged(c0, c1)>>4])
	nib := uint64(part) * hashNibble
	for o := 2; o <= order; o++ {
		h := groupHash(m.ctx[o], nib)
		s := findSlot(&lines[uint32(h>>shift)&mask], uint16(h>>16), 15)
		m.slot[o] = s
		c := s[1]
		conf = above(conf, uint32(confContext[o][c&15]))
		m.st[o] = int32(stretchRaw[c>>4])
	}

	m.wn = (*[16]weightSet)(m.w[int(conf)*16:])
	w := &m.wn[1]
	dot := int64(w[biasIn]) * 256
	st := m.st[1 : order+1]
	for o, x := range st {
		dot += int64(w[o+1]) * int64(x)
	}
	m.pr = logistic.Squash(int32(dot >> 16))
}

// groupHash returns the hash of a context group from its byte context's
// hash ctx and nib = part·hashNibble (see hashBytes).
func groupHash(ctx, nib uint64) uint64 {
	h := ctx + nib
	return (h ^ h>>29) * hashFinal
}

// findSlot returns the slot of hash line lp whose check is chk, else
// replaces the slot whose first node was updated fewer times (its count:
// the bits of countMask) with a fresh one of check chk.
func findSlot[C uint16 | uint32 | uint64](lp *[2][slotLen]C, chk, countMask C) *[slotLen]C {
	var i1 uint32 // a SETE: which slot matches is no branch's guess
	if lp[1][0] == chk {
		i1 = 1
	}
	s := &lp[i1]
	if s[0] != chk {
		s = &lp[0]
		if lp[1][1]&countMask <= lp[0][1]&countMask {
			s = &lp[1]
		}
		*s = [slotLen]C{0: chk}
	}
	return s
}

// lookupSlot returns the slot of hash line lp whose check is chk, or nil.
// Slot 1 is preferred, as findSlot does.
func lookupSlot[C uint16 | uint32 | uint64](lp *[2][slotLen]C, chk C) *[slotLen]C {
	for i := 1; i >= 0; i-- {
		if lp[i][0] == chk {
			return &lp[i]
		}
	}
	return nil
}

// The helpers below select without branches: which way they go depends on
// the coded data, so a branch predictor would often guess wrong.

// merged returns the counter of input 1, order 1's counter c1 once it has
// been updated mergeCount times, else order 0's counter c0.
func merged(c0, c1 uint16) uint16 {
	young := uint32(int32(uint32(c1&15)-mergeCount) >> 31) // all ones if young
	return c1 ^ (c1^c0)&uint16(young)
}

// above returns v if it is not 0, else conf: the confidence context of the
// highest order seen so far.
func above(conf, v uint32) uint32 {
	seen := uint32(int32(-v) >> 31) // all ones if v != 0
	return conf ^ (conf^v)&seen
}
