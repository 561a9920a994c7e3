// Package markov generates stationary Markov sources of bytes with a known
// entropy rate, for tests and measurements that check how close a model
// comes to it (the source coding theorem made concrete).
//
// A Chain of order k over an alphabet of m byte values draws each symbol
// from the row of its context, the previous k symbols; order 0 is an
// i.i.d. source. Rows are integer frequencies summing to RowTotal, so a
// sample is the same on every GOARCH (math/rand/v2's PCG with a fixed
// seed, integer arithmetic only), and the entropy rate is that of exactly
// the distribution sampled:
//
//	H = Σ_s π(s) · H(row s)   bits per symbol
//
// with π the stationary distribution of the contexts (EntropyRate).
package markov

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// RowTotal is the sum of every row's frequencies.
const RowTotal = 1 << 24

// A Chain is a stationary Markov source of bytes; see the package
// documentation. A Chain is immutable and safe for concurrent use.
type Chain struct {
	// Name says what the source is, e.g. "markov2-a4-random".
	Name string
	// Order is k, the number of previous symbols a row depends on.
	Order int
	// Alphabet holds the m byte values the source emits; symbol i is
	// Alphabet[i].
	Alphabet []byte
	// Rows[c] is the row of context c = Σ_j s_j·m^(j−1) over the previous
	// symbols s_1 (latest) .. s_k, so after symbol s the context becomes
	// (c·m + s) mod m^k: Rows[c][i] is the frequency of symbol i, out of
	// RowTotal. A row may give symbols frequency 0.
	Rows [][]uint32
	// Params is the number of free parameters: m^k·(m−1), less one per
	// symbol a row leaves out.
	Params int
}

// Shape chooses how New draws a row.
type Shape struct {
	// Skew, if above 0, makes rows skewed: symbol i's weight is
	// u_i^Skew for u_i uniform in [0, 1), so larger is more skewed.
	Skew int
	// Peak, if above 0, makes rows near-deterministic: one symbol, drawn
	// at random, gets probability Peak (e.g. 0.99) and the others share
	// the rest equally (Skew is ignored), so every row has the same
	// entropy.
	Peak float64
	// Support, if above 0, limits each row to that many symbols, drawn at
	// random; the others get frequency 0.
	Support int
}

// New returns a chain of the given order over alphabet whose rows are
// drawn with shape from the PCG generator seeded with seed.
func New(name string, order int, alphabet []byte, shape Shape, seed uint64) *Chain {
	m := len(alphabet)
	if m < 2 || order < 0 {
		panic(fmt.Sprintf("markov: order %d over %d symbols", order, m))
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d61726b6f76))
	contexts := 1
	for range order {
		contexts *= m
	}
	c := &Chain{Name: name, Order: order, Alphabet: slices.Clone(alphabet), Rows: make([][]uint32, contexts)}
	for i := range c.Rows {
		c.Rows[i] = drawRow(rng, m, shape)
		for _, f := range c.Rows[i] {
			if f != 0 {
				c.Params++
			}
		}
		c.Params--
	}
	return c
}

// drawRow returns one row of m frequencies with the given shape.
func drawRow(rng *rand.Rand, m int, shape Shape) []uint32 {
	support := m
	if shape.Support > 0 {
		support = min(shape.Support, m)
	}
	syms := rng.Perm(m)[:support]
	w := make([]uint64, support)
	for i := range w {
		if shape.Peak > 0 {
			w[i] = 1
			continue
		}
		u := rng.Uint64()>>40 + 1 // 1..2^24
		v := u
		for range shape.Skew - 1 {
			v = v * u >> 24
		}
		w[i] = max(v, 1)
	}
	row := make([]uint32, m)
	total := uint64(RowTotal)
	if shape.Peak > 0 {
		peak := uint64(math.Round(shape.Peak * RowTotal))
		row[syms[0]] = uint32(peak)
		total -= peak
		syms, w = syms[1:], w[1:]
	}
	spread(row, syms, w, total)
	return row
}

// spread shares total among row[syms[i]] in proportion to w[i], each at
// least 1, the rounding remainder going to the largest.
func spread(row []uint32, syms []int, w []uint64, total uint64) {
	var sum uint64
	for _, x := range w {
		sum += x
	}
	left := total
	big := 0
	for i, s := range syms {
		f := max(w[i]*total/sum, 1)
		row[s] = uint32(f)
		left -= f
		if w[i] > w[big] {
			big = i
		}
	}
	row[syms[big]] += uint32(left)
}

// Sample returns n symbols of the chain, drawn from the PCG generator
// seeded with seed after a burn-in of 1000 symbols from the context of
// symbol 0 repeated.
func (c *Chain) Sample(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 0x73616d706c65))
	cums := make([][]uint32, len(c.Rows))
	for i, row := range c.Rows {
		cums[i] = make([]uint32, len(row))
		var acc uint32
		for j, f := range row {
			acc += f
			cums[i][j] = acc
		}
	}
	out := make([]byte, 0, n)
	ctx, m, contexts := 0, len(c.Alphabet), len(c.Rows)
	const burnIn = 1000
	for i := range n + burnIn {
		r := uint32(rng.Uint64() >> 40) // uniform in [0, RowTotal)
		s, _ := slices.BinarySearch(cums[ctx], r+1)
		ctx = (ctx*m + s) % contexts
		if i >= burnIn {
			out = append(out, c.Alphabet[s])
		}
	}
	return out
}
