// Package hugepage places the big tables of entzip's models (model.OrderK's
// hash table, model/cm's tables) on transparent huge pages where the
// system has them (Linux). Their every access goes to a random line, and
// with 4 KiB pages most of those also miss the TLB; huge pages made
// OrderK's order 4 at the default 4 MiB 7–19 % faster. The advice is only
// a hint: when it fails, or elsewhere than on Linux, nothing changes but
// the speed.
package hugepage

import "unsafe"

// Size is the size of a transparent huge page on Linux/amd64 and most
// other Linux ports; where it is larger, the advice only covers less.
const Size = 2 << 20

// Advise asks the kernel to back s with transparent huge pages
// (MADV_HUGEPAGE) if it spans at least Size bytes. s must start on a page
// boundary, as every Go allocation of a huge page or more does; errors are
// ignored.
func Advise[T any](s []T) {
	var zero T
	n := len(s) * int(unsafe.Sizeof(zero))
	if n < Size {
		return
	}
	madvise(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), n))
}

// Make returns n zeroed elements. Where huge pages exist, a slice of at
// least Size bytes starts on a huge-page boundary and is advised onto huge
// pages (Advise), so that it covers as few of them as it can; the
// alignment costs up to Size bytes of address space that is never touched.
// It is only done when T's size divides Size.
func Make[T any](n int) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if !supported || size == 0 || Size%size != 0 || n*size < Size {
		return make([]T, n)
	}
	buf := make([]T, n+Size/size)
	start := uintptr(unsafe.Pointer(&buf[0]))
	skip := int((-start)&(Size-1)) / size
	s := buf[skip : skip+n : skip+n]
	Advise(s)
	return s
}
