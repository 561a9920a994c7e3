package cm

// A state map turns a context (usually a bit-history state) into an
// adaptive probability. Entry e of t packs
//
//	e = p<<10 | n      p = P(1) in 22 bits, n = updates so far (≤ limit)
//
// and an update with bit y moves p by (y·(2^22-1) − p) · 2/(2n+3), so a
// young entry learns fast and an old one averages over about n/2 updates of
// its context. smRecip[n] = round(2^16 · 2/(2n+3)).

const smLimit = 1023

var smRecip [smLimit + 1]int64

func init() {
	for n := range smRecip {
		smRecip[n] = (1<<17 + int64(2*n+3)/2) / int64(2*n+3)
	}
}

// smInit is a fresh entry with probability p (12 bits) and count 0.
func smInit(p12 uint32) uint32 { return p12 << 20 }

// smP12 returns the 12-bit probability of entry e.
func smP12(e uint32) uint32 { return e >> 20 }

// smNext returns entry e after bit y, with the count limited to limit.
func smNext(e, y, limit uint32) uint32 {
	n := e & 1023
	p := int64(e >> 10)
	p += (int64(y<<22-y) - p) * smRecip[n] >> 16
	if n < limit {
		n++
	}
	return uint32(p)<<10 | n
}

// stateP12 is the initial 12-bit probability of a bit-history state,
// (n1 + 1/2)/(n0 + n1 + 1).
func stateP12(s int) uint32 {
	n0, n1 := uint32(stateN0[s]), uint32(stateN1[s])
	return ((2*n1+1)*4096 + (n0 + n1 + 1)) / (2 * (n0 + n1 + 1))
}
