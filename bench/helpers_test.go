package bench

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// corpusPath is where the shared corpus lies relative to this package.
var corpusPath = filepath.Join("..", "..", "shared", "corpus")

// corpusOrAlice returns canterbury/alice29.txt from the shared corpus, or
// the bundled testdata/alice-ch1-2.txt without it.
func corpusOrAlice(tb testing.TB) []byte {
	tb.Helper()
	if data, err := os.ReadFile(filepath.Join(corpusPath, "canterbury", "alice29.txt")); err == nil {
		return data
	}
	return alice(tb)
}

// alice returns the bundled test text.
func alice(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "alice-ch1-2.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// staticOrder0 is a SymbolModel of fixed byte frequencies normalized to a
// total of 2^16 as model.Order0's are: freq(s) = 1 + ⌊count(s)·(2^16 −
// 256)/Σcount⌋, the remainder going to the lowest most frequent byte. It
// is the model of a block whose counts the decoder is given; Update does
// nothing.
type staticOrder0 struct{ cum [257]uint32 }

func newStaticOrder0(counts *[256]uint32) *staticOrder0 {
	const total, spare = 1 << 16, 1<<16 - 256
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
	for s, c := range counts {
		freq[s] = 1
		if sum > 0 {
			freq[s] += uint32(uint64(c) * spare / sum)
		}
		used += freq[s]
	}
	freq[best] += total - used
	m := new(staticOrder0)
	for s, f := range freq {
		m.cum[s+1] = m.cum[s] + f
	}
	return m
}

func (m *staticOrder0) Alphabet() int { return 256 }
func (m *staticOrder0) Total() uint32 { return m.cum[256] }
func (m *staticOrder0) Update(int)    {}
func (m *staticOrder0) Reset()        {}

func (m *staticOrder0) Interval(s int) (start, freq, total uint32) {
	return m.cum[s], m.cum[s+1] - m.cum[s], m.cum[256]
}

func (m *staticOrder0) Find(target uint32) (s int, start, freq uint32) {
	s = sort.Search(255, func(i int) bool { return m.cum[i+1] > target })
	return s, m.cum[s], m.cum[s+1] - m.cum[s]
}
