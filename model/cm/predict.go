package cm

// A bitEval is the prediction of one bit and what training the model with
// that bit needs: every stage's inputs and choices.
type bitEval struct {
	smi      [nCtx]int32  // state-map index of each hashed context
	x        [maxIn]int32 // mixer inputs
	sel      [nMix]int32  // selected weight-set offsets (wOne: sel[0])
	pm       [nMix]uint32 // first-layer outputs, 16 bits
	x2       [finalIn]int32
	selF     int32
	pFin     uint32              // mixer output, 16 bits
	matchSmi [2]int              // state-map indexes of the match models (0: none)
	dci      [directOrders]int32 // entries of the direct counters
	apmIdx   [3]int              // the APM entries refine chose
	pr       uint32              // P(1), 16 bits, in [1, 65535]
}

// evalBit predicts a bit from the model's current tables without changing
// the model, and records the prediction and its inputs in e. The bit is at
// node nib of its nibble's bit tree, whose contexts' slots are at the
// offsets slot in t; c0 is the partial byte and bitPos the number of its
// bits seen. At levels 7..9, w1 is the weight set the previous byte
// selects (in wC1, or a copy). predict evaluates the next bit with the
// model's own slots; ByteDist evaluates every node of a byte.
func (m *Model) evalBit(e *bitEval, t []byte, slot *[nCtx]int32, nib int, c0 uint32, bitPos uint, w1 []int32) {
	nc := m.nc
	for i := range nc {
		s := t[int(slot[i])+nib]
		j := int32(i)<<8 | int32(s)
		e.smi[i] = j
		e.x[i] = stretch(smP12(m.sm[j&(smSize-1)]))
	}
	if m.cfg.lin {
		m.secondInputs(e.x[:], &e.smi, nc)
		nc *= 2
	}
	e.x[nc+inO0] = stretch(smP12(m.sm0[m.o0[c0&255]]))
	e.x[nc+inMatch], e.matchSmi[0] = m.mA.input(c0, bitPos)
	e.x[nc+inBias] = 256
	if m.cfg.longMatch {
		e.x[nc+inMatchB], e.matchSmi[1] = m.mB.input(c0, bitPos)
	}
	if m.cfg.direct {
		m.dm.inputs(e.x[m.dOff:], &e.dci, nibbleKey(c0, bitPos), nib)
	}

	x := e.x[:m.nIn]
	c1 := m.c4 & 255
	lc := lenCtx(e.matchSmi[0])
	var d int32
	if m.cfg.twoLayer {
		d = m.mixTwoLayer(e, x, c0, bitPos, lc, c1, w1)
	} else {
		d = m.mixOneLayer(e, x, c0, lc)
	}

	p2, i2 := m.a2.refine(d, int(c0|c1<<8))
	e.apmIdx[1] = i2
	var pr uint32
	switch {
	case m.cfg.apm3:
		p1, i1 := m.a1.refine(d, int(c0))
		p3, i3 := m.a3.refine(d, m.a3Ctx(c0))
		e.apmIdx[0], e.apmIdx[2] = i1, i3
		pr = (e.pFin + p1 + 3*p2 + 3*p3 + 4) >> 3
	case m.cfg.apm1:
		p1, i1 := m.a1.refine(d, int(c0))
		e.apmIdx[0] = i1
		pr = (e.pFin + p1 + 2*p2 + 2) >> 2
	default:
		pr = (e.pFin + 3*p2 + 2) >> 2
	}
	e.pr = max(min(pr, 65535), 1)
}

// a3Ctx returns the third APM's context of partial byte c0: a 16-bit hash
// of c0 and the last two bytes.
func (m *Model) a3Ctx(c0 uint32) int { return int(hash2(m.c4&0xffff, c0) >> 16) }
