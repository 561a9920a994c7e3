package model

import "github.com/entzip/entzip/internal/logistic"

// ByteDist sets p[b] to the probability the model gives the next byte b,
// without changing the model: the product of the bit probabilities along
// b's codeword (its 8 bits with the default code), each as P1 would give
// it after the bits before it were coded; 0 for a byte the code leaves
// out. It must be called at a byte boundary (after a byte's last Update,
// or after Reset), and costs at most about 255 bit predictions.
//
// The first group's predictions are exact: coding a bit changes only its
// own node's counters and weights, which no later bit of the group reads.
// For a codeword's second group (bits 5..8), ByteDist replays the mixer
// training of its first 4 bits (the second group may use the same weight
// set) and looks its contexts up without inserting them (a context not in
// the hash table predicts from fresh counters, as it would once inserted).
// What it does not replay is rare: a second-group context evicting a slot
// another order of the same group has found in the same hash line, or a
// second group finding a slot the first updated (a 16-bit check collision
// in the same line). There p[b] differs slightly from what coding b would
// cost; p remains a distribution (its sum is 1 up to rounding).
func (m *OrderK) ByteDist(p *[256]float64) {
	code := m.code
	// The first group: every node's inputs and prediction.
	var hiSt [16][MaxOrderK + 1]int32
	var hiPr [16]uint32
	m.groupInputs(&hiSt)
	for n := 1; n < 16; n++ {
		hiPr[n] = m.mix(&m.wn[n], &hiSt[n])
	}
	// The second groups' predictions, made when a codeword first needs
	// group 1+h (h: its first four bits).
	var loPr [16][16]uint32
	var loDone uint16 // bit h: loPr[h] is made
	for b := range p {
		w := code.word[b]
		bits, n := uint32(w&0xff), uint32(w>>8)
		if n == 0 {
			p[b] = 0
			continue
		}
		if n <= 4 {
			p[b] = pathProb(&hiPr, bits, n)
			continue
		}
		h := bits >> (n - 4)
		if loDone>>h&1 == 0 {
			m.secondGroup(h, &hiSt, &hiPr, &loPr[h])
			loDone |= 1 << h
		}
		p[b] = pathProb(&hiPr, h, 4) * pathProb(&loPr[h], bits, n-4)
	}
}

// pathProb returns the probability of the group path of the low n bits of
// bits (first bit highest) from node 1, the node predictions being pr.
func pathProb(pr *[16]uint32, bits, n uint32) float64 {
	q := 1.0
	node := uint32(1)
	for i := n; i > 0; i-- {
		y := bits >> (i - 1) & 1
		q *= bitProb(pr[node&15], y)
		node = node<<1 | y
	}
	return q
}

// secondGroup sets pr to the predictions of the nodes of group 1+h, after
// the first group's bits h, whose inputs and predictions are hiSt and
// hiPr, were coded.
func (m *OrderK) secondGroup(h uint32, hiSt *[16][MaxOrderK + 1]int32, hiPr *[16]uint32, pr *[16]uint32) {
	// The weights the first group's 4 bits train.
	var path [4]uint32
	var trained [4]weightSet
	node := uint32(1)
	for i := range 4 {
		y := h >> (3 - i) & 1
		w := m.wn[node]
		m.train(&w, y, hiPr[node], &hiSt[node])
		path[i], trained[i] = node, w
		node = node<<1 | y
	}

	// The group's contexts, as setContexts would find them, and the
	// inputs of its nodes.
	var st [16][MaxOrderK + 1]int32
	conf := m.lookupInputs(1+h, &st)
	wLo := (*[16]weightSet)(m.w[int(conf)*16:])
	if &wLo[0] == &m.wn[0] {
		// Same weight set as the first group: use the trained weights.
		copied := *wLo
		for i, n := range path {
			copied[n] = trained[i]
		}
		wLo = &copied
	}
	for n := 1; n < 16; n++ {
		pr[n] = m.mix(&wLo[n], &st[n])
	}
}

