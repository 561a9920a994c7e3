package bench

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// h2 is the binary entropy function in bits.
func h2(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return -p*math.Log2(p) - (1-p)*math.Log2(1-p)
}

// TestEntropyDyadic checks a source whose probabilities are powers of two
// (a 1/2, b 1/4, c 1/8, d 1/8), where a Huffman code is exact, against
// values computed by hand.
func TestEntropyDyadic(t *testing.T) {
	const periods = 1000
	data := bytes.Repeat([]byte("aaaabbcd"), periods)
	p, err := Entropy(data, 5)
	require.NoError(t, err)
	n := float64(len(data))

	assert.Equal(t, int64(8000), p.N)
	assert.Equal(t, 4, p.Distinct)
	assert.InDelta(t, 1.75, p.H0, 1e-12)
	assert.InDelta(t, 1.75+3/(2*n*math.Ln2), p.MillerMadow, 1e-12)
	assert.InDelta(t, 2.0, p.Hartley, 1e-12)
	assert.InDelta(t, -math.Log2(0.25+1.0/16+1.0/64+1.0/64), p.Collision, 1e-12)
	assert.InDelta(t, 1.0, p.MinEntropy, 1e-12)
	assert.InDelta(t, math.Exp2(1.75), p.Perplexity, 1e-9)

	// Order 1, positions 1..7999: after a (4000 times) come 3000 a and
	// 1000 b; after b (2000) 1000 b and 1000 c; c and d determine the next
	// byte.
	assert.InDelta(t, (4000*h2(0.25)+2000)/7999, p.H[1], 1e-12)
	// Order 2: only "aa" (3000 times: a, a, b) is uncertain.
	assert.InDelta(t, 3000*h2(1.0/3)/7998, p.H[2], 1e-12)
	// Order 3: "aaa" (2000 times) is followed by a and b equally often.
	assert.InDelta(t, 2000.0/7997, p.H[3], 1e-12)
	// From order 4 on the context determines the next byte.
	assert.Equal(t, 0.0, p.H[4])
	assert.Equal(t, 0.0, p.H[5])
	assert.Equal(t, []int64{1, 4, 6, 7, 8, 8}, p.Contexts)

	// The bound of order 0 is n·H0 bits, the Huffman code's length.
	assert.InDelta(t, 1.75*n, p.BoundBits(0), 1e-9)
	assert.InDelta(t, 7999*p.H[1]+8, p.BoundBits(1), 1e-9)
}

// TestEntropyMarkov checks that H1 of a long two-state Markov chain
// approaches the chain's entropy rate π0·h(α) + π1·h(β), and that longer
// contexts do not find more (the chain has no memory beyond one step).
func TestEntropyMarkov(t *testing.T) {
	const (
		n     = 1 << 20
		alpha = 0.1 // P(0 → 1)
		beta  = 0.3 // P(1 → 0)
	)
	rng := rand.New(rand.NewPCG(7, 11))
	data := make([]byte, n)
	state := 0
	for i := range data {
		data[i] = "xy"[state]
		u := rng.Float64()
		if state == 0 && u < alpha || state == 1 && u < beta {
			state ^= 1
		}
	}
	p, err := Entropy(data, 3)
	require.NoError(t, err)
	pi0 := beta / (alpha + beta)
	rate := pi0*h2(alpha) + (1-pi0)*h2(beta)
	assert.InDelta(t, h2(1-pi0), p.H0, 0.01, "H0 is the entropy of the stationary distribution")
	assert.InDelta(t, rate, p.H[1], 0.005, "H1 is the entropy rate")
	assert.InDelta(t, p.H[1], p.H[2], 0.001)
	assert.InDelta(t, p.H[1], p.H[3], 0.001)
	assert.Less(t, p.H[1], p.H0)
}

