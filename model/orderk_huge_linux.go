package model

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on Linux/amd64 and most
// other Linux ports; where it is larger, the advice only covers less.
const hugePage = 2 << 20

// makeLines returns n zeroed lines for OrderK's hash table. A table of at
// least a huge page starts on a huge-page boundary and is advised
// (MADV_HUGEPAGE) to be backed by huge pages: every nibble touches random
// lines of it, and with 4 KiB pages most of those touches also miss the
// TLB (huge pages made order 4 at the default 4 MiB 7–19 % faster). The
// alignment costs up to 2 MiB of address space that is never touched. The
// advice is only a hint; when it fails the table works as well.
func makeLines(n int) []line {
	const lineSize = int(unsafe.Sizeof(line{}))
	if n*lineSize < hugePage {
		return make([]line, n)
	}
	buf := make([]line, n+hugePage/lineSize)
	start := uintptr(unsafe.Pointer(&buf[0]))
	skip := int((-start)&(hugePage-1)) / lineSize
	lines := buf[skip : skip+n : skip+n]
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Pointer(&lines[0])), n*lineSize), syscall.MADV_HUGEPAGE)
	return lines
}
