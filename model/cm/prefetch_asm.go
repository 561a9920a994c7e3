//go:build amd64 || arm64

package cm

// prefetch asks the CPU to load the cache line at p. It is only a hint:
// it never faults, blocks or changes a result.
//
//go:noescape
func prefetch(p *byte)