// groupInputs sets st[n] to the mixer inputs at every node n of the
// current group.
func (m *OrderK) groupInputs(st *[16][MaxOrderK + 1]int32) {
	switch {
	case m.wide && m.long:
		m.w64.inputs(&m.w64.slot, m.order, st)
	case m.wide:
		m.w32.inputs(&m.w32.slot, m.order, st)
	default:
		narrowInputs(&m.slot, m.order, st)
	}
}

// lookupInputs is groupInputs for the group part of the byte that starts
// now, its contexts found as setContexts would find them but without
// inserting them (a context not in the hash table has fresh counters); it
// returns the group's confidence context.
func (m *OrderK) lookupInputs(part uint32, st *[16][MaxOrderK + 1]int32) uint32 {
	if m.wide && m.long {
		return m.w64.lookupInputs(m, part, st)
	}
	if m.wide {
		return m.w32.lookupInputs(m, part, st)
	}
	var slots [MaxOrderK + 1]*slot
	var fresh slot
	slots[0], slots[1] = &m.direct[part], &m.direct[o0Slots+17*uint32(m.hist&0xff)+part]
	conf := above(uint32(confContext[0][slots[0][1]&15]), uint32(confContext[1][slots[1][1]&15]))
	nib := uint64(part) * hashNibble
	for o := 2; o <= m.order; o++ {
		hh := groupHash(m.ctx[o], nib)
		s := lookupSlot(&m.lines[uint32(hh>>m.hashShift)&m.hashMask], uint16(hh>>16))
		if s == nil {
			s = &fresh
		}
		slots[o] = s
		conf = above(conf, uint32(confContext[o][s[1]&15]))
	}
	narrowInputs(&slots, m.order, st)
	return conf
}

// narrowInputs is wideState.inputs for narrow slots: input 1 merges
// orders 0 and 1, input o ≥ 2 is order o.
func narrowInputs(slots *[MaxOrderK + 1]*slot, k int, st *[16][MaxOrderK + 1]int32) {
	for n := 1; n < 16; n++ {
		st[n][1] = int32(stretchRaw[merged(slots[0][n], slots[1][n])>>4])
		for o := 2; o <= k; o++ {
			st[n][o] = int32(stretchRaw[slots[o][n]>>4])
		}
	}
}

// mix returns P1 of the weights w for the inputs st, as Update and
// setContexts compute it.
func (m *OrderK) mix(w *weightSet, st *[MaxOrderK + 1]int32) uint32 {
	switch {
	case m.wide && m.long:
		return wideMix[uint64](w, st, m.order)
	case m.wide:
		return wideMix[uint32](w, st, m.order)
	}
	dot := int64(w[biasIn]) * 256
	for o := 1; o <= m.order; o++ {
		dot += int64(w[o]) * int64(st[o])
	}
	return logistic.Squash(int32(dot >> 16))
}

// train trains the weights w on bit y predicted as pr from the inputs st,
// as Update does.
func (m *OrderK) train(w *weightSet, y, pr uint32, st *[MaxOrderK + 1]int32) {
	switch {
	case m.wide && m.long:
		wideTrain[uint64](w, y, pr, st, m.order, m.mixFloor)
		return
	case m.wide:
		wideTrain[uint32](w, y, pr, st, m.order, m.mixFloor)
		return
	}
	err := (int32(y<<16) - int32(pr)) * mixerRate >> 8
	w[biasIn] += 256 * err >> 10
	for o := 1; o <= m.order; o++ {
		w[o] += st[o] * err >> 10
	}
}

// firstInput is the index of the model's first mixer input: 0 (order 0)
// in a wide model, 1 (orders 0 and 1 merged) in a narrow one.
func (m *OrderK) firstInput() int {
	if m.wide {
		return 0
	}
	return 1
}

// weightFrac returns the fraction bits of the model's weights.
func (m *OrderK) weightFrac() uint {
	if m.wide && m.long {
		return wideFrac[uint64]()
	}
	return 16
}

// bitProb is the probability of bit y when P(1) = pr/2^16.
func bitProb(pr, y uint32) float64 {
	if y == 1 {
		return float64(pr) / (1 << ProbBits)
	}
	return float64(1<<ProbBits-pr) / (1 << ProbBits)
}
