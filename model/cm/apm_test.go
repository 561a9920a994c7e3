package cm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAPMExtremes: after a long run of ones at the top logit, a by-count
// APM refines it to within 2^-13 of 1 (its 22-bit entries stop about
// 2^22/smLimit short of 1), while a fixed-rate one stops about 2^rate/2^16
// short (its point at 65504, interpolated with the next lower one).
func TestAPMExtremes(t *testing.T) {
	run := func(limit uint32) uint32 {
		a := newAPM(1, apmRate, limit)
		var p uint32
		for range 100000 {
			var i int
			p, i = a.refine(logitMax, 0)
			a.update(i, 1)
		}
		return p
	}
	assert.GreaterOrEqual(t, run(smLimit), uint32(65536-8), "by count")
	p := run(0)
	assert.Less(t, p, uint32(65536-1<<(apmRate-1)), "fixed rate")
	assert.Greater(t, p, uint32(65536-2<<apmRate), "fixed rate")
}
