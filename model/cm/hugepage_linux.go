package cm

import "syscall"

// adviseHuge asks the kernel to back b with transparent huge pages, which
// cuts the TLB misses of random accesses to the big tables. It is only a
// hint (and changes no result); errors are ignored.
func adviseHuge(b []byte) {
	const huge = 2 << 20
	if len(b) < huge {
		return
	}
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
