package hugepage

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// TestMake checks that Make returns n zeroed, writable elements, aligned
// to a huge page where huge pages exist and the slice spans one.
func TestMake(t *testing.T) {
	type line [64]byte
	for _, n := range []int{0, 1, 1000, Size / 64, Size/64 + 3} {
		s := Make[line](n)
		require.Len(t, s, n)
		require.Equal(t, n, cap(s))
		for i := range s {
			require.Equal(t, line{}, s[i])
			s[i][0] = 1
		}
		if supported && n*64 >= Size {
			require.Zero(t, uintptr(unsafe.Pointer(&s[0]))%Size, "n=%d", n)
		}
	}
}

// TestAdvise checks that advising slices of every size, empty and not
// page-sized among them, does not fail or change them.
func TestAdvise(t *testing.T) {
	for _, n := range []int{0, 1, Size / 4, Size/4 + 1} {
		s := make([]uint32, n)
		Advise(s)
		require.Len(t, s, n)
	}
	Advise([]uint16(nil))
}
