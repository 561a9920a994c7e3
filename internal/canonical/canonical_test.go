package canonical

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFirstCodes checks RFC 1951's example (section 3.2.2: lengths
// 3,3,3,3,3,2,4,4 for A..H give codes 010..110, 00, 1110, 1111) and that
// count[0] does not matter.
func TestFirstCodes(t *testing.T) {
	lens := []uint8{3, 3, 3, 3, 3, 2, 4, 4}
	count := make([]int, 5)
	for _, l := range lens {
		count[l]++
	}
	for _, unused := range []int{0, 7} {
		count[0] = unused
		first := make([]uint32, 5)
		FirstCodes(first, count)
		require.Equal(t, []uint32{0, 0, 0, 2, 14}, first)

		next := first
		var codes []uint32
		for _, l := range lens {
			codes = append(codes, next[l])
			next[l]++
		}
		require.Equal(t, []uint32{2, 3, 4, 5, 6, 0, 14, 15}, codes)
	}
}

// TestFirstCodesUint32 checks the uint32 counts of the step coder give
// the same codes as int counts.
func TestFirstCodesUint32(t *testing.T) {
	a := []int{0, 1, 1, 2}
	b := []uint32{0, 1, 1, 2}
	fa, fb := make([]uint32, 4), make([]uint32, 4)
	FirstCodes(fa, a)
	FirstCodes(fb, b)
	require.Equal(t, fa, fb)
	require.Equal(t, []uint32{0, 0, 2, 6}, fa)
	FirstCodes([]uint32{}, a) // nothing to set
}
