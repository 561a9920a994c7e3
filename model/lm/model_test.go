package lm

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// order2Logits returns the predictions of a simple adaptive order-2 byte
// model over input — real-ish logits: row t is ln(count(c2 c1 → b) + 0.4)
// for the two bytes before t, counts updated after each byte. With end,
// a 257th column and a last row predict the end token.
func order2Logits(input []byte, end bool) [][]float32 {
	v := 256
	if end {
		v = 257
	}
	counts := make(map[[2]byte][]float32)
	var ctx [2]byte
	rows := make([][]float32, 0, len(input)+1)
	for t := 0; t <= len(input); t++ {
		if t == len(input) && !end {
			break
		}
		c := counts[ctx]
		if c == nil {
			c = make([]float32, v)
			counts[ctx] = c
		}
		row := make([]float32, v)
		for i := range row {
			row[i] = float32(math.Log(float64(c[i]) + 0.4))
		}
		if end {
			row[256] = float32(math.Log(0.4 + float64(t)/float64(len(input)+1))) // ends become likely late
		}
		rows = append(rows, row)
		if t < len(input) {
			c[input[t]]++
			ctx = [2]byte{ctx[1], input[t]}
		}
	}
	return rows
}

func aliceText(t testing.TB, n int) []byte {
	b, err := os.ReadFile("../../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	return b[:min(n, len(b))]
}

// denseFile returns an .npy of rows.
func denseNPY(t testing.TB, rows [][]float32) []byte {
	var buf bytes.Buffer
	v := 256
	if len(rows) > 0 {
		v = len(rows[0])
	}
	require.NoError(t, WriteNPY(&buf, len(rows), v, func(i int, l []float32) error {
		copy(l, rows[i])
		return nil
	}))
	return buf.Bytes()
}

// roundTrip codes toks with f (both coders), decodes them with dec and
// returns the ideal code length of the quantized model in bits.
func roundTrip(t *testing.T, enc, dec *File, toks []int32) float64 {
	t.Helper()
	var ideal float64
	for _, rans := range []bool{false, true} {
		payload, bits := encodeTokens(t, enc, toks, rans)
		got := decodeTokens(t, dec, payload, len(toks), rans)
		require.Equal(t, toks, got)
		require.Less(t, float64(len(payload)), bits/8+16)
		ideal = bits
	}
	return ideal
}

func TestRoundTripByteLevel(t *testing.T) {
	input := aliceText(t, 20000)
	rows := order2Logits(input, false)
	f := openBytes(t, denseNPY(t, rows))
	require.True(t, f.ByteLevel())
	require.Equal(t, -1, f.EndToken())
	toks, err := f.InputTokens(input)
	require.NoError(t, err)
	bits := roundTrip(t, f, f, toks)
	ce := crossEntropy(rows, toks)
	t.Logf("V=256 order-2 text: %.4f bits/byte, quantization overhead %.4f %%", ce/float64(len(input)), 100*(bits/ce-1))
	require.Less(t, bits/ce-1, 0.001)
	out, err := f.Vocab().Detokenize(toks)
	require.NoError(t, err)
	require.Equal(t, input, out)

	// V = 257: one more row, predicting the end token.
	rows = order2Logits(input, true)
	f = openBytes(t, writeNPZ(t, NPZHeader{Rows: len(rows), VocabSize: 257}, func(i int, r *Row) error {
		copy(r.Logits, rows[i])
		return nil
	}))
	require.Equal(t, 256, f.EndToken())
	toks, err = f.InputTokens(input)
	require.NoError(t, err)
	require.Len(t, toks, len(input)+1)
	require.Equal(t, int32(256), toks[len(input)])
	roundTrip(t, f, f, toks)
	_, err = f.InputTokens(input[:len(input)-1])
	require.ErrorIs(t, err, ErrRows)
}

// testVocab is a small made-up vocabulary; token 0 is empty padding.
var testVocab = NewVocab([][]byte{nil, []byte("a"), []byte("b"), []byte("ab"), []byte("the"), []byte(" "), []byte("ba"), []byte("\x00\xff")})

// tokenFixture returns tokens of testVocab and dense logits favouring
// them (with noise), deterministic.
func tokenFixture(n int) ([]int32, [][]float32, []byte) {
	r := rng(7)
	v := testVocab.Len()
	toks := make([]int32, n)
	rows := make([][]float32, n)
	for i := range toks {
		toks[i] = int32(1 + r.intn(v-1))
		row := make([]float32, v)
		for j := range row {
			row[j] = 4*r.float() - 2
		}
		row[toks[i]] += 2 * r.float()
		rows[i] = row
	}
	input, _ := testVocab.Detokenize(toks)
	return toks, rows, input
}

func TestRoundTripTokens(t *testing.T) {
	toks, rows, input := tokenFixture(3000)
	v := testVocab.Len()
	for _, deflate := range []bool{false, true} {
		h := NPZHeader{Rows: len(rows), VocabSize: v, Vocab: testVocab, Tokens: toks, Deflate: deflate, Temperature: 0.8}
		enc := openBytes(t, writeNPZ(t, h, func(i int, r *Row) error {
			copy(r.Logits, rows[i])
			return nil
		}))
		h.Tokens = nil
		dec := openBytes(t, writeNPZ(t, h, func(i int, r *Row) error {
			copy(r.Logits, rows[i])
			return nil
		}))
		require.False(t, dec.HasTokens())
		got, err := enc.InputTokens(input)
		require.NoError(t, err)
		require.Equal(t, toks, got)
		roundTrip(t, enc, dec, toks)

		fe, err := enc.Fingerprint()
		require.NoError(t, err)
		fd, err := dec.Fingerprint()
		require.NoError(t, err)
		require.Equal(t, fe, fd, "tokens are not part of the fingerprint")
		qe, err := enc.QuickFingerprint()
		require.NoError(t, err)
		require.NotEqual(t, fe, qe)
	}
}

// topKRows keeps the k largest logits of each row, and the exact rest
// logit logsumexp(others) − ln(V−K).
func topKRows(rows [][]float32, k int) (ids [][]int32, logits [][]float32, rest []float32) {
	for _, row := range rows {
		idx := make([]int32, len(row))
		for i := range idx {
			idx[i] = int32(i)
		}
		// Selection by repeated maximum: fine for test sizes.
		for j := range k {
			best := j
			for i := j + 1; i < len(idx); i++ {
				if row[idx[i]] > row[idx[best]] {
					best = i
				}
			}
			idx[j], idx[best] = idx[best], idx[j]
		}
		l := make([]float32, k)
		for j := range l {
			l[j] = row[idx[j]]
		}
		var z float64
		for _, i := range idx[k:] {
			z += math.Exp(float64(row[i]))
		}
		ids = append(ids, idx[:k:k])
		logits = append(logits, l)
		rest = append(rest, float32(math.Log(z)-math.Log(float64(len(row)-k))))
	}
	return ids, logits, rest
}

func TestRoundTripTopK(t *testing.T) {
	toks, rows, input := tokenFixture(2000)
	ids, logits, rest := topKRows(rows, 3)
	fill := func(i int, r *Row) error {
		copy(r.IDs, ids[i])
		copy(r.Logits, logits[i])
		r.Rest = rest[i]
		return nil
	}
	for _, restLogit := range []bool{false, true} {
		for _, deflate := range []bool{false, true} {
			h := NPZHeader{Rows: len(rows), VocabSize: testVocab.Len(), TopK: 3, RestLogit: restLogit, Vocab: testVocab, Tokens: toks, Deflate: deflate}
			f := openBytes(t, writeNPZ(t, h, fill))
			require.Equal(t, 3, f.TopK())
			got, err := f.InputTokens(input)
			require.NoError(t, err)
			require.Equal(t, toks, got)
			roundTrip(t, f, f, toks)
		}
	}
	// Byte-level top-k with vocab_size and no vocabulary.
	input = aliceText(t, 5000)
	brows := order2Logits(input, false)
	bids, blogits, brest := topKRows(brows, 16)
	f := openBytes(t, writeNPZ(t, NPZHeader{Rows: len(brows), VocabSize: 256, TopK: 16, RestLogit: true}, func(i int, r *Row) error {
		copy(r.IDs, bids[i])
		copy(r.Logits, blogits[i])
		r.Rest = brest[i]
		return nil
	}))
	require.True(t, f.ByteLevel())
	toks, err := f.InputTokens(input)
	require.NoError(t, err)
	bits := roundTrip(t, f, f, toks)
	ce := crossEntropy(brows, toks)
	ck := crossEntropyTopK(bids, blogits, brest, 256, toks)
	t.Logf("V=256 top-16 with exact rest logit: %.4f bits/byte (quantization overhead %.4f %%); dense logits %.4f",
		bits/float64(len(input)), 100*(bits/ck-1), ce/float64(len(input)))
	require.Less(t, bits/ck-1, 0.001)
}

func TestModelSeek(t *testing.T) {
	toks, rows, _ := tokenFixture(500)
	for _, deflate := range []bool{false, true} {
		f := openBytes(t, writeNPZ(t, NPZHeader{Rows: len(rows), VocabSize: testVocab.Len(), Vocab: testVocab, Deflate: deflate}, func(i int, r *Row) error {
			copy(r.Logits, rows[i])
			return nil
		}))
		m, err := NewModel(f)
		require.NoError(t, err)
		var want [][3]uint32
		for _, s := range toks {
			a, b, c := m.Interval(int(s))
			want = append(want, [3]uint32{a, b, c})
			m.Update(int(s))
		}
		digest := m.Digest()
		require.Equal(t, len(toks), m.Row())
		// Past the end: ErrExhausted, and harmless intervals.
		_, freq, _ := m.Interval(0)
		require.GreaterOrEqual(t, freq, uint32(1))
		require.ErrorIs(t, m.Err(), ErrExhausted)
		m.Reset()
		require.NoError(t, m.Err())
		for i, s := range toks {
			a, b, c := m.Interval(int(s))
			require.Equal(t, want[i], [3]uint32{a, b, c})
			m.Update(int(s))
		}
		require.Equal(t, digest, m.Digest())
		for _, i := range []int{400, 3, 499, 0, 250} {
			require.NoError(t, m.Seek(i))
			a, b, c := m.Interval(int(toks[i]))
			require.Equal(t, want[i], [3]uint32{a, b, c}, "row %d", i)
		}
		require.NoError(t, m.Seek(len(toks)))
		require.ErrorIs(t, m.Seek(len(toks)+1), ErrExhausted)
		require.NoError(t, m.Close())
	}
}

func TestModelNonFiniteRow(t *testing.T) {
	rows := [][]float32{make([]float32, 256), make([]float32, 256)}
	rows[1][7] = float32(math.NaN())
	f := openBytes(t, denseNPY(t, rows))
	m, err := NewModel(f)
	require.NoError(t, err)
	m.Update(0)
	s, start, freq := m.Find(12345)
	require.GreaterOrEqual(t, freq, uint32(1))
	require.LessOrEqual(t, start, uint32(12345))
	require.Less(t, s, 256)
	require.ErrorIs(t, m.Err(), ErrNonFinite)
	require.ErrorContains(t, m.Err(), "row 1")

	rows[0][3] = float32(math.Inf(1))
	f = openBytes(t, denseNPY(t, rows))
	_, err = NewModel(f)
	require.ErrorIs(t, err, ErrNonFinite)
}

func TestOpenPath(t *testing.T) {
	input := aliceText(t, 3000)
	rows := order2Logits(input, false)
	path := filepath.Join(t.TempDir(), "x.npy")
	require.NoError(t, os.WriteFile(path, denseNPY(t, rows), 0o644))
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	require.Contains(t, f.String(), "T = 3000, V = 256")
	fp, err := Fingerprint(path)
	require.NoError(t, err)
	fp2, err := f.Fingerprint()
	require.NoError(t, err)
	require.Equal(t, fp, fp2)
	q, err := QuickFingerprint(path)
	require.NoError(t, err)
	q2, err := f.QuickFingerprint()
	require.NoError(t, err)
	require.Equal(t, q, q2)

	// The same logits in a stored and a deflated .npz: same fingerprints.
	for _, deflate := range []bool{false, true} {
		g := openBytes(t, writeNPZ(t, NPZHeader{Rows: len(rows), VocabSize: 256, Deflate: deflate}, func(i int, r *Row) error {
			copy(r.Logits, rows[i])
			return nil
		}))
		gp, err := g.Fingerprint()
		require.NoError(t, err)
		require.Equal(t, fp, gp)
		gq, err := g.QuickFingerprint()
		require.NoError(t, err)
		require.Equal(t, q, gq)
	}
	// One changed logit in a row the sample skips: the quick fingerprint
	// misses it, the full one does not.
	rows[1][5]++
	g := openBytes(t, denseNPY(t, rows))
	gp, err := g.Fingerprint()
	require.NoError(t, err)
	require.NotEqual(t, fp, gp)
	gq, err := g.QuickFingerprint()
	require.NoError(t, err)
	require.Equal(t, q, gq)
	require.NoError(t, g.VerifyFingerprint(q, true))
	require.ErrorIs(t, g.VerifyFingerprint(fp, false), ErrMismatch)

	_, err = Open(filepath.Join(t.TempDir(), "missing.npz"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
