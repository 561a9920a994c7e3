package cm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIndirect(t *testing.T) {
	var d indirect
	var c4 uint32
	for _, c := range []byte("xabyabz") {
		c4 = c4<<8 | uint32(c)
		d.byteUpdate(c4)
	}
	// 'a' was followed by "b", "b"; 'b' by "y", "z"; the pair "ab" by "y", "z"
	assert.Equal(t, uint16('b')<<8|'b', d.t1['a'])
	assert.Equal(t, uint16('y')<<8|'z', d.t1['b'])
	assert.Equal(t, uint16('y')<<8|'z', d.t2['a'<<8|'b'])
	assert.Equal(t, uint16('b'), d.t2['y'<<8|'a'])
	d.reset()
	assert.Zero(t, d.t2['a'<<8|'b'])
}

func TestByteClass(t *testing.T) {
	for c, want := range map[byte]uint8{'q': 1, 'Q': 2, '7': 3, ' ': 4, '\n': 5, 0xC3: 6, 0: 7, '.': 0} {
		assert.Equal(t, want, byteClass[c], "%q", c)
	}
}
