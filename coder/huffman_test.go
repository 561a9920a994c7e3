package coder

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// roundTrip encodes src, checks it decodes back and returns the block.
func roundTrip(t *testing.T, src []byte, order int) []byte {
	t.Helper()
	enc, err := EncodeHuffman([]byte("prefix"), src, order)
	require.NoError(t, err)
	require.Equal(t, "prefix", string(enc[:6]))
	enc = enc[6:]
	dec, err := DecodeHuffman([]byte("x"), enc, len(src), order)
	require.NoError(t, err)
	require.Equal(t, "x", string(dec[:1]))
	if !bytes.Equal(src, dec[1:]) {
		require.FailNow(t, "round trip differs", "order %d, %d bytes: first difference at %d", order, len(src), firstDiff(src, dec[1:]))
	}
	return enc
}

// firstDiff returns the first index where a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestHuffmanRoundTripEdges(t *testing.T) {
	all := make([]byte, 0, 4096)
	for i := range 4096 {
		all = append(all, byte(i*7))
	}
	skewed := make([]byte, 5000)
	for i := range skewed {
		if i%97 == 0 {
			skewed[i] = byte(i)
		}
	}
	cases := map[string][]byte{
		"empty":      {},
		"one":        {'a'},
		"two":        {'a', 'b'},
		"repeat":     bytes.Repeat([]byte{'z'}, 100000),
		"all256":     all,
		"random":     randomBytes(1, 70000),
		"random300":  randomBytes(2, 300),
		"twoSymbols": bytes.Repeat([]byte("ab"), 3000),
		"skewed":     skewed,
		"text":       []byte("the quick brown fox jumps over the lazy dog; the quick brown fox jumps over the lazy dog again and again"),
	}
	for name, src := range cases {
		for order := range 3 {
			enc := roundTrip(t, src, order)
			require.LessOrEqual(t, len(enc), len(src)+1, "%s order %d", name, order)
		}
	}
	for order := range 3 {
		require.Len(t, roundTrip(t, cases["repeat"], order), 2)
		require.Len(t, roundTrip(t, nil, order), 1)
	}
}

func TestHuffmanRoundTripRandomSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		n := rng.IntN(2000)
		alpha := 1 + rng.IntN(40)
		src := make([]byte, n)
		for i := range src {
			src[i] = byte('a' + rng.IntN(alpha)*rng.IntN(2))
		}
		roundTrip(t, src, rng.IntN(3))
	}
}

func TestHuffmanCorpus(t *testing.T) {
	names := []string{"alice29.txt", "asyoulik.txt", "cp.html", "fields.c", "grammar.lsp", "kennedy.xls", "lcet10.txt", "plrabn12.txt", "ptt5", "sum", "xargs.1"}
	for _, name := range names {
		src := corpusFile(t, "canterbury/"+name)
		var bpb [3]float64
		for order := range 3 {
			enc := roundTrip(t, src, order)
			bpb[order] = float64(8*len(enc)) / float64(len(src))
		}
		t.Logf("%-13s %8d bytes  bits/byte order0 %.3f  order1 %.3f  order2 %.3f", name, len(src), bpb[0], bpb[1], bpb[2])
	}
}

func TestHuffmanDeterministic(t *testing.T) {
	src := textBuffer(t, 200000)
	for order := range 3 {
		a, err := EncodeHuffman(nil, src, order)
		require.NoError(t, err)
		b, err := EncodeHuffman(nil, src, order)
		require.NoError(t, err)
		require.Equal(t, a, b)
	}
}

// entropyBits returns n·H0 of src in bits and the largest probability.
func entropyBits(src []byte) (bits, pmax float64) {
	var counts [256]int
	for _, b := range src {
		counts[b]++
	}
	n := float64(len(src))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			bits -= float64(c) * math.Log2(p)
			pmax = max(pmax, p)
		}
	}
	return bits, pmax
}