// TestEntropyUniform checks a source using all 256 values equally often,
// and a de Bruijn sequence B(256, 2) in which every pair of bytes occurs
// exactly once, so that every context is followed by every byte once.
func TestEntropyUniform(t *testing.T) {
	var data []byte
	for range 64 {
		for b := range 256 {
			data = append(data, byte(b))
		}
	}
	p, err := Entropy(data, 1)
	require.NoError(t, err)
	assert.InDelta(t, 8, p.H0, 1e-12)
	assert.InDelta(t, 8, p.Hartley, 1e-12)
	assert.InDelta(t, 8, p.Collision, 1e-12)
	assert.InDelta(t, 8, p.MinEntropy, 1e-12)
	assert.InDelta(t, 256, p.Perplexity, 1e-9)
	assert.InDelta(t, 8+255/(2*float64(len(data))*math.Ln2), p.MillerMadow, 1e-12)
	assert.Equal(t, 0.0, p.H[1], "the counting sequence is predictable from one byte")

	db := deBruijn(256, 2)
	db = append(db, db[0]) // every pair once, without wrapping around
	require.Len(t, db, 65537)
	p, err = Entropy(db, 2)
	require.NoError(t, err)
	assert.InDelta(t, 8, p.H0, 1e-4)
	assert.InDelta(t, 8, p.H[1], 1e-12)
	assert.Equal(t, int64(256), p.Contexts[1])
	assert.Equal(t, 0.0, p.H[2])
}

// deBruijn returns the de Bruijn sequence B(k, n) (Lyndon-word
// construction): every string of n symbols of k occurs once, cyclically.
func deBruijn(k, n int) []byte {
	a := make([]int, k*n)
	var seq []byte
	var db func(t, p int)
	db = func(t, p int) {
		if t > n {
			if n%p == 0 {
				for _, x := range a[1 : p+1] {
					seq = append(seq, byte(x))
				}
			}
			return
		}
		a[t] = a[t-p]
		db(t+1, p)
		for j := a[t-p] + 1; j < k; j++ {
			a[t] = j
			db(t+1, t)
		}
	}
	db(1, 1)
	return seq
}

// naiveCondEntropy computes H_k with maps of strings, as the definition
// reads.
func naiveCondEntropy(data []byte, k int) float64 {
	if len(data) <= k {
		return 0
	}
	ctx := map[string]map[byte]int{}
	for i := k; i < len(data); i++ {
		c := string(data[i-k : i])
		if ctx[c] == nil {
			ctx[c] = map[byte]int{}
		}
		ctx[c][data[i]]++
	}
	var bits float64
	for _, m := range ctx {
		total := 0
		for _, c := range m {
			total += c
		}
		for _, c := range m {
			bits += float64(c) * math.Log2(float64(total)/float64(c))
		}
	}
	return bits / float64(len(data)-k)
}

// TestEntropyMatchesDefinition compares every order up to 8 with the
// definition on text and on random bytes of a small alphabet.
func TestEntropyMatchesDefinition(t *testing.T) {
	text, err := os.ReadFile("../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]byte, 20000)
	for i := range random {
		random[i] = byte(rng.IntN(5)) * 40
	}
	for name, data := range map[string][]byte{"text": text, "random": random, "short": []byte("abracadabra")} {
		p, err := Entropy(data, MaxEntropyOrder)
		require.NoError(t, err)
		for k := 0; k <= MaxEntropyOrder; k++ {
			assert.InDelta(t, naiveCondEntropy(data, k), p.H[k], 1e-9, "%s: H%d", name, k)
			if k > 0 {
				assert.LessOrEqual(t, p.H[k], p.H[k-1]+1e-9, "%s: H%d > H%d", name, k, k-1)
			}
		}
	}
}

func TestEntropyEdgeCases(t *testing.T) {
	p, err := Entropy(nil, 4)
	require.NoError(t, err)
	assert.Equal(t, Profile{H: make([]float64, 5), Contexts: make([]int64, 5)}, p)

	p, err = Entropy([]byte("zz"), 4)
	require.NoError(t, err)
	assert.Equal(t, 0.0, p.H0)
	assert.Equal(t, 0.0, p.Hartley)
	assert.Equal(t, 1.0, p.Perplexity)
	assert.Equal(t, []float64{0, 0, 0, 0, 0}, p.H)
	assert.Equal(t, 16.0, p.BoundBits(4), "bytes without a full context cost 8 bits")

	_, err = Entropy([]byte("x"), MaxEntropyOrder+1)
	assert.Error(t, err)
	_, err = Entropy([]byte("x"), -1)
	assert.Error(t, err)
}

func BenchmarkEntropy(b *testing.B) {
	data := corpusOrAlice(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Entropy(data, DefaultMaxOrder); err != nil {
			b.Fatal(err)
		}
	}
}
