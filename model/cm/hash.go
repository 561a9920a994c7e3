package cm

// hash2 mixes two 32-bit words into a well-spread 32-bit hash (multiply,
// xor-shift finalization as in common integer hash functions).
func hash2(a, b uint32) uint32 {
	h := a*0x9E3779B1 ^ (b+0x7F4A7C15)*0x85EBCA77
	h ^= h >> 15
	h *= 0xC2B2AE3D
	h ^= h >> 13
	return h
}

// hash3 mixes three words.
func hash3(a, b, c uint32) uint32 { return hash2(hash2(a, b), c) }
