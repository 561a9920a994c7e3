package coder

import (
	"container/heap"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// cost returns Σ counts[s]·lens[s].
func cost(counts []uint32, lens []uint8) uint64 {
	c := uint64(0)
	for i, n := range counts {
		c += uint64(n) * uint64(lens[i])
	}
	return c
}

// requireKraft checks lengths ≤ maxBits, zero exactly for absent symbols
// and Kraft's equality when two or more symbols are used.
func requireKraft(t *testing.T, counts []uint32, lens []uint8, maxBits int) {
	t.Helper()
	sum, used := uint64(0), 0
	for i, l := range lens {
		require.Equal(t, counts[i] == 0, l == 0, "symbol %d", i)
		require.LessOrEqual(t, int(l), maxBits)
		if l > 0 {
			used++
			sum += 1 << (32 - l)
		}
	}
	if used >= 2 {
		require.Equal(t, uint64(1)<<32, sum, "Kraft sum")
	}
}

// bruteForce returns the least cost of a prefix code for counts (all > 0)
// with lengths ≤ maxBits, trying every length vector with Kraft sum ≤ 1.
func bruteForce(counts []uint32, maxBits int) uint64 {
	best := ^uint64(0)
	lens := make([]int, len(counts))
	var rec func(i int, kraft uint64, c uint64)
	rec = func(i int, kraft uint64, c uint64) {
		if kraft > 1<<maxBits || c >= best {
			return
		}
		if i == len(counts) {
			best = c
			return
		}
		for l := 1; l <= maxBits; l++ {
			lens[i] = l
			rec(i+1, kraft+1<<(maxBits-l), c+uint64(counts[i])*uint64(l))
		}
	}
	rec(0, 0, 0)
	return best
}

func TestHuffmanLengthsOptimalSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 400 {
		n := 2 + rng.IntN(6)
		counts := make([]uint32, n)
		for i := range counts {
			if rng.IntN(2) == 0 {
				counts[i] = 1 + rng.Uint32N(10)
			} else {
				counts[i] = 1 << rng.IntN(12)
			}
		}
		minBits := 1
		for 1<<minBits < n {
			minBits++
		}
		for maxBits := minBits; maxBits <= 6; maxBits++ {
			lens, err := HuffmanLengths(counts, maxBits)
			require.NoError(t, err)
			requireKraft(t, counts, lens, maxBits)
			require.Equal(t, bruteForce(counts, maxBits), cost(counts, lens), "counts %v maxBits %d", counts, maxBits)
		}
	}
}

// huffHeap is a min-heap of subtree weights for plain Huffman.
type huffHeap []uint64

func (h huffHeap) Len() int           { return len(h) }
func (h huffHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h huffHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *huffHeap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *huffHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// huffmanCost is the cost of an unlimited Huffman code: the sum of the
// weights of all merged nodes.
func huffmanCost(counts []uint32) uint64 {
	h := huffHeap{}
	for _, c := range counts {
		if c > 0 {
			h = append(h, uint64(c))
		}
	}
	heap.Init(&h)
	total := uint64(0)
	for h.Len() > 1 {
		a := heap.Pop(&h).(uint64)
		b := heap.Pop(&h).(uint64)
		total += a + b
		heap.Push(&h, a+b)
	}
	return total
}

func TestHuffmanLengthsUnlimitedEqualsHuffman(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for range 200 {
		counts := make([]uint32, 256)
		for range 2 + rng.IntN(300) {
			counts[rng.IntN(256)] = rng.Uint32N(1 << (1 + rng.IntN(20)))
		}
		if huffmanCost(counts) == 0 {
			continue
		}
		// 32 bits is never binding for 256 symbols of 20-bit counts.
		lens, err := HuffmanLengths(counts, 32)
		require.NoError(t, err)
		requireKraft(t, counts, lens, 32)
		require.Equal(t, huffmanCost(counts), cost(counts, lens))

		lim, err := HuffmanLengths(counts, MaxHuffmanBits)
		require.NoError(t, err)
		requireKraft(t, counts, lim, MaxHuffmanBits)
		require.GreaterOrEqual(t, cost(counts, lim), cost(counts, lens))
	}
}

func TestHuffmanLengthsEdges(t *testing.T) {
	lens, err := HuffmanLengths(nil, 11)
	require.NoError(t, err)
	require.Empty(t, lens)

	lens, err = HuffmanLengths([]uint32{0, 0, 0}, 11)
	require.NoError(t, err)
	require.Equal(t, []uint8{0, 0, 0}, lens)

	lens, err = HuffmanLengths([]uint32{0, 5, 0}, 11)
	require.NoError(t, err)
	require.Equal(t, []uint8{0, 1, 0}, lens)

	_, err = HuffmanLengths([]uint32{1, 2}, 0)
	require.Error(t, err)
	_, err = HuffmanLengths([]uint32{1, 2, 3}, 1)
	require.Error(t, err)

	// 256 equal counts need exactly 8 bits.
	counts := make([]uint32, 256)
	for i := range counts {
		counts[i] = 1
	}
	lens, err = HuffmanLengths(counts, 8)
	require.NoError(t, err)
	for _, l := range lens {
		require.Equal(t, uint8(8), l)
	}
	_, err = HuffmanLengths(counts, 7)
	require.Error(t, err)

	// Fibonacci counts make the unlimited code 20 deep; the limit binds.
	fib := []uint32{1, 1}
	for len(fib) < 21 {
		fib = append(fib, fib[len(fib)-1]+fib[len(fib)-2])
	}
	lens, err = HuffmanLengths(fib, 32)
	require.NoError(t, err)
	require.Equal(t, uint8(20), lens[0])
	lens, err = HuffmanLengths(fib, MaxHuffmanBits)
	require.NoError(t, err)
	requireKraft(t, fib, lens, MaxHuffmanBits)
}

func TestHuffmanCanonicalCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	for range 100 {
		counts := make([]uint32, 256)
		for range 2 + rng.IntN(256) {
			counts[rng.IntN(256)] = 1 + rng.Uint32N(1<<rng.IntN(16))
		}
		lens, err := HuffmanLengths(counts, MaxHuffmanBits)
		require.NoError(t, err)
		var enc [256]encEntry
		canonicalCodes(lens, enc[:])
		// Ordered by (length, symbol), left-justified codes strictly
		// increase by exactly the previous code's width: canonical and
		// prefix-free, with no gaps (complete).
		next := uint32(0)
		for l := uint8(1); l <= MaxHuffmanBits; l++ {
			for s := range 256 {
				if lens[s] != l {
					continue
				}
				require.Equal(t, uint16(l), enc[s]&15)
				code := uint32(enc[s] >> 4)
				require.Equal(t, next, code<<(MaxHuffmanBits-l), "symbol %d", s)
				next += 1 << (MaxHuffmanBits - l)
			}
		}
		require.Equal(t, uint32(1<<MaxHuffmanBits), next)
	}
}
