package model

// freqTable is a frequency distribution over 256 symbols normalized to a
// total of 1<<freqTableBits, with every frequency ≥ 1:
//
//	freq(s)  = 1 + ⌊count(s) · (2^16 − 256) / Σcount⌋, the rounding remainder
//	           going to the most frequent symbol (the lowest such symbol);
//	           with no counts at all, freq(s) = 2^16/256 = 256 (uniform)
//	cum[s]   = Σ_{t<s} freq(t),  cum[256] = 2^16
//	bucket[i] = the symbol whose interval holds i·2^8
//
// so that Interval is two loads and Find starts at bucket[target>>8] and
// steps forward over the few symbols sharing that bucket.
type freqTable struct {
	cum    [257]uint32
	bucket [256]uint8
}

const (
	freqTableBits = 16
	freqTableSum  = 1 << freqTableBits
)

// build normalizes counts (len 256, any values with a sum below 2^32).
func (t *freqTable) build(counts *[256]uint32) {
	var sum uint64
	best := 0
	for s, c := range counts {
		sum += uint64(c)
		if c > counts[best] {
			best = s
		}
	}
	var freq [256]uint32
	used := uint32(0)
	if sum == 0 {
		for s := range freq {
			freq[s] = freqTableSum / 256
		}
		used = freqTableSum
	} else {
		// mult = spare·2^32/sum, so count·mult>>32 ≈ count·spare/sum without a
		// division per symbol.
		const spare = freqTableSum - 256
		mult := uint64(spare) << 32 / sum
		for s, c := range counts {
			f := 1 + uint32(uint64(c)*mult>>32)
			freq[s] = f
			used += f
		}
	}
	freq[best] += freqTableSum - used
	var c uint32
	for s, f := range freq {
		t.cum[s] = c
		c += f
	}
	t.cum[256] = c
	s := 0
	for i := range t.bucket {
		for t.cum[s+1] <= uint32(i)<<8 {
			s++
		}
		t.bucket[i] = uint8(s)
	}
}

// interval returns symbol s's interval.
func (t *freqTable) interval(s int) (start, freq uint32) {
	s &= 0xFF
	return t.cum[s], t.cum[s+1] - t.cum[s]
}

// find returns the symbol whose interval holds target < 2^16.
func (t *freqTable) find(target uint32) (s int, start, freq uint32) {
	s = int(t.bucket[(target>>8)&0xFF])
	for s < 255 && t.cum[s+1] <= target {
		s++
	}
	return s, t.cum[s], t.cum[s+1] - t.cum[s]
}
