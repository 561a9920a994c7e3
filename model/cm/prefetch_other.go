//go:build !amd64 && !arm64

package cm

// prefetch does nothing on architectures without an assembly hint.
func prefetch(*byte) {}
