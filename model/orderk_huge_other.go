//go:build !linux

package model

// makeLines returns n zeroed lines for OrderK's hash table.
func makeLines(n int) []line { return make([]line, n) }
