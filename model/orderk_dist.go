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
	for n := uint32(1); n < 16; n++ {
		hiPr[n] = m.predictNode(&m.slot, &m.wslot, m.wn, n, &hiSt[n])
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
	k := m.order
	// The weights the first group's 4 bits train.
	var path [4]uint32
	var trained [4]weightSet
	node := uint32(1)
	for i := range 4 {
		y := h >> (3 - i) & 1
		w := m.wn[node]
		if m.wide {
			err := wideErr(&w, y, hiPr[node])
			w[biasIn] += wideStep(256, err)
			for o := 0; o <= k; o++ {
				w[o] += wideStep(hiSt[node][o], err)
			}
		} else {
			err := (int32(y<<16) - int32(hiPr[node])) * mixerRate >> 8
			w[biasIn] += 256 * err >> 10
			for o := 1; o <= k; o++ {
				w[o] += hiSt[node][o] * err >> 10
			}
		}
		path[i], trained[i] = node, w
		node = node<<1 | y
	}

	// The group's contexts, as setContexts would find them.
	var lo [MaxOrderK + 1]*slot
	var wlo [MaxOrderK + 1]*wslot
	var fresh slot
	var wfresh wslot
	part := 1 + h
	d0, d1 := part, o0Slots+17*uint32(m.hist&0xff)+part
	var conf uint32
	if m.wide {
		wlo[0], wlo[1] = &m.wdirect[d0], &m.wdirect[d1]
		conf = above(confWide(0, wlo[0][1]), confWide(1, wlo[1][1]))
	} else {
		lo[0], lo[1] = &m.direct[d0], &m.direct[d1]
		conf = above(uint32(confContext[0][lo[0][1]&15]), uint32(confContext[1][lo[1][1]&15]))
	}
	nib := uint64(part) * hashNibble
	for o := 2; o <= k; o++ {
		hh := groupHash(m.ctx[o], nib)
		line := uint32(hh>>m.hashShift) & m.hashMask
		if m.wide {
			s := lookupSlot(&m.wlines[line], uint32(hh>>16))
			if s == nil {
				s = &wfresh
			}
			wlo[o] = s
			conf = above(conf, confWide(o, s[1]))
			continue
		}
		s := lookupSlot(&m.lines[line], uint16(hh>>16))
		if s == nil {
			s = &fresh
		}
		lo[o] = s
		conf = above(conf, uint32(confContext[o][s[1]&15]))
	}
	wLo := (*[16]weightSet)(m.w[int(conf)*16:])
	if &wLo[0] == &m.wn[0] {
		// Same weight set as the first group: use the trained weights.
		copied := *wLo
		for i, n := range path {
			copied[n] = trained[i]
		}
		wLo = &copied
	}
	var st [MaxOrderK + 1]int32
	for n := uint32(1); n < 16; n++ {
		pr[n] = m.predictNode(&lo, &wlo, wLo, n, &st)
	}
}

// predictNode returns P1 at node n of a group whose slots are slots
// (narrow) or wslots (wide) and weight sets w, as Update and setContexts
// compute it, and the mixer inputs in st.
func (m *OrderK) predictNode(slots *[MaxOrderK + 1]*slot, wslots *[MaxOrderK + 1]*wslot, w *[16]weightSet, n uint32, st *[MaxOrderK + 1]int32) uint32 {
	n &= slotLen - 1
	if m.wide {
		for o := 0; o <= m.order; o++ {
			st[o] = wideStretch(wslots[o][n])
		}
	} else {
		st[1] = int32(stretchRaw[merged(slots[0][n], slots[1][n])>>4])
		for o := 2; o <= m.order; o++ {
			st[o] = int32(stretchRaw[slots[o][n]>>4])
		}
	}
	ws := &w[n]
	dot := int64(ws[biasIn]) * 256
	for o := m.firstInput(); o <= m.order; o++ {
		dot += int64(ws[o]) * int64(st[o])
	}
	return logistic.Squash(int32(dot >> 16))
}

// firstInput is the index of the model's first mixer input: 0 (order 0)
// in a wide model, 1 (orders 0 and 1 merged) in a narrow one.
func (m *OrderK) firstInput() int {
	if m.wide {
		return 0
	}
	return 1
}

// bitProb is the probability of bit y when P(1) = pr/2^16.
func bitProb(pr, y uint32) float64 {
	if y == 1 {
		return float64(pr) / (1 << ProbBits)
	}
	return float64(1<<ProbBits-pr) / (1 << ProbBits)
}
