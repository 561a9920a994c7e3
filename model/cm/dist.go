package cm

import "math/bits"

// ByteDist sets p[b] to the probability the model gives the next byte b,
// without changing the model: the product of the 8 bit probabilities
// along b's path, each as P1 would give it after the bits before it were
// coded, up to the differences below. It must be called at a byte
// boundary (after a multiple of 8 Updates, or after Reset), and costs 255
// bit predictions and, per context, 16 hash-table lookups.
//
// Every node of b's tree selects what coding b would select there: the
// high nibble's 15 nodes use the slots the model has found for this byte;
// the low nibble's contexts, for each of the 16 high nibbles, are looked
// up without inserting them (a context not in the hash table predicts from
// a fresh slot, as it would once inserted); the match models stop
// predicting at the first bit off their expected byte; the mixer weight
// sets and APM rows are those of the node's partial byte. Coding a bit
// trains only its own node's bit histories, order-0 state, weight sets
// chosen by the partial byte or the bit position, and APM rows, which no
// later node of the byte reads; at levels 7..9 the weight set chosen by
// the previous byte is shared by all 8 bits, and ByteDist replays its
// training along each path.
//
// What ByteDist does not replay, so where p[b] differs from 2^-(the cost
// of coding b): the state maps shared by all nodes (the entry of each
// context and bit-history state, the order-0 and match state maps), which
// coding b's first bits move a little before its later bits read them;
// and rare hash-table coincidences: a low-nibble context evicting the slot
// another context of the same nibble found, a low-nibble slot that is one
// of the high nibble's (so coding changed it), two nodes of b sharing an
// entry of the hashed third APM. p remains a distribution: its sum is 1 up
// to rounding. Over text the cross-entropy of ByteDist and the model's
// code length differ by less than 0.05 % (dist_test.go).
func (m *Model) ByteDist(p *[256]float64) {
	nIn := m.nIn
	var e bitEval
	// w1[c0] is the weight set the previous byte selects, as it is at
	// node c0 of the byte's tree (the partial byte) after training along
	// the path there; two-layer mixing only.
	var w1 [256][maxIn]int32
	if m.cfg.twoLayer {
		o := m.c1Set() * nIn
		copy(w1[1][:], m.wC1[o:o+nIn])
	}
	eval := func(t []byte, slot *[nCtx]int32, nib int, c0 uint32, bitPos uint) uint32 {
		m.evalBit(&e, t, slot, nib, c0, bitPos, w1[c0][:])
		if m.cfg.twoLayer && c0 < 128 {
			x := e.x[:nIn]
			for y := range uint32(2) {
				w := &w1[c0<<1|y]
				*w = w1[c0]
				train(w[:nIn], x, mixErr(y, e.pm[2], m.lrFirstLayer()))
			}
		}
		return e.pr
	}

	if m.cfg.apm3 {
		// The hashed third APM's rows are scattered: ask for all first.
		for c0 := uint32(1); c0 < 256; c0++ {
			prefetchU32(&m.a3.t[m.a3Ctx(c0)*m.a3.row])
		}
	}

	var hi, lo [16]uint32 // P1 of the nodes of a nibble's tree
	for n := 1; n < 16; n++ {
		hi[n] = eval(m.ht.t, &m.slot, n, uint32(n), nodeDepth(n))
	}
	ph := nibbleDist(&hi)

	// The low nibbles' context hashes and buckets, prefetched together.
	var hs, bs [16][nCtx]uint32
	for h := range uint32(16) {
		for i, ch := range m.ctxHash[:m.nc] {
			hh := hash2(ch, 16|h)
			hs[h][i], bs[h][i] = hh, uint32(m.ht.bucket(hh))
			prefetch(&m.ht.t[bs[h][i]])
		}
	}
	// Each low nibble's slots, copied (or fresh) into loc.
	var loc [nCtx * slotSize]byte
	var locSlot [nCtx]int32
	for i := range locSlot {
		locSlot[i] = int32(i * slotSize)
	}
	for h := range uint32(16) {
		c0 := 16 | h
		for i := range m.nc {
			s := loc[i*slotSize : (i+1)*slotSize]
			if a := m.ht.lookup(hs[h][i], int(bs[h][i])); a >= 0 {
				copy(s, m.ht.t[a:a+slotSize])
			} else {
				clear(s)
			}
		}
		for n := 1; n < 16; n++ {
			d := nodeDepth(n)
			lo[n] = eval(loc[:], &locSlot, n, c0<<d|uint32(n)&^(1<<d), 4+d)
		}
		for l, q := range nibbleDist(&lo) {
			p[h<<4|uint32(l)] = ph[h] * q
		}
	}
}

// nodeDepth returns the number of bits before node n (1..15) of a
// nibble's tree.
func nodeDepth(n int) uint { return uint(bits.Len(uint(n)) - 1) }

// nibbleDist returns the probabilities of the 16 values of a nibble whose
// tree's node n predicts P(1) = pr[n]/2^16.
func nibbleDist(pr *[16]uint32) [16]float64 {
	var reach [32]float64 // probability of reaching node n; leaves 16..31
	reach[1] = 1
	for n := 1; n < 16; n++ {
		p1 := float64(pr[n]) / (1 << 16)
		reach[2*n] = reach[n] * (1 - p1)
		reach[2*n+1] = reach[n] * p1
	}
	return [16]float64(reach[16:])
}
