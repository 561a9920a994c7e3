//go:build !linux

package cm

// adviseHuge is a no-op outside Linux.
func adviseHuge([]byte) {}
