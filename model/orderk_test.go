package model

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var orderkTable = flag.Bool("orderk.table", false, "print the OrderK trade-off table (order × memBits) over the Canterbury corpus")

// orderkCorpusDir is the shared benchmark corpus, present on developer and
// CI machines beside the repository.
const orderkCorpusDir = "../../shared/corpus"

// orderkCorpusFile returns a file of the Canterbury corpus, or skips when
// the corpus is absent.
func orderkCorpusFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(orderkCorpusDir, "canterbury", name))
	if err != nil {
		tb.Skipf("corpus file %s not available: %v", name, err)
	}
	return b
}

// orderkText returns n bytes of deterministic pseudo-English: words drawn
// from a small vocabulary by a fixed LCG.
func orderkText(n int) []byte {
	words := []string{"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "a ", "lazy ", "dog", ". ", "and ", "then\n", "it ", "ran ", "away, "}
	out := make([]byte, 0, n+8)
	x := uint32(12345)
	for len(out) < n {
		x = x*1664525 + 1013904223
		out = append(out, words[x>>24%uint32(len(words))]...)
	}
	return out[:n]
}

// orderkRandom returns n bytes from a fixed LCG.
func orderkRandom(n int) []byte {
	out := make([]byte, n)
	x := uint32(1)
	for i := range out {
		x = x*1664525 + 1013904223
		out[i] = byte(x >> 24)
	}
	return out
}

// orderkRun feeds data to m bit by bit and calls f with each bit's P1.
func orderkRun(m BitModel, data []byte, f func(p uint32, bit int)) {
	for _, c := range data {
		for i := 7; i >= 0; i-- {
			bit := int(c>>uint(i)) & 1
			p := m.P1()
			f(p, bit)
			m.Update(bit)
		}
	}
}

// orderkDrive runs P1+Update over data's bits, as a coder would, and
// returns a sum of the predictions.
func orderkDrive(m *OrderK, data []byte) uint32 {
	var sum uint32
	for _, c := range data {
		for i := 7; i >= 0; i-- {
			sum += m.P1()
			m.Update(int(c>>uint(i)) & 1)
		}
	}
	return sum
}

// orderkCost returns the ideal code length of data under m in bytes: the
// sum over all bits of -log2 P(bit) / 8.
func orderkCost(m BitModel, data []byte) float64 {
	var cost float64
	orderkRun(m, data, func(p uint32, bit int) {
		q := float64(p) / (1 << ProbBits)
		if bit == 0 {
			q = 1 - q
		}
		cost -= math.Log2(q)
	})
	return cost / 8
}

// orderkHash returns an FNV-1a hash of every P1 m predicts over data.
func orderkHash(m BitModel, data []byte) uint64 {
	h := fnv.New64a()
	var buf [2]byte
	orderkRun(m, data, func(p uint32, _ int) {
		buf[0], buf[1] = byte(p), byte(p>>8)
		h.Write(buf[:])
	})
	return h.Sum64()
}

// orderkEntropy0 returns the order-0 empirical entropy H0·n of data in
// bytes: what a static ideal order-0 coder would need, table not included.
func orderkEntropy0(data []byte) float64 {
	var freq [256]int
	for _, c := range data {
		freq[c]++
	}
	var bits float64
	for _, f := range freq {
		if f > 0 {
			bits -= float64(f) * math.Log2(float64(f)/float64(len(data)))
		}
	}
	return bits / 8
}

func TestNewOrderKParams(t *testing.T) {
	tests := []struct {
		order, memBits int
		ok             bool
	}{
		{1, MinOrderKMemBits, true},
		{MaxOrderK, MinOrderKMemBits, true},
		{DefaultOrderK, DefaultOrderKMemBits, true},
		{0, DefaultOrderKMemBits, false},
		{-1, DefaultOrderKMemBits, false},
		{MaxOrderK + 1, DefaultOrderKMemBits, false},
		{3, MinOrderKMemBits - 1, false},
		{3, MaxOrderKMemBits + 1, false},
	}
	for _, tt := range tests {
		m, err := NewOrderK(tt.order, tt.memBits)
		if tt.ok {
			require.NoError(t, err, "order %d memBits %d", tt.order, tt.memBits)
			assert.Equal(t, tt.order, m.Order())
			assert.Equal(t, uint32(1<<(ProbBits-1)), m.P1(), "a fresh model predicts 1/2")
		} else {
			assert.ErrorIs(t, err, ErrOrderKParam, "order %d memBits %d", tt.order, tt.memBits)
			assert.Nil(t, m)
		}
	}
}

// TestOrderKDeterministic pins a hash of every prediction, so that any
// change of the model's output (or a GOARCH that computes differently:
// run with GOARCH=386) fails.
func TestOrderKDeterministic(t *testing.T) {
	tests := []struct {
		order, memBits, rev int
		want                uint64
	}{
		{1, MinOrderKMemBits, OrderKRevNarrow, 0x43243ccf063e1683},
		{3, MinOrderKMemBits, OrderKRevNarrow, 0xf6d62877134e4fda},
		{1, MinOrderKMemBits, OrderKRevWide, 0x43243ccf063e1683}, // 256 codewords: narrow
		{3, MinOrderKMemBits, OrderKRevWide, 0xf6d62877134e4fda},
		{5, 22, OrderKRevWide, 0xf621357cbdbb7721},
		{MaxOrderK, MinOrderKMemBits, OrderKRevWide, 0x08eeff64b8e8266b},
	}
	data := append(orderkText(40000), orderkRandom(3000)...)
	for _, tt := range tests {
		m, err := NewOrderKRev(tt.order, tt.memBits, tt.rev)
		require.NoError(t, err)
		assert.Equal(t, tt.want, orderkHash(m, data), "order %d memBits %d revision %d", tt.order, tt.memBits, tt.rev)
	}

	alice := orderkCorpusFile(t, "alice29.txt")
	m, err := NewOrderK(5, 22)
	require.NoError(t, err)
	assert.Equal(t, uint64(0xe21505486dfe5d55), orderkHash(m, alice), "alice29.txt")
}

// orderkCodeHash returns an FNV-1a hash of every P1 m predicts over the
// codewords of data in the code of lengths lens.
func orderkCodeHash(t *testing.T, m *OrderK, lens *[256]uint8, data []byte) uint64 {
	require.NoError(t, m.SetCode(lens))
	h := fnv.New64a()
	for _, c := range data {
		code, n := m.Codeword(c)
		for i := n - 1; i >= 0; i-- {
			p := m.P1()
			h.Write([]byte{byte(p), byte(p >> 8)})
			m.Update(int(code>>i) & 1)
		}
	}
	return h.Sum64()
}

// TestOrderKWideGate pins the predictions of the wide counters, which a
// model of revision OrderKRevWide and order ≤ MaxWideOrder uses while its
// code has at most wideSymbols codewords, and checks that with more it
// predicts as revision OrderKRevNarrow does.
func TestOrderKWideGate(t *testing.T) {
	text := orderkText(40000)
	small := make([]byte, len(text)) // 16 letters
	for i, c := range text {
		small[i] = 'a' + c%wideSymbols
	}
	var lens16, lens17 [256]uint8
	for b := range wideSymbols {
		lens16['a'+b] = 4
		lens17['a'+b] = 4
	}
	lens17['a'+wideSymbols-1], lens17['a'+wideSymbols] = 5, 5 // 17 codewords
	tests := []struct {
		order int
		want  uint64
	}{
		{1, 0x2ba00d43bd66e119},
		{2, 0x7b35d065f0b53cd5},
		{3, 0xfa4f7824aeab440f},
	}
	for _, tt := range tests {
		wide, err := NewOrderKRev(tt.order, MinOrderKMemBits, OrderKRevWide)
		require.NoError(t, err)
		assert.Equal(t, tt.want, orderkCodeHash(t, wide, &lens16, small), "order %d, 16 codewords", tt.order)
		assert.True(t, wide.wide)

		narrow, err := NewOrderKRev(tt.order, MinOrderKMemBits, OrderKRevNarrow)
		require.NoError(t, err)
		wide, err = NewOrderKRev(tt.order, MinOrderKMemBits, OrderKRevWide)
		require.NoError(t, err)
		assert.Equal(t, orderkCodeHash(t, narrow, &lens17, small), orderkCodeHash(t, wide, &lens17, small), "order %d, 17 codewords", tt.order)
		assert.False(t, wide.wide)

		// Back to 16 codewords: wide counters again, afresh.
		_ = orderkCodeHash(t, wide, &lens16, small)
		assert.True(t, wide.wide)
	}
}

func TestOrderKP1Range(t *testing.T) {
	inputs := map[string][]byte{
		"zeros":  make([]byte, 20000),
		"ones":   bytesOf(0xff, 20000),
		"cycle":  []byte(string(bytesOf('x', 10)) + "0123456789abcdef"),
		"random": orderkRandom(20000),
		"text":   orderkText(20000),
	}
	for k := 1; k <= MaxOrderK; k++ {
		m, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		for name, data := range inputs {
			m.Reset()
			bad := 0
			orderkRun(m, data, func(p uint32, _ int) {
				if p < 1 || p >= 1<<ProbBits {
					bad++
				}
			})
			assert.Zero(t, bad, "order %d, %s: P1 out of range", k, name)
		}
	}
}

func bytesOf(c byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return b
}

func TestOrderKResetMatchesFresh(t *testing.T) {
	a, b := orderkRandom(5000), orderkText(30000)
	for _, k := range []int{1, 2, DefaultOrderK, MaxOrderK} {
		used, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		orderkRun(used, a, func(uint32, int) {})
		orderkRun(used, b, func(uint32, int) {})
		used.Reset()
		fresh, err := NewOrderK(k, MinOrderKMemBits)
		require.NoError(t, err)
		assert.Equal(t, orderkHash(fresh, b), orderkHash(used, b), "order %d", k)
	}
}

func TestOrderKNoAllocs(t *testing.T) {
	m, err := NewOrderK(DefaultOrderK, MinOrderKMemBits)
	require.NoError(t, err)
	data := orderkText(1000)
	allocs := testing.AllocsPerRun(5, func() {
		for _, c := range data {
			for i := 7; i >= 0; i-- {
				_ = m.P1()
				m.Update(int(c>>uint(i)) & 1)
			}
		}
		m.Reset()
	})
	assert.Zero(t, allocs)
}

// bzip2 -9 sizes of the Canterbury files, measured with bzip2 1.0.8.
var orderkBzip2 = map[string]int{
	"alice29.txt":  43202,
	"asyoulik.txt": 39569,
	"lcet10.txt":   107706,
	"plrabn12.txt": 145577,
}

// TestOrderKRatio checks the acceptance criteria on the corpus: at the
// default setting the text files take less than bzip2 -9 (in total and
// each), and binaries no more than an ideal static order-0 coder. With
// -short only alice29.txt is checked.
func TestOrderKRatio(t *testing.T) {
	texts := []string{"alice29.txt", "asyoulik.txt", "lcet10.txt", "plrabn12.txt"}
	bins := []string{"kennedy.xls", "ptt5", "sum"}
	if testing.Short() {
		texts, bins = texts[:1], nil
	}
	m, err := NewOrderK(DefaultOrderK, DefaultOrderKMemBits)
	require.NoError(t, err)
	var total, bz float64
	for _, name := range texts {
		data := orderkCorpusFile(t, name)
		m.Reset()
		cost := orderkCost(m, data)
		t.Logf("%-12s %7d bytes: %9.0f (%.3f bits/byte), bzip2 -9 %d", name, len(data), cost, 8*cost/float64(len(data)), orderkBzip2[name])
		assert.Less(t, cost, 0.97*float64(orderkBzip2[name]), name)
		total += cost
		bz += float64(orderkBzip2[name])
	}
	assert.Less(t, total, 0.97*bz, "text total")
	for _, name := range bins {
		data := orderkCorpusFile(t, name)
		m.Reset()
		cost := orderkCost(m, data)
		h0 := orderkEntropy0(data)
		t.Logf("%-12s %7d bytes: %9.0f (%.3f bits/byte), H0·n %.0f", name, len(data), cost, 8*cost/float64(len(data)), h0)
		assert.Less(t, cost, 0.8*h0, name)
	}
}

// TestOrderKTable prints the trade-off table of the report: for each order
// and memBits, bits/byte of each file, the text total and ns/byte of
// P1+Update. Run with
//
//	go test ./model -run TestOrderKTable -orderk.table -v -timeout 30m
func TestOrderKTable(t *testing.T) {
	if !*orderkTable {
		t.Skip("run with -orderk.table")
	}
	files := []string{"alice29.txt", "asyoulik.txt", "lcet10.txt", "plrabn12.txt", "kennedy.xls", "ptt5", "sum"}
	data := make([][]byte, len(files))
	for i, f := range files {
		data[i] = orderkCorpusFile(t, f)
	}
	fmt.Println("| k | memBits | alice29 | asyoulik | lcet10 | plrabn12 | text total B | kennedy | ptt5 | sum | ns/B text |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, mem := range []int{20, 22, 24} {
		for k := 1; k <= MaxOrderK; k++ {
			m, err := NewOrderK(k, mem)
			require.NoError(t, err)
			line := fmt.Sprintf("| %d | %d |", k, mem)
			var text float64
			var dur time.Duration
			var textBytes int
			for i, d := range data {
				m.Reset()
				if i == 4 {
					line += fmt.Sprintf(" %.0f |", text)
				}
				cost := orderkCost(m, d)
				line += fmt.Sprintf(" %.3f |", 8*cost/float64(len(d)))
				if i < 4 {
					text += cost
					// Time P1+Update alone, best of 3.
					best := time.Duration(math.MaxInt64)
					for range 3 {
						m.Reset()
						start := time.Now()
						orderkDrive(m, d)
						best = min(best, time.Since(start))
					}
					dur += best
					textBytes += len(d)
				}
			}
			line += fmt.Sprintf(" %.0f |", float64(dur.Nanoseconds())/float64(textBytes))
			fmt.Println(line)
		}
	}
}

// BenchmarkOrderK runs P1+Update over the bits of alice29.txt from a reset
// model, for each order at the default memBits.
func BenchmarkOrderK(b *testing.B) {
	data := orderkCorpusFile(b, "alice29.txt")
	for k := 1; k <= MaxOrderK; k++ {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			m, err := NewOrderK(k, DefaultOrderKMemBits)
			require.NoError(b, err)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var sum uint32
			for b.Loop() {
				m.Reset()
				sum += orderkDrive(m, data)
			}
			m.Reset()
			b.ReportMetric(8*orderkCost(m, data)/float64(len(data)), "bits/byte")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(data)), "ns/B")
			_ = sum
		})
	}
}
