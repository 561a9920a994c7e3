package model

// Order0 is an adaptive order-0 model of bytes: it predicts the next byte
// from the counts of the bytes seen so far. Counts are halved when their sum
// reaches order0CountLimit, so the model follows changing statistics. The
// prediction is refreshed from the counts after every period symbols, the
// period doubling from 16 to 1024 as the model settles (deferred summation:
// an O(256) refresh amortized over the period keeps coding O(1) per symbol).
//
// Order0 implements SymbolModel with a total of 1<<16. The zero value is
// not ready; use NewOrder0.
type Order0 struct {
	table  freqTable
	counts [256]uint32
	sum    uint32
	left   int // symbols until the next refresh
	period int
}

const (
	order0CountLimit  = 1 << 16
	order0FirstPeriod = 16
	order0MaxPeriod   = 1024
)

// NewOrder0 returns an order-0 model predicting the uniform distribution.
func NewOrder0() *Order0 {
	m := new(Order0)
	m.Reset()
	return m
}

// Reset returns m to its initial state.
func (m *Order0) Reset() {
	m.counts = [256]uint32{}
	m.sum = 0
	m.period = order0FirstPeriod
	m.left = m.period
	m.table.build(&m.counts)
}

// Alphabet returns 256.
func (m *Order0) Alphabet() int { return 256 }

// Total returns 1<<16.
func (m *Order0) Total() uint32 { return freqTableSum }

// Interval returns the interval of byte s.
func (m *Order0) Interval(s int) (start, freq, total uint32) {
	start, freq = m.table.interval(s)
	return start, freq, freqTableSum
}

// Find returns the byte whose interval holds target.
func (m *Order0) Find(target uint32) (s int, start, freq uint32) {
	return m.table.find(target)
}

// Update counts byte s.
func (m *Order0) Update(s int) {
	m.counts[s&0xFF]++
	m.sum++
	if m.sum >= order0CountLimit {
		m.halve()
	}
	m.left--
	if m.left == 0 {
		if m.period < order0MaxPeriod {
			m.period *= 2
		}
		m.left = m.period
		m.table.build(&m.counts)
	}
}

func (m *Order0) halve() {
	m.sum = 0
	for s, c := range m.counts {
		c = (c + 1) / 2
		m.counts[s] = c
		m.sum += c
	}
}

// StaticOrder0 is the semi-static order-0 model: fixed frequencies built
// from the counts of a whole block, normalized as Order0's are. Coding a
// block of n bytes with it costs n·H0 plus the normalization loss, and the
// counts must reach the decoder with the data. It implements SymbolModel;
// Update does nothing.
type StaticOrder0 struct {
	table freqTable
}

// NewStaticOrder0 returns the static model of the 256 byte counts.
func NewStaticOrder0(counts *[256]uint32) *StaticOrder0 {
	m := new(StaticOrder0)
	m.table.build(counts)
	return m
}

// Alphabet returns 256.
func (m *StaticOrder0) Alphabet() int { return 256 }

// Total returns 1<<16.
func (m *StaticOrder0) Total() uint32 { return freqTableSum }

// Interval returns the interval of byte s.
func (m *StaticOrder0) Interval(s int) (start, freq, total uint32) {
	start, freq = m.table.interval(s)
	return start, freq, freqTableSum
}

// Find returns the byte whose interval holds target.
func (m *StaticOrder0) Find(target uint32) (s int, start, freq uint32) {
	return m.table.find(target)
}

// Update does nothing: the model is static.
func (m *StaticOrder0) Update(int) {}

// Reset does nothing: the model is static.
func (m *StaticOrder0) Reset() {}
