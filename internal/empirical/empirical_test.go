package empirical

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCondBits(t *testing.T) {
	var s Sorter
	// "aaaabbcd": H0 = 1.75 bits a byte.
	bits, ctxs := s.CondBits([]byte("aaaabbcd"), 0, false, 0)
	assert.InDelta(t, 8*1.75, bits, 1e-9)
	assert.EqualValues(t, 1, ctxs)
	// Order 1 on "abab": with skip the contexts a→b, b→a, a→b are
	// certain; without it the first byte has context 0, also certain.
	bits, ctxs = s.CondBits([]byte("abab"), 1, true, 0)
	assert.InDelta(t, 0, bits, 1e-9)
	assert.EqualValues(t, 2, ctxs)
	bits, ctxs = s.CondBits([]byte("abab"), 1, false, 0)
	assert.InDelta(t, 0, bits, 1e-9)
	assert.EqualValues(t, 3, ctxs)
	// Restarts: in two segments "ab|ca" context 0 is followed by a and
	// by c, 2 bits; in one, every context of "abca" has one successor.
	bits, _ = s.CondBits([]byte("abca"), 1, false, 2)
	assert.InDelta(t, 2, bits, 1e-9)
	bits, _ = s.CondBits([]byte("abca"), 1, false, 0)
	assert.InDelta(t, 0, bits, 1e-9, "without restarts each context has one successor")
	// Shorter than the number of segments: only the start restarts.
	bits, _ = s.CondBits([]byte("ab"), 1, false, 4)
	assert.InDelta(t, 0, bits, 1e-9)
}

func TestLog2(t *testing.T) {
	for _, x := range []uint32{1, 2, 3, 1000, 1 << 16, 1<<16 + 1, 1 << 31} {
		assert.InDelta(t, math.Log2(float64(x)), Log2(x), 1e-12, x)
	}
	assert.Zero(t, XLog2X(0))
	assert.Zero(t, XLog2X(1))
	assert.InDelta(t, 8, XLog2X(4), 1e-12)
	assert.Zero(t, NonNeg(-1e-12))
}
