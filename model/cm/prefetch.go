package cm

import "unsafe"

// prefetchU32 is prefetch for the cache line holding *p.
func prefetchU32(p *uint32) { prefetch((*byte)(unsafe.Pointer(p))) }
