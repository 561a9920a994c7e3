package markov

import "math"

// Stationary returns the stationary distribution π of the chain's
// contexts: π·P = π and Σ π = 1, where context c goes to (c·m + s) mod
// m^k with probability Rows[c][s]/RowTotal. It solves the linear system by
// Gaussian elimination with partial pivoting (m^k ≤ a few thousand). The
// chain must have a single recurrent class, which random rows give.
func (c *Chain) Stationary() []float64 {
	k, m := len(c.Rows), len(c.Alphabet)
	if k == 1 {
		return []float64{1}
	}
	// a·π = b with a = (P − I)ᵀ, its last equation replaced by Σ π = 1.
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k+1)
		a[i][i] = -1
	}
	for from, row := range c.Rows {
		for s, f := range row {
			to := (from*m + s) % k
			a[to][from] += float64(f) / RowTotal
		}
	}
	for j := range k {
		a[k-1][j] = 1
	}
	a[k-1][k] = 1
	for col := range k {
		piv := col
		for r := col + 1; r < k; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		for r := range k {
			if r == col || a[r][col] == 0 {
				continue
			}
			f := a[r][col] / a[col][col]
			for j := col; j <= k; j++ {
				a[r][j] -= f * a[col][j]
			}
		}
	}
	pi := make([]float64, k)
	for i := range pi {
		pi[i] = a[i][k] / a[i][i]
	}
	return pi
}

// EntropyRate returns the chain's entropy rate in bits per symbol,
// Σ_c π(c)·H(Rows[c]).
func (c *Chain) EntropyRate() float64 {
	h := 0.0
	for i, p := range c.Stationary() {
		h += p * rowEntropy(c.Rows[i])
	}
	return h
}

// InfoStdDev returns the standard deviation, in bits, of the
// information −Σ log2 P(x_i | context) of a sample of n symbols around its
// mean n·H from the rows' variances alone: sqrt(n·Σ_c π(c)·Var_c), where
// Var_c is the variance of −log2 p under row c. It is exact when every
// row has the same entropy (Shape.Peak, order 0) and a lower bound
// otherwise.
func (c *Chain) InfoStdDev(n int) float64 {
	v := 0.0
	for i, p := range c.Stationary() {
		h, m2 := rowMoments(c.Rows[i])
		v += p * (m2 - h*h)
	}
	return math.Sqrt(float64(n) * max(v, 0))
}

// rowEntropy returns the entropy of one row in bits.
func rowEntropy(row []uint32) float64 {
	h, _ := rowMoments(row)
	return h
}

// rowMoments returns the mean h (the row's entropy) and the second moment
// m2 of the information −log2 q of one row's symbols, in bits.
func rowMoments(row []uint32) (h, m2 float64) {
	for _, f := range row {
		if f != 0 {
			q := float64(f) / RowTotal
			l := math.Log2(q)
			h -= q * l
			m2 += q * l * l
		}
	}
	return h, m2
}

// Info returns the information of sample x under the chain in bits,
// −Σ log2 P(x_i | x_{i−k} .. x_{i−1}) over i ≥ k (the first k symbols,
// whose context precedes x, are left out), or +Inf if the chain cannot
// emit x. It is the ideal code length of x given the true rows; its mean
// over samples is about n·EntropyRate.
func (c *Chain) Info(x []byte) float64 {
	var index [256]int
	for i := range index {
		index[i] = -1
	}
	for i, b := range c.Alphabet {
		index[b] = i
	}
	m, contexts := len(c.Alphabet), len(c.Rows)
	bits, ctx := 0.0, 0
	for i, b := range x {
		s := index[b]
		if s < 0 {
			return math.Inf(1)
		}
		if i >= c.Order {
			f := c.Rows[ctx][s]
			if f == 0 {
				return math.Inf(1)
			}
			bits -= math.Log2(float64(f) / RowTotal)
		}
		ctx = (ctx*m + s) % contexts
	}
	return bits
}
