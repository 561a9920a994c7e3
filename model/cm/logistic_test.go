package cm

import (
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLogisticPinned pins squash and stretch over their domains (and a
// little beyond, where squash clamps): the values cm's own tables had
// before it shared internal/logistic's.
func TestLogisticPinned(t *testing.T) {
	h := fnv.New64a()
	for x := int32(-logitMax - 10); x <= logitMax+10; x++ {
		v := squash(x)
		h.Write([]byte{byte(v), byte(v >> 8)})
	}
	for p := uint32(0); p < 4096; p++ {
		v := stretch(p)
		h.Write([]byte{byte(v), byte(v >> 8)})
	}
	assert.Equal(t, uint64(0x3f4b8133b8c08995), h.Sum64())
	assert.Equal(t, int32(logitMax), stretch(4095))
	assert.Equal(t, int32(-logitMax), stretch(0))
}
