//go:build !linux

package cm

// adviseHuge is a no-op outside Linux.
func adviseHuge([]byte) {}

// adviseHugeU16 is a no-op outside Linux.
func adviseHugeU16([]uint16) {}

// adviseHugeU32 is a no-op outside Linux.
func adviseHugeU32([]uint32) {}
