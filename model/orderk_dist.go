package model

// ByteDist sets p[b] to the probability the model gives the next byte b,
// without changing the model: the product of the 8 bit probabilities
// along b's path, each as P1 would give it after the bits before it were
// coded. It must be called at a byte boundary (after a multiple of 8
// Updates, or after Reset), and costs about 255 bit predictions.
//
// The high nibble's 15 predictions are exact: coding a bit changes only
// its own node's counters and weights, which no later bit of the nibble
// reads. For the low nibble, ByteDist replays the mixer training of the
// high nibble's 4 bits (the low nibble may use the same weight set) and
// looks its contexts up without inserting them (a context not in the hash
// table predicts from fresh counters, as it would once inserted). What it
// does not replay is rare: a low-nibble context evicting a slot another
// order of the same nibble has found in the same hash line, or a low
// nibble finding a slot the high nibble updated (a 16-bit check collision
// in the same line). There p[b] differs slightly from what coding b would
// cost; p remains a distribution (its sum is 1 up to rounding).
func (m *OrderK) ByteDist(p *[256]float64) {
	k := m.order
	// The high nibble: every node's inputs and prediction.
	var hiSt [16][MaxOrderK + 1]int32
	var hiPr [16]uint32
	for n := uint32(1); n < 16; n++ {
		hiPr[n] = m.predictNode(&m.slot, m.wn, n, &hiSt[n])
	}
	var lo [MaxOrderK + 1]*slot
	var fresh slot
	for h := range uint32(16) {
		// P(high nibble = h), and the weights its 4 bits train.
		ph := 1.0
		var path [4]uint32
		var trained [4]weightSet
		node := uint32(1)
		for i := range 4 {
			y := h >> (3 - i) & 1
			pr := hiPr[node]
			ph *= bitProb(pr, y)
			err := (int32(y<<16) - int32(pr)) * mixerRate >> 8
			w := m.wn[node]
			w[biasIn] += 256 * err >> 10
			for o := 1; o <= k; o++ {
				w[o] += hiSt[node][o] * err >> 10
			}
			path[i], trained[i] = node, w
			node = node<<1 | y
		}

		// The low nibble's contexts, as setContexts would find them.
		part := 1 + h
		lo[0] = &m.direct[part]
		lo[1] = &m.direct[o0Slots+17*uint32(m.hist&0xff)+part]
		c0, c1 := lo[0][1], lo[1][1]
		conf := confContext[0][c0&15]
		if v := confContext[1][c1&15]; v != 0 {
			conf = v
		}
		nib := uint64(part) * hashNibble
		for o := 2; o <= k; o++ {
			hh := m.ctx[o] + nib
			hh = (hh ^ hh>>29) * hashFinal
			chk := uint16(hh >> 16)
			lp := &m.lines[uint32(hh>>m.hashShift)&m.hashMask]
			s := &lp[0]
			if lp[1][0] == chk {
				s = &lp[1]
			}
			if s[0] != chk {
				s = &fresh
			}
			lo[o] = s
			if v := confContext[o][s[1]&15]; v != 0 {
				conf = v
			}
		}
		wLo := (*[16]weightSet)(m.w[int(conf)*16:])
		if &wLo[0] == &m.wn[0] {
			// Same weight set as the high nibble: use the trained weights.
			copied := *wLo
			for i, n := range path {
				copied[n] = trained[i]
			}
			wLo = &copied
		}
		var st [MaxOrderK + 1]int32
		var loPr [16]uint32
		for n := uint32(1); n < 16; n++ {
			loPr[n] = m.predictNode(&lo, wLo, n, &st)
		}
		for l := range uint32(16) {
			pl := 1.0
			node := uint32(1)
			for i := range 4 {
				y := l >> (3 - i) & 1
				pl *= bitProb(loPr[node], y)
				node = node<<1 | y
			}
			p[h<<4|l] = ph * pl
		}
	}
}

// predictNode returns P1 at node n of a nibble whose slots are slots and
// weight sets w, as Update and setContexts compute it, and the mixer
// inputs in st[1..k].
func (m *OrderK) predictNode(slots *[MaxOrderK + 1]*slot, w *[16]weightSet, n uint32, st *[MaxOrderK + 1]int32) uint32 {
	n &= slotLen - 1
	c := slots[1][n]
	if c&15 < mergeCount {
		c = slots[0][n]
	}
	x := int32(stretchRaw[c>>4])
	st[1] = x
	ws := &w[n]
	dot := int64(ws[biasIn])*256 + int64(ws[1])*int64(x)
	for o := 2; o <= m.order; o++ {
		x := int32(stretchRaw[slots[o][n]>>4])
		st[o] = x
		dot += int64(ws[o]) * int64(x)
	}
	return squash16(int32(dot >> 16))
}

// bitProb is the probability of bit y when P(1) = pr/2^16.
func bitProb(pr, y uint32) float64 {
	if y == 1 {
		return float64(pr) / (1 << ProbBits)
	}
	return float64(1<<ProbBits-pr) / (1 << ProbBits)
}
