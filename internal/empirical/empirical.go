// Package empirical computes the empirical entropies of byte strings: the
// code length of the best static model of an order, tables free, which
// package bench reports as bounds and the container's semi-static codecs
// as their ideal.
package empirical

import "math"

// log2Tab[i] = log2(i) for 1 ≤ i ≤ 2^16; log2Tab[0] is unused.
var log2Tab = func() *[1<<16 + 1]float64 {
	var t [1<<16 + 1]float64
	for i := 1; i < len(t); i++ {
		t[i] = math.Log2(float64(i))
	}
	return &t
}()

// Log2 returns log2(x) for x ≥ 1, by table for x ≤ 2^16: the cost of the
// code lengths log2(total/freq) that ideal coders spend.
func Log2(x uint32) float64 {
	if x <= 1<<16 {
		return log2Tab[x]
	}
	return math.Log2(float64(x))
}

// XLog2X returns c·log2(c), 0 for c = 0.
func XLog2X(c int64) float64 {
	if c <= 1 {
		return 0
	}
	f := float64(c)
	return f * math.Log2(f)
}

// NonNeg clamps rounding noise below zero to zero.
func NonNeg(x float64) float64 {
	if x < 0 {
		return 0
	}
	return x
}

// A Sorter computes empirical conditional entropies (CondBits), keeping
// its buffers from call to call. The zero value is ready to use.
type Sorter struct {
	keys, keys2 []uint64
	syms, syms2 []byte
}

// CondBits returns Σ_ctx Σ_s c(ctx,s)·log2(c(ctx)/c(ctx,s)), the bits the
// best static order-k model (0 ≤ k ≤ 8) spends on data, and the number of
// distinct contexts. With skip, positions 0..k−1 are not counted; without
// it they are, with the bytes before data taken as 0 (the convention of
// the static coders in package coder), and with restarts > 1 the context
// is 0 again at the start of each of the first restarts segments of
// ⌊len(data)/restarts⌋ bytes (static order-1 rANS codes four segments so).
//
// Every counted position i becomes a record (key, sym): key holds the k
// bytes before i, data[i−1] in the low byte, and sym = data[i]. An LSD
// radix sort by key (one pass per key byte, skipping bytes that are equal
// in every key) makes each context's records contiguous; each run is then
// counted in a 256-entry histogram.
func (s *Sorter) CondBits(data []byte, k int, skip bool, restarts int) (bits float64, contexts int64) {
	n := len(data)
	first := 0
	if skip {
		first = k
	}
	if n <= first {
		return 0, 0
	}
	m := n - first
	s.keys, s.keys2 = grow(s.keys, m), grow(s.keys2, m)
	s.syms, s.syms2 = grow(s.syms, m), grow(s.syms2, m)
	keys, syms := s.keys[:m], s.syms[:m]
	mask := ^uint64(0)
	if k < 8 {
		mask = 1<<(8*uint(k)) - 1
	}
	var key uint64
	if skip {
		for _, b := range data[:k] {
			key = key<<8 | uint64(b)
		}
	}
	seg := m + 1 // no restart after the start
	if !skip && restarts > 1 && m >= restarts {
		seg = m / restarts
	}
	for j, b := range data[first:] {
		if j%seg == 0 && j/seg < restarts {
			key = 0
		}
		keys[j] = key & mask
		syms[j] = b
		key = key<<8 | uint64(b)
	}

	keys2, syms2 := s.keys2[:m], s.syms2[:m]
	for pass := range k {
		shift := 8 * uint(pass)
		var cnt [256]int
		for _, key := range keys {
			cnt[byte(key>>shift)]++
		}
		if cnt[byte(keys[0]>>shift)] == m {
			continue // every key has the same byte here
		}
		pos := 0
		for i, c := range cnt {
			cnt[i] = pos
			pos += c
		}
		for j, key := range keys {
			d := byte(key >> shift)
			keys2[cnt[d]] = key
			syms2[cnt[d]] = syms[j]
			cnt[d]++
		}
		keys, keys2 = keys2, keys
		syms, syms2 = syms2, syms
	}

	var hist [256]int64
	var touched [256]byte
	for start := 0; start < m; {
		end := start + 1
		for end < m && keys[end] == keys[start] {
			end++
		}
		nt := 0
		for _, b := range syms[start:end] {
			if hist[b] == 0 {
				touched[nt] = b
				nt++
			}
			hist[b]++
		}
		sum := XLog2X(int64(end - start))
		for _, b := range touched[:nt] {
			sum -= XLog2X(hist[b])
			hist[b] = 0
		}
		bits += NonNeg(sum)
		contexts++
		start = end
	}
	return bits, contexts
}

// grow returns s with length at least n, reusing its storage when it can.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
