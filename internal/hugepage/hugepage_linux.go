package hugepage

import "syscall"

const supported = true

func madvise(b []byte) { _ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) }
