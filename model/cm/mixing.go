package cm

// The two mixing networks a configuration chooses from (config.twoLayer).
//
// Two layers (levels 7..9): three weight sets of the inputs, selected by
// the partial byte c0, by the match length and bit position, and by the
// previous byte, each give a logit; a final mixer, selected by c0, mixes
// those three.
//
// One layer (levels 1..6): a single weight set selected by the match
// length bucket and c0 — a third of the multiply-adds, for 1–2 % of ratio.

// mixTwoLayer returns the two-layer network's logit for inputs x; c1 is
// the previous byte.
func (m *Model) mixTwoLayer(x []int32, c1 uint32) int32 {
	nIn := int32(len(x))
	m.sel[0] = int32(m.c0) * nIn
	m.sel[1] = int32(m.mA.lenCtx()*8+int(m.bitPos)) * nIn
	m.sel[2] = int32(c1) * nIn
	d0, d1, d2 := dot3(m.wC0[m.sel[0]:], m.wMat[m.sel[1]:], m.wC1[m.sel[2]:], x)
	m.pm[0], m.pm[1], m.pm[2] = squash(d0), squash(d1), squash(d2)
	m.x2 = [finalIn]int32{d0, d1, d2, 256}
	m.selF = int32(m.c0) * finalIn
	d := dot(m.wFin[m.selF:], m.x2[:])
	m.pFin = squash(d)
	return d
}

// mixOneLayer returns the one-layer network's logit for inputs x.
func (m *Model) mixOneLayer(x []int32) int32 {
	m.sel[0] = (int32(m.mA.lenCtx())<<8 | int32(m.c0)) * int32(len(x))
	d := dot(m.wOne[m.sel[0]:], x)
	m.pFin = squash(d)
	return d
}

// updateMixers trains the mixing network with bit y.
func (m *Model) updateMixers(y uint32) {
	x := m.x[:m.nIn]
	if !m.cfg.twoLayer {
		train(m.wOne[m.sel[0]:], x, mixErr(y, m.pFin, lrFirst))
		return
	}
	train3(m.wC0[m.sel[0]:], m.wMat[m.sel[1]:], m.wC1[m.sel[2]:], x,
		mixErr(y, m.pm[0], lrFirst), mixErr(y, m.pm[1], lrFirst), mixErr(y, m.pm[2], lrFirst))
	train(m.wFin[m.selF:m.selF+finalIn], m.x2[:], mixErr(y, m.pFin, lrFinal))
}
