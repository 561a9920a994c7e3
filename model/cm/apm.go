package cm

import "github.com/entzip/entzip/internal/hugepage"

// An APM (adaptive probability map, also called SSE) refines a probability
// given a context. For each context it keeps N interpolation points
// over the logit range [-logitMax, logitMax], point j at logit
// j·(2·logitMax+1)/(N−1) − logitMax:
//
//	pos = (x + logitMax)·(N−1)           x the mixer's logit
//	lo  = pos / 2^12, f = pos mod 2^12
//	pr  = (t[lo]·(2^12 − f) + t[lo+1]·f) / 2^12
//
// after bit y only the nearer point learns. Entries are state-map entries
// (statemap.go), P(1) in 22 bits and a count; pr uses their top 16 bits.
// They start at squash of their logit, the identity map, and learn in one
// of two ways:
//
//	fixed rate (limit 0):  t16 += (y·(2^16−1) − t16) / 2^rate
//	                       on the top 16 bits, the count unused (revisions
//	                       before RevIndirect)
//	by count:              smNext(t, y, limit) from count apmCount0, a
//	                       rate 2/(2n+3) that falls to 2/(2·limit+3), so a
//	                       point of a stationary source keeps averaging and
//	                       reaches P(1) near 0 or 1 (the fixed rate stops
//	                       2^rate/2^16 short of 1)
//
// A context's points fill one row (the last entries unused): N = 24 in
// rows of 32 entries for the fixed rate, N = 16 in rows of 16 (64 bytes,
// one cache line, as the fixed rate's 16-bit rows were) by count. The
// order-1 APM's 2^16 rows are read at random, one per bit: with 128-byte
// rows -6 took 10 % more time on E.coli; 16 points cost 0.03 % on 8
// corpus files.

const (
	apmN        = 24 // N at the fixed rate
	apmRow      = 32
	apmCountN   = 16 // N by count
	apmCountRow = 16
	// apmCount0 is the starting count of a by-count point: its first
	// updates move it by 2/(2·apmCount0+3) ≈ 1/13, as the identity map it
	// starts from is already a fair guess.
	apmCount0 = 6
)

type apm struct {
	t      []uint32
	n, row int    // points per context and row length
	rate   uint   // the fixed rate (limit 0)
	limit  uint32 // the count limit, or 0 for the fixed rate
}

func newAPM(contexts int, rate uint, limit uint32) apm {
	a := apm{n: apmN, row: apmRow, rate: rate, limit: limit}
	if limit != 0 {
		a.n, a.row = apmCountN, apmCountRow
	}
	a.t = make([]uint32, contexts*a.row)
	hugepage.Advise(a.t)
	a.reset()
	return a
}

func (a *apm) reset() {
	var row [apmRow]uint32
	c := uint32(0)
	if a.limit != 0 {
		c = apmCount0
	}
	n := int32(a.n)
	for j := range n {
		x := (j*(2*logitMax+1)+(n-1)/2)/(n-1) - logitMax
		row[j] = squash(x)<<16 | c
	}
	for i := 0; i < len(a.t); i += a.row {
		copy(a.t[i:i+a.row], row[:])
	}
}

// refine returns the refined 16-bit probability of logit x in context cx
// and the index of the entry update trains (the nearer point).
func (a *apm) refine(x int32, cx int) (uint32, int) {
	pos := uint32(max(min(x, logitMax), -logitMax)+logitMax) * uint32(a.n-1)
	lo := int(pos >> 12)
	f := pos & 4095
	i := cx*a.row + lo
	t := a.t[i : i+2 : i+2]
	return ((t[0]>>16)*(4096-f) + (t[1]>>16)*f) >> 12, i + int(f>>11)
}

// update trains entry i, chosen by refine, with bit y.
func (a *apm) update(i int, y uint32) {
	if a.limit != 0 {
		a.t[i] = smNext(a.t[i], y, a.limit)
		return
	}
	t := int32(a.t[i] >> 16)
	t += (int32(y<<16) - int32(y) - t) >> a.rate
	a.t[i] = uint32(t) << 16
}
