package cm

import "github.com/entzip/entzip/internal/logistic"

// The two mixing networks a configuration chooses from (config.twoLayer).
//
// Two layers (levels 7..9): three weight sets of the inputs, selected by
// the partial byte c0, by the match length and bit position, and by the
// previous byte c1, each give a logit; a final mixer, selected by c0,
// mixes those three. With cfg.classSets the byte classes (mixsel.go) of
// c1 (the first), of c2 and c1 (the second) and of c2 (the third) refine
// the choices.
//
// One layer (levels 1..6): a single weight set selected by the match
// length bucket and c0 (with cfg.classSets also by the class of the last
// byte) — a third of the multiply-adds, for 1–2 % of ratio.

// mixTwoLayer returns the two-layer network's logit for inputs x, the
// partial byte c0 after bitPos bits, match length context lc, previous
// byte c1 and the weight set w1 it selects, and records its choices and
// outputs in e.
func (m *Model) mixTwoLayer(e *bitEval, x []int32, c0 uint32, bitPos uint, lc int, c1 uint32, w1 []int32) int32 {
	nIn := int32(len(x))
	k0 := int(c0)
	if m.cfg.classSets {
		k0 = k0*nClass + int(byteClass[c1])
	}
	e.sel[0] = int32(k0) * nIn
	k := lc*8 + int(bitPos)
	if m.cfg.classSets {
		k = (k*nClass+int(byteClass[m.c4>>8&255]))*nClass + int(byteClass[c1])
	}
	e.sel[1] = int32(k) * nIn
	e.sel[2] = int32(m.c1Set()) * nIn
	d0, d1, d2 := dot3(m.wC0[e.sel[0]:], m.wMat[e.sel[1]:], w1, x)
	e.pm[0], e.pm[1], e.pm[2] = squash(d0), squash(d1), squash(d2)
	e.x2 = [finalIn]int32{d0, d1, d2, 256}
	e.selF = int32(c0) * finalIn
	return m.mixOut(e, dotWide(m.wFin[e.selF:], e.x2[:]))
}

// mixOneLayer returns the one-layer network's logit for inputs x, the
// partial byte c0 and match length context lc, and records its choice and
// output in e.
func (m *Model) mixOneLayer(e *bitEval, x []int32, c0 uint32, lc int) int32 {
	k := int32(lc)<<8 | int32(c0)
	if m.cfg.classSets {
		k = k*nClass + int32(byteClass[m.c4&255])
	}
	e.sel[0] = k * int32(len(x))
	return m.mixOut(e, dotWide(m.wOne[e.sel[0]:], x))
}

// mixOut returns the network's output logit of dot product d (dotWide)
// and records its probability in e: in ±logistic.Limit with cfg.wideOut,
// so that a deterministic bit can cost 1/2^16 of a bit instead of ≥ 1/2^11
// (squash(logitMax) = 1 − 1/2^11.6), else in ±logitMax.
func (m *Model) mixOut(e *bitEval, d int32) int32 {
	if !m.cfg.wideOut {
		d = max(min(d, logitMax), -logitMax)
	}
	e.pFin = logistic.Squash(d)
	return d
}

// c1Set returns the index of the weight set in wC1 that the previous byte
// c1 (and with cfg.classSets the class of c2) selects.
func (m *Model) c1Set() int {
	k := int(m.c4 & 255)
	if m.cfg.classSets {
		k = k*nClass + int(byteClass[m.c4>>8&255])
	}
	return k
}

// updateMixers trains the mixing network with bit y.
func (m *Model) updateMixers(y uint32) {
	e := &m.ev
	x := e.x[:m.nIn]
	if !m.cfg.twoLayer {
		train(m.wOne[e.sel[0]:], x, mixErr(y, e.pFin, m.lrFirstLayer()))
		return
	}
	lr := m.lrFirstLayer()
	train3(m.wC0[e.sel[0]:], m.wMat[e.sel[1]:], m.wC1[e.sel[2]:], x,
		mixErr(y, e.pm[0], lr), mixErr(y, e.pm[1], lr), mixErr(y, e.pm[2], lr))
	train(m.wFin[e.selF:e.selF+finalIn], e.x2[:], mixErr(y, e.pFin, lrFinal))
}

// lrFirstLayer is the first layer's learning rate: lrFirst, raised by up
// to lrBoost over the first lrBoostBytes of the input and falling linearly
// to it, so that the weights settle fast on a small input (0.5-1 % smaller
// output on files of a few kB).
func (m *Model) lrFirstLayer() int32 {
	if m.pos >= lrBoostBytes {
		return lrFirst
	}
	return lrFirst + int32(lrBoost*(lrBoostBytes-m.pos)/lrBoostBytes)
}
