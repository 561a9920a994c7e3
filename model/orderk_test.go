package model

import (
	"bytes"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/markov"
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

// orderkRun feeds data to m bit by bit (the bits of each byte's codeword
// for a PrefixBitModel, whose default code is the byte's 8 bits) and
// calls f with each bit's P1.
func orderkRun(m BitModel, data []byte, f func(p uint32, bit int)) {
	pm, coded := m.(PrefixBitModel)
	for _, c := range data {
		code, n := uint32(c), 8
		if coded {
			code, n = pm.Codeword(c)
		}
		for i := n - 1; i >= 0; i-- {
			bit := int(code>>uint(i)) & 1
			p := m.P1()
			f(p, bit)
			m.Update(bit)
		}
	}
}

// orderkDrive runs P1+Update over the bits of data's codewords, as a
// coder would, and returns a sum of the predictions.
func orderkDrive(m *OrderK, data []byte) uint32 {
	var sum uint32
	for _, c := range data {
		code, n := m.Codeword(c)
		for i := n - 1; i >= 0; i-- {
			sum += m.P1()
			m.Update(int(code>>uint(i)) & 1)
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
		{1, MinOrderKMemBits, OrderKRevLong, 0x43243ccf063e1683}, // 256 codewords, not stationary: narrow
		{3, MinOrderKMemBits, OrderKRevLong, 0xf6d62877134e4fda},
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
// model of revision OrderKRevWide or later and order ≤ MaxWideOrder uses
// while its code has at most wideSymbols codewords, and checks that with
// more it predicts as revision OrderKRevNarrow does, unless (from
// OrderKRevLong on) it is told the frame is stationary.
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
		rev, order   int
		want, marked uint64 // 16 codewords; 17 codewords marked stationary
	}{
		{OrderKRevWide, 1, 0x2ba00d43bd66e119, 0},
		{OrderKRevWide, 2, 0x7b35d065f0b53cd5, 0},
		{OrderKRevWide, 3, 0xfa4f7824aeab440f, 0},
		{OrderKRevLong, 1, 0xecf2acd8159d7758, 0x774f13304cb926f5},
		{OrderKRevLong, 2, 0x2215be7b9efb238a, 0x7ed8c756c4a03d55},
		{OrderKRevLong, 3, 0x7c86bd140df77eb0, 0x5add02f2a1a04115},
	}
	for _, tt := range tests {
		wide, err := NewOrderKRev(tt.order, MinOrderKMemBits, tt.rev)
		require.NoError(t, err)
		assert.Equal(t, tt.want, orderkCodeHash(t, wide, &lens16, small), "revision %d order %d, 16 codewords", tt.rev, tt.order)
		assert.True(t, wide.wide)

		narrow, err := NewOrderKRev(tt.order, MinOrderKMemBits, OrderKRevNarrow)
		require.NoError(t, err)
		wide, err = NewOrderKRev(tt.order, MinOrderKMemBits, tt.rev)
		require.NoError(t, err)
		assert.Equal(t, orderkCodeHash(t, narrow, &lens17, small), orderkCodeHash(t, wide, &lens17, small), "revision %d order %d, 17 codewords", tt.rev, tt.order)
		assert.False(t, wide.wide)

		// Back to 16 codewords: wide counters again, afresh.
		_ = orderkCodeHash(t, wide, &lens16, small)
		assert.True(t, wide.wide)

		// 17 codewords in a stationary frame: wide from OrderKRevLong on.
		marked, err := NewOrderKRev(tt.order, MinOrderKMemBits, tt.rev)
		require.NoError(t, err)
		require.NoError(t, marked.SetStationary(true))
		h := orderkCodeHash(t, marked, &lens17, small)
		if tt.rev < OrderKRevLong {
			narrow, err := NewOrderKRev(tt.order, MinOrderKMemBits, OrderKRevNarrow)
			require.NoError(t, err)
			assert.False(t, marked.wide, "revision %d ignores the mark", tt.rev)
			assert.Equal(t, orderkCodeHash(t, narrow, &lens17, small), h, "revision %d ignores the mark", tt.rev)
			continue
		}
		assert.True(t, marked.wide)
		assert.Equal(t, tt.marked, h, "revision %d order %d, 17 codewords, stationary", tt.rev, tt.order)
		require.NoError(t, marked.SetStationary(false))
		assert.False(t, marked.wide)
	}
}

// TestWideCounterLong: the uint64 counters of OrderKRevLong learn a bit
// of p = 0.001 to within 10 % (their count reaches 65535), where the
// uint32 ones of OrderKRevWide, averaging over 1023 updates with 22 bits,
// wander by more.
func TestWideCounterLong(t *testing.T) {
	var c64 uint64
	var c32 uint32
	ps64, rb64, cm64 := wideLayout[uint64]()
	ps32, rb32, cm32 := wideLayout[uint32]()
	var worst32 float64
	for i := range 400000 {
		y := uint32(0)
		if i%1000 == 999 {
			y = 1
		}
		c64 = wideUpdate(c64, wideTarget[uint64](y), &wideRates[1][1], ps64, rb64, cm64)
		c32 = wideUpdate(c32, wideTarget[uint32](y), &wideRates[0][1], ps32, rb32, cm32)
		if i >= 200000 {
			worst32 = max(worst32, math.Abs(float64((c32^wideXor[uint32]())>>10)/(1<<22)/0.001-1))
			p := float64((c64^wideXor[uint64]())>>32) / (1 << 32)
			require.InDelta(t, 0.001, p, 0.0001, "update %d", i)
		}
	}
	assert.Equal(t, uint32(1<<16-1), wideCount(c64))
	assert.Equal(t, uint32(1<<10-1), wideCount(c32))
	assert.Greater(t, worst32, 0.5, "the uint32 counter wanders more than 50 % around p")
}

// TestWideMixerSettles: on a stream of one repeated byte, the weights of
// an OrderKRevLong model stop growing once its prediction is as sure as
// Squash allows, instead of growing until they overflow.
func TestWideMixerSettles(t *testing.T) {
	m, err := NewOrderK(2, MinOrderKMemBits)
	require.NoError(t, err)
	var lens [256]uint8
	lens['a'], lens['b'] = 1, 1
	data := bytes.Repeat([]byte{'a'}, 1<<17)
	_ = orderkCodeHash(t, m, &lens, data)
	require.True(t, m.wide)
	before := slices.Clone(m.w)
	_ = orderkCodeHash(t, m, &lens, data)
	assert.Equal(t, before, m.w)
	assert.Equal(t, uint32(1), m.P1(), "P(1) as small as Squash gives")
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
// model, for each order at the default memBits; then, side by side, the
// narrow and wide counters at orders 1..3 (benchOrderKPaths).
func BenchmarkOrderK(b *testing.B) {
	data := orderkCorpusFile(b, "alice29.txt")
	for k := 1; k <= MaxOrderK; k++ {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			m, err := NewOrderK(k, DefaultOrderKMemBits)
			require.NoError(b, err)
			benchOrderK(b, m, data)
		})
	}
	benchOrderKPaths(b)
}

// benchOrderKPaths measures OrderK's paths over the codewords of 2^20
// bytes: a 4-letter source (an order-2 chain of internal/markov's Suite
// coded as 2-bit codewords, as E.coli is: wide counters of both
// revisions, or narrow ones under revision OrderKRevNarrow) and i.i.d.
// bytes of a 256-symbol skewed source (narrow, or wide when marked
// stationary).
func benchOrderKPaths(b *testing.B) {
	chains := map[string]*markov.Chain{}
	for _, c := range markov.Suite() {
		chains[c.Name] = c
	}
	acgt := chains["markov2-a4"].Sample(1<<20, 1)
	var lens4 [256]uint8
	for _, c := range []byte("acgt") {
		lens4[c] = 2
	}
	bytes256 := chains["iid-a256"].Sample(1<<20, 2)
	var lens256 [256]uint8
	for i := range lens256 {
		lens256[i] = 8
	}
	paths := []struct {
		name       string
		rev        int
		stationary bool
		data       []byte
		lens       *[256]uint8
	}{
		{"a4/narrow", OrderKRevNarrow, false, acgt, &lens4},
		{"a4/wide32", OrderKRevWide, false, acgt, &lens4},
		{"a4/wide64", OrderKRevLong, false, acgt, &lens4},
		{"a256/narrow", OrderKRevLong, false, bytes256, &lens256},
		{"a256/wide64", OrderKRevLong, true, bytes256, &lens256},
	}
	for k := 1; k <= MaxWideOrder; k++ {
		for _, p := range paths {
			b.Run(fmt.Sprintf("%s/k=%d", p.name, k), func(b *testing.B) {
				m, err := NewOrderKRev(k, DefaultOrderKMemBits, p.rev)
				require.NoError(b, err)
				require.NoError(b, m.SetStationary(p.stationary))
				require.NoError(b, m.SetCode(p.lens))
				benchOrderK(b, m, p.data)
			})
		}
	}
}

// benchOrderK runs P1+Update over the codewords of data from a reset m,
// reporting bytes/s, allocations, bits/byte and ns/byte.
func benchOrderK(b *testing.B, m *OrderK, data []byte) {
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
}
