//go:build !linux

package hugepage

const supported = false

func madvise([]byte) {}
