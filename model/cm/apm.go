package cm

// An APM (adaptive probability map, also called SSE) refines a probability
// given a context. For each context it keeps apmN interpolation points
// over the logit range, point j at logit (j − apmN/2)·apmStep:
//
//	pr  = (t[lo]·(apmStep − f) + t[lo+1]·f) / apmStep
//	      where x + (apmN/2)·apmStep = lo·apmStep + f
//	t[nearer point] += (y·2^28 − t) / 2^rate      after bit y
//
// Entries are P(1) in 28 bits; they start at squash of their logit, the
// identity map.

const (
	apmN    = 33
	apmStep = 128
)

type apm struct {
	t    []uint32
	idx  int
	rate uint
}

func newAPM(contexts int, rate uint) apm {
	a := apm{t: make([]uint32, contexts*apmN), rate: rate}
	a.reset()
	return a
}

func (a *apm) reset() {
	for i := range a.t {
		j := int32(i%apmN) - apmN/2
		a.t[i] = squash(j*apmStep) << 12
	}
	a.idx = 0
}

// refine returns the refined 16-bit probability of logit x in context cx.
func (a *apm) refine(x int32, cx int) uint32 {
	x = max(min(x+apmN/2*apmStep, (apmN-1)*apmStep-1), 0)
	lo := int(x / apmStep)
	f := uint32(x % apmStep)
	i := cx*apmN + lo
	t := a.t[i : i+2 : i+2]
	a.idx = i + int(f/(apmStep/2))
	return ((t[0]>>12)*(apmStep-f) + (t[1]>>12)*f) / apmStep
}

// update trains the point used by the last refine with bit y.
func (a *apm) update(y uint32) {
	t := a.t[a.idx]
	a.t[a.idx] = uint32(int32(t) + (int32(y<<28)-int32(t))>>a.rate)
}
