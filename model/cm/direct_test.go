package cm

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDirectCounterAverages: a direct counter fed a Bernoulli(p) sequence
// in one context ends near the sample's frequency (it averages over about
// smLimit/2 bits, so within a few standard deviations of that window),
// a fresh entry predicts 1/2, and another context's counter is untouched.
func TestDirectCounterAverages(t *testing.T) {
	d := newDirectModel(directLines(1))
	d.setContexts('a')
	d.setNibble(0)
	var x [directOrders]int32
	var idx [directOrders]int32
	d.inputs(x[:], &idx, 0, 1)
	assert.Equal(t, [directOrders]int32{}, x, "fresh entries predict 1/2")

	rng := rand.New(rand.NewPCG(1, 2))
	const p, n = 0.03, 20000
	for range n {
		y := uint32(0)
		if rng.Float64() < p {
			y = 1
		}
		d.inputs(x[:], &idx, 0, 1)
		d.update(&idx, y)
	}
	for k, i := range idx {
		e := d.t[i] ^ directFlip
		got := float64(e>>10) / (1 << 22)
		assert.InDelta(t, p, got, 0.02, "order %d: P(1) %.4f", k+1, got)
		assert.Equal(t, uint32(smLimit), e&1023, "order %d: count", k+1)
	}
	d.setContexts('b')
	d.setNibble(0)
	d.inputs(x[:], &idx, 0, 1)
	assert.Equal(t, [directOrders]int32{}, x, "other context")
}
