package markov

// Suite returns the sources of entzip's convergence tests and plots, in a
// fixed order, each with its fixed seed: i.i.d. skewed sources over 2, 16
// and 256 symbols; random chains of orders 1..3 over four ASCII letters;
// near-deterministic chains (a row's likeliest symbol has probability
// 0.99 or 0.999); a chain over bytes whose rows use 4 of the 256 values.
func Suite() []*Chain {
	const (
		acgt = "acgt"
		a16  = "abcdefghijklmnop"
	)
	bytes := make([]byte, 256)
	for i := range bytes {
		bytes[i] = byte(i)
	}
	return []*Chain{
		New("iid-a2", 0, []byte("ab"), Shape{Peak: 0.9}, 1),
		New("iid-a16", 0, []byte(a16), Shape{Skew: 3}, 2),
		New("iid-a256", 0, bytes, Shape{Skew: 4}, 3),
		New("markov1-a4", 1, []byte(acgt), Shape{Skew: 2}, 4),
		New("markov2-a4", 2, []byte(acgt), Shape{Skew: 2}, 5),
		New("markov3-a4", 3, []byte(acgt), Shape{Skew: 2}, 6),
		New("markov1-a16", 1, []byte(a16), Shape{Skew: 3}, 7),
		New("markov1-a4-p0.99", 1, []byte(acgt), Shape{Peak: 0.99}, 8),
		New("markov2-a2-p0.999", 2, []byte("ab"), Shape{Peak: 0.999}, 9),
		New("markov1-bytes-s4", 1, bytes, Shape{Skew: 2, Support: 4}, 10),
	}
}
