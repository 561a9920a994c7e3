package cm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHashTableReplace: a full bucket gives up its slot of lowest priority
// (the first of equals) with statePri, and always its first with noPri.
func TestHashTableReplace(t *testing.T) {
	seen := stateNext[stateNext[stateNext[0][1]][0]][1] // three bits seen
	once := stateNext[0][1]
	require.Equal(t, uint8(1), statePri[once], "statePri must be set after the state table")
	require.Equal(t, uint8(3), statePri[seen])
	for _, tc := range []struct {
		pri  *[maxStates]uint8
		want int
	}{{&statePri, 32}, {&noPri, 0}} {
		ht := newHashTable(bucketSize, tc.pri)
		for j, chk := range []byte{1, 2, 3, 4} {
			ht.t[j*slotSize] = chk
			ht.t[j*slotSize+1] = seen
		}
		ht.t[2*slotSize+1] = once
		ht.t[2*slotSize+5] = seen // a node other than 1: cleared on replacement
		assert.Equal(t, 48, ht.find(4, 0), "present")
		got := ht.find(9, 0)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, byte(9), ht.t[got])
		assert.Zero(t, ht.t[got+5])
	}
}
