package cm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSecondInputs(t *testing.T) {
	ones := stateNext[stateNext[0][1]][1]
	mixed := stateNext[ones][0]
	assert.True(t, stateDet[0])
	assert.True(t, stateDet[ones])
	assert.False(t, stateDet[mixed])

	m := newModel(1, config{ctx: fastContexts[:3], lin: true, det: true})
	smi := [nCtx]int32{0<<8 | int32(ones), 1<<8 | int32(mixed), 2<<8 | 0}
	x := []int32{500, -300, 7, 99, 99, 99}
	m.secondInputs(x, &smi, 3)
	assert.Equal(t, []int32{500, -300, 7, 500, 0, 7}, x)
	m.cfg.det = false
	m.secondInputs(x, &smi, 3)
	p := int32(smP12(m.sm[smi[1]]))
	assert.Equal(t, (p-2048)>>2, x[4])
}
