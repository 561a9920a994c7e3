package container

// stationary reports whether the bytes of a frame look drawn from one
// stationary source, the mark of a codewords frame (docs/FORMAT.md
// "Adaptive streams") that gives orderk's wide counters to its frames of
// many symbols (model.OrderK.SetStationary). The frame's first
// stationaryChunks·m bytes (m = ⌊len/stationaryChunks⌋) are cut into
// stationaryChunks chunks of m bytes, and with h_c[s] the count of byte s
// in chunk c and H_s = Σ_c h_c[s] the test is Pearson's chi-square of the
// chunks' histograms against their sum,
//
//	X² = Σ_s (stationaryChunks · Σ_c h_c[s]² / H_s − H_s),
//
// whose mean is (stationaryChunks − 1)·(S − 1) = df for S distinct bytes
// when every chunk draws independent bytes from the same distribution: a
// frame is stationary if X² < 1.5·df. The sources of internal/markov's
// Suite gave X²/df between 0.96 and 1.05 over 256 symbols (10^4..10^6
// bytes), up to 1.45 for the chains over 4 and 16 symbols, whose
// symbols are correlated (and 30..90 for the chain whose rows put 0.99 on
// one symbol, whose runs no chunk size averages); text and binaries drift
// from chunk to chunk, and the files of the shared corpus gave 2.0
// (cp.html, 25 KB) to 113 (kennedy.xls), 1.9 for xargs.1. Frames shorter
// than stationaryMinLen are not stationary: their chunks are too small to
// tell, and too short for long memory to pay. The sums are integers (X²
// in 1/64 units, each term floored), so both sides of a solid stream
// decide alike for a frame stored raw.
func stationary(src []byte) bool {
	if len(src) < stationaryMinLen {
		return false
	}
	m := len(src) / stationaryChunks
	var h [stationaryChunks][256]uint32
	for c := range h {
		for _, b := range src[c*m : (c+1)*m] {
			h[c][b]++
		}
	}
	// x = 64·(X² + N) = Σ_s 64·stationaryChunks·Σ_c h_c[s]² / H_s, with
	// N = stationaryChunks·m; Σ_c h_c[s]² ≤ m·H_s < 2^52, so the products
	// stay below 2^62.
	var x, used uint64
	for s := range 256 {
		var sum, sq uint64
		for c := range h {
			v := uint64(h[c][s])
			sum += v
			sq += v * v
		}
		if sum != 0 {
			used++
			x += sq * (64 * stationaryChunks) / sum
		}
	}
	if used < 2 {
		return false
	}
	df := (stationaryChunks - 1) * (used - 1)
	n := uint64(stationaryChunks * m)
	return x < 64*n+96*df // X² < 1.5·df
}

// stationaryChunks is the number of chunks stationary compares;
// stationaryMinLen the shortest frame it may find stationary.
const (
	stationaryChunks = 16
	stationaryMinLen = 1 << 14
)