// TestHuffmanRedundancy checks the order-0 size against Gallager's bound
// for Huffman codes, average length < H0 + p_max + 0.086 (p_max < 1/2),
// plus the measured cost of the length limit (limited minus unlimited
// optimal cost), the table (≤ 11+448 bytes), the stream sizes (≤ 15 bytes),
// stream padding (4 bytes) and the header byte.
func TestHuffmanRedundancy(t *testing.T) {
	srcs := [][]byte{textBuffer(t, 1<<20), corpusFile(t, "canterbury/kennedy.xls"), corpusFile(t, "canterbury/sum")}
	for _, src := range srcs {
		var counts [256]uint32
		for _, b := range src {
			counts[b]++
		}
		unl, err := HuffmanLengths(counts[:], 32)
		require.NoError(t, err)
		lim, err := HuffmanLengths(counts[:], MaxHuffmanBits)
		require.NoError(t, err)
		limitCost := float64(cost(counts[:], lim) - cost(counts[:], unl))
		h, pmax := entropyBits(src)
		require.Less(t, pmax, 0.5)
		bound := (h+float64(len(src))*(pmax+0.086)+limitCost)/8 + 459 + 15 + 4 + 1
		enc := roundTrip(t, src, 0)
		require.LessOrEqual(t, float64(len(enc)), bound)
		t.Logf("%d bytes: H0 %.0f bytes, coded %d, bound %.0f", len(src), h/8, len(enc), bound)
	}
}

