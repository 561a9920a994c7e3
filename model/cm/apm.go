package cm

import "github.com/entzip/entzip/internal/hugepage"

// An APM (adaptive probability map, also called SSE) refines a probability
// given a context. For each context it keeps apmN interpolation points
// over the logit range [-logitMax, logitMax], point j at logit
// j·(2·logitMax+1)/(apmN−1) − logitMax:
//
//	pos = (x + logitMax)·(apmN−1)        x the mixer's logit
//	lo  = pos / 2^12, f = pos mod 2^12
//	pr  = (t[lo]·(2^12 − f) + t[lo+1]·f) / 2^12
//	t[nearer point] += (y·2^16 − t) / 2^rate      after bit y
//
// Entries are P(1) in 16 bits; they start at squash of their logit, the
// identity map. A context's points fill one 64-byte row (apmRow entries,
// the last apmRow − apmN unused), so a refinement touches one cache line.

const (
	apmN   = 24
	apmRow = 32
)

type apm struct {
	t    []uint16
	rate uint
}

func newAPM(contexts int, rate uint) apm {
	a := apm{t: make([]uint16, contexts*apmRow), rate: rate}
	hugepage.Advise(a.t)
	a.reset()
	return a
}

func (a *apm) reset() {
	var row [apmRow]uint16
	for j := range apmN {
		x := (int32(j)*(2*logitMax+1)+(apmN-1)/2)/(apmN-1) - logitMax
		row[j] = uint16(squash(x))
	}
	for i := 0; i < len(a.t); i += apmRow {
		copy(a.t[i:i+apmRow], row[:])
	}
}

// refine returns the refined 16-bit probability of logit x in context cx
// and the index of the entry update trains (the nearer point).
func (a *apm) refine(x int32, cx int) (uint32, int) {
	pos := uint32(max(min(x, logitMax), -logitMax)+logitMax) * (apmN - 1)
	lo := int(pos >> 12)
	f := pos & 4095
	i := cx*apmRow + lo
	t := a.t[i : i+2 : i+2]
	return (uint32(t[0])*(4096-f) + uint32(t[1])*f) >> 12, i + int(f>>11)
}

// update trains entry i, chosen by refine, with bit y.
func (a *apm) update(i int, y uint32) {
	t := int32(a.t[i])
	t += (int32(y<<16) - int32(y) - t) >> a.rate
	a.t[i] = uint16(t)
}
