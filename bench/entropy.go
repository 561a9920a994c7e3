package bench

import (
	"fmt"
	"math"

	"github.com/entzip/entzip/internal/empirical"
)

// MaxEntropyOrder is the highest context order Entropy computes: a context
// of up to 8 bytes is one uint64 key.
const MaxEntropyOrder = 8

// DefaultMaxOrder is the highest order of the bounds Run reports per file.
const DefaultMaxOrder = 4

// A Profile is the empirical entropy profile of a byte string of N bytes,
// in bits per byte. With c(s) the number of times byte s occurs, m the
// number of distinct bytes and p(s) = c(s)/N:
//
//	H0          = Σ_s p(s)·log2(1/p(s))          the empirical (plug-in) entropy
//	MillerMadow = H0 + (m−1)/(2·N·ln 2)          H0 with its first-order bias removed
//	Hartley     = log2 m                         (max-entropy, H_0 of Rényi)
//	Collision   = −log2 Σ_s p(s)²                Rényi entropy of order 2
//	MinEntropy  = −log2 max_s p(s)               Rényi entropy of order ∞
//	Perplexity  = 2^H0                           the effective alphabet size
//
// and, for each order k = 1..len(H)−1, the empirical conditional entropy of
// a byte given the k bytes before it:
//
//	H[k] = (1/N_k) Σ_ctx Σ_s c(ctx,s)·log2(c(ctx)/c(ctx,s)),   N_k = N − k
//
// where the sum runs over the positions i = k..N−1 (the first k bytes, which
// have no full context, are skipped), ctx is the k bytes before position i,
// c(ctx,s) counts ctx followed by s and c(ctx) = Σ_s c(ctx,s). H[0] = H0.
//
// N·H0 bits is what the best static order-0 code would cost if its table
// were free, and N_k·H[k] (plus k·8 bits for the skipped bytes) what the
// best static per-context order-k code would cost: a lower bound for
// semi-static coders of that order, which must also send their tables. An
// adaptive model pays no table but must learn, and can beat H[k] on
// structured data (it may use longer contexts, or follow statistics that
// change along the file); H[k] never increases with k, and for large k it
// falls towards 0 as every context becomes unique, which is the price of
// the ignored tables, not compressibility.
//
// All counts are exact integers: contexts are keys of up to 8 bytes, sorted
// by radix sort, never hashed lossily; only the final sums use floats.
type Profile struct {
	N           int64     `json:"n"`            // bytes
	Distinct    int       `json:"distinct"`     // m, the number of distinct byte values
	H0          float64   `json:"h0"`           // bits/byte
	MillerMadow float64   `json:"miller_madow"` // bits/byte
	Hartley     float64   `json:"hartley"`      // bits/byte
	Collision   float64   `json:"collision"`    // bits/byte, Rényi H2
	MinEntropy  float64   `json:"min_entropy"`  // bits/byte, Rényi H∞
	Perplexity  float64   `json:"perplexity"`   // symbols
	H           []float64 `json:"h"`            // H[k] for k = 0..MaxOrder, bits/byte; H[0] = H0
	Contexts    []int64   `json:"contexts"`     // distinct contexts of each order; Contexts[0] = 1 (0 if N = 0)
}

// MaxOrder returns the highest order in p.H.
func (p *Profile) MaxOrder() int { return len(p.H) - 1 }

// BoundBits returns the bound in bits on the whole string for order k: the
// cost of the best static order-k model with its parameters free,
// N_k·H[k] + 8·min(k, N) (the first k bytes counted at 8 bits each).
func (p *Profile) BoundBits(k int) float64 {
	nk := max(p.N-int64(k), 0)
	return float64(nk)*p.H[k] + 8*float64(p.N-nk)
}

// Entropy returns the entropy profile of data with the conditional
// entropies H1..H_maxOrder (0 ≤ maxOrder ≤ MaxEntropyOrder). Its time is
// O(N·maxOrder²) and it allocates about 18·N bytes while counting an order
// of 1 or more.
func Entropy(data []byte, maxOrder int) (Profile, error) {
	if maxOrder < 0 || maxOrder > MaxEntropyOrder {
		return Profile{}, fmt.Errorf("bench: entropy order %d out of range 0..%d", maxOrder, MaxEntropyOrder)
	}
	n := int64(len(data))
	p := Profile{N: n, H: make([]float64, maxOrder+1), Contexts: make([]int64, maxOrder+1)}
	if n == 0 {
		return p, nil
	}
	var counts [256]int64
	for _, b := range data {
		counts[b]++
	}
	var sumClogC, sumC2 float64
	var maxC int64
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p.Distinct++
		sumClogC += empirical.XLog2X(c)
		sumC2 += float64(c) * float64(c)
		maxC = max(maxC, c)
	}
	fn := float64(n)
	p.H0 = empirical.NonNeg((empirical.XLog2X(n) - sumClogC) / fn)
	p.H[0] = p.H0
	p.Contexts[0] = 1
	p.MillerMadow = p.H0 + float64(p.Distinct-1)/(2*fn*math.Ln2)
	p.Hartley = math.Log2(float64(p.Distinct))
	p.Collision = empirical.NonNeg(2*math.Log2(fn) - math.Log2(sumC2))
	p.MinEntropy = empirical.NonNeg(math.Log2(fn / float64(maxC)))
	p.Perplexity = math.Exp2(p.H0)

	var s empirical.Sorter
	for k := 1; k <= maxOrder; k++ {
		bits, ctxs := s.CondBits(data, k, true, 0)
		p.Contexts[k] = ctxs
		if nk := n - int64(k); nk > 0 {
			p.H[k] = bits / float64(nk)
		}
	}
	return p, nil
}