// TestHuffmanDyadic checks that a source with power-of-two probabilities is
// coded at exactly its entropy plus the block overhead.
func TestHuffmanDyadic(t *testing.T) {
	// p = 1/2, 1/4, 1/8, 1/16, 1/32, 1/32.
	weights := []int{16, 8, 4, 2, 1, 1}
	var src []byte
	for range 2048 {
		for s, w := range weights {
			for range w {
				src = append(src, 'a'+byte(s))
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	rng.Shuffle(len(src), func(i, j int) { src[i], src[j] = src[j], src[i] })
	h, _ := entropyBits(src)
	require.Equal(t, 1.9375*float64(len(src)), h)
	enc := roundTrip(t, src, 0)
	// Header byte, CL code and table (< 40 bytes), stream sizes (≤ 9)
	// and the padding of four streams.
	require.LessOrEqual(t, len(enc), int(h/8)+1+40+9+4)
}

func TestHuffmanBadArgs(t *testing.T) {
	_, err := EncodeHuffman(nil, []byte("abc"), 3)
	require.Error(t, err)
	_, err = EncodeHuffman(nil, []byte("abc"), -1)
	require.Error(t, err)
	_, err = DecodeHuffman(nil, []byte{0}, 0, 3)
	require.Error(t, err)
	_, err = DecodeHuffman(nil, []byte{0}, -1, 0)
	require.Error(t, err)
}

func TestHuffmanCorrupt(t *testing.T) {
	text := textBuffer(t, 3000)
	for order := range 3 {
		enc, err := EncodeHuffman(nil, text, order)
		require.NoError(t, err)
		require.Equal(t, byte(hmHuffman), enc[0]&3)
		// Every truncation and every one-byte extension fails cleanly.
		for i := range len(enc) {
			_, err := DecodeHuffman(nil, enc[:i], len(text), order)
			require.ErrorIs(t, err, ErrCorrupt, "order %d, truncated to %d", order, i)
		}
		_, err = DecodeHuffman(nil, append(enc[:len(enc):len(enc)], 0), len(text), order)
		require.ErrorIs(t, err, ErrCorrupt)
		// Wrong order in the header.
		_, err = DecodeHuffman(nil, enc, len(text), (order+1)%3)
		require.ErrorIs(t, err, ErrCorrupt)
		// Bit flips: an error or some output, never a panic, and never
		// more than n bytes.
		rng := rand.New(rand.NewPCG(uint64(order), 3))
		for range 2000 {
			bad := append([]byte(nil), enc...)
			bad[rng.IntN(len(bad))] ^= 1 << rng.IntN(8)
			out, err := DecodeHuffman(nil, bad, len(text), order)
			if err != nil {
				require.ErrorIs(t, err, ErrCorrupt)
				require.Empty(t, out)
			} else {
				require.Len(t, out, len(text))
			}
		}
	}
}

// table writes a hand-made order-0 Huffman block: the CL code gives every
// CL symbol 1..11 and 0 a length, then the given token stream.
func handBlock(t *testing.T, lens []uint8, stream []byte) []byte {
	t.Helper()
	var s encScratch
	s.toks = appendDesc(nil, lens)
	// A CL code covering all 27 symbols so any table can be written.
	for i := range clSymbols {
		s.toks = append(s.toks, clToken(i))
	}
	cl := s.clCode()
	s.toks = appendDesc(s.toks[:0], lens)
	w := bitWriter{out: []byte{hmHuffman}}
	writeCLCode(&w, &cl)
	writeDesc(&w, s.toks, &s.clEnc)
	return append(w.flush(), stream...)
}

func TestHuffmanCorruptTables(t *testing.T) {
	lens := func(ls ...uint8) []uint8 {
		l := make([]uint8, 256)
		copy(l['a':], ls)
		return l
	}
	valid := handBlock(t, lens(1, 2, 2), []byte{0b0_10_11_0_0_0}) // a b c a a, 7 bits + pad
	out, err := DecodeHuffman(nil, valid, 5, 0)
	require.NoError(t, err)
	require.Equal(t, "abcaa", string(out))

	for name, l := range map[string][]uint8{
		"oversubscribed":  lens(1, 1, 2),
		"incomplete":      lens(1, 2),
		"one symbol":      lens(1),
		"no symbols":      lens(),
		"too long for 11": lens(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 11),
	} {
		_, err := DecodeHuffman(nil, handBlock(t, l, []byte{0, 0}), 5, 0)
		require.ErrorIs(t, err, ErrCorrupt, name)
	}

	// Stored and single-symbol blocks with the wrong size.
	_, err = DecodeHuffman(nil, []byte{hmStored, 1, 2}, 3, 0)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = DecodeHuffman(nil, []byte{hmSingle, 1}, 0, 0)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = DecodeHuffman(nil, []byte{hmSingle, 1, 2}, 4, 0)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = DecodeHuffman(nil, []byte{3}, 4, 0)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = DecodeHuffman(nil, nil, 0, 0)
	require.ErrorIs(t, err, ErrCorrupt)

	// Four-stream block whose stream sizes overflow the block.
	src := textBuffer(t, 1000)
	enc, err := EncodeHuffman(nil, src, 0)
	require.NoError(t, err)
	var d decScratch
	body := enc[1:]
	r := bitReader{buf: body}
	d.clSyms, err = readCLCode(&r, &d.cl, nil)
	require.NoError(t, err)
	require.NoError(t, readDesc(&r, &d.cl, d.clSyms, &d.lens))
	hdrLen := 1 + (r.consumed()+7)/8
	for _, sizes := range [][]byte{{0xFF, 0xFF, 0xFF, 0x0F, 0, 0}, {0x80}, {0xFF, 0x01, 0xFF, 0x01, 0xFF, 0x01}} {
		bad := append(append(append([]byte(nil), enc[:hdrLen]...), sizes...), enc[hdrLen+6:]...)
		_, err = DecodeHuffman(nil, bad, len(src), 0)
		require.ErrorIs(t, err, ErrCorrupt)
	}
}

func TestHuffmanAllocs(t *testing.T) {
	src := textBuffer(t, 100000)
	for order := range 3 {
		enc, err := EncodeHuffman(nil, src, order)
		require.NoError(t, err)
		dst := make([]byte, 0, len(src)+len(enc)+1024)
		encAllocs := testing.AllocsPerRun(20, func() { dst, _ = EncodeHuffman(dst[:0], src, order) })
		decAllocs := testing.AllocsPerRun(20, func() { dst, _ = DecodeHuffman(dst[:0], enc, len(src), order) })
		require.LessOrEqual(t, encAllocs, 1.0, "order %d", order)
		require.LessOrEqual(t, decAllocs, 1.0, "order %d", order)
	}
}
