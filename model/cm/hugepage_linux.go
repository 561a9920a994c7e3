package cm

import (
	"syscall"
	"unsafe"
)

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

// adviseHugeU16 is adviseHuge for a []uint16.
func adviseHugeU16(s []uint16) {
	if len(s) > 0 {
		adviseHuge(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 2*len(s)))
	}
}

// adviseHugeU32 is adviseHuge for a []uint32.
func adviseHugeU32(s []uint32) {
	if len(s) > 0 {
		adviseHuge(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s)))
	}
}
