package container

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/model"
)

// textCases returns inputs for the text transform, each at least
// textMinFrame bytes so that the transform can engage, and whether it
// must.
func textCases(t testing.TB) map[string]struct {
	src  []byte
	text bool
} {
	alice, err := os.ReadFile("../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]byte, textMinFrame+100)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	// Every byte value, among words: the codes, flags and escapes of any
	// alphabet occur in the input.
	var every []byte
	for b := range 256 {
		every = append(every, "the cat and the dog "...)
		every = append(every, byte(b))
	}
	fill := func(s string) []byte {
		return bytes.Repeat([]byte(s), textMinFrame/len(s)+1)
	}
	huge := strings.Repeat("x", 70000) + strings.Repeat(" the end", 100) + strings.Repeat("QWERTY", 9000) + " and the END"
	cases := map[string]struct {
		src  []byte
		text bool
	}{
		"alice":   {append(append([]byte{}, alice...), alice[:12000]...), true},
		"random":  {random, false},
		"every":   {fill(string(every)), true},
		"unicode": {fill("Ünïcödé wörds ÄÖÜ straße Straße STRASSE café CAFÉ naïve — « the » the the "), true},
		"caps":    {fill("THE CAT AND THE DOG. The Cat And The Dog. the cat and the dog. I A a. "), true},
		"mixed":   {fill("McDonald iPhone eBay McDonald iPhone eBay TheCat the cat HTTPServer "), true},
		"huge":    {[]byte(huge), true},
		// Words that look like codes: the capitals and high bytes an
		// alphabet takes, next to words.
		"codelike": {fill("the ABC the \x80\x81 the \xff\xfe and \x01 and Z the z " + strings.Repeat("and the cat ", 20)), true},
		"dna":      {fill("acgtacgtttgacgatcgatcgatgcatgcatgcacgt"), false},
	}
	return cases
}

// TestTextTransformRoundTrip: every case through the transform and back,
// without and with the seed list.
func TestTextTransformRoundTrip(t *testing.T) {
	for name, tc := range textCases(t) {
		for _, seeds := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/seeds=%v", name, seeds), func(t *testing.T) {
				enc, dec := textState{seeds: seeds}, textState{}
				out, f := enc.forward(nil, tc.src)
				if !tc.text {
					require.Equal(t, byte(textPlain), f.kind)
					require.Empty(t, enc.words, "a plain frame starts no run")
					return
				}
				require.Equal(t, map[bool]byte{false: textAlphabet, true: textSeeded}[seeds], f.kind, "the transform did not engage")
				require.LessOrEqual(t, len(out), textMaxLen(len(tc.src)))
				back, err := dec.inverse(nil, out, f, len(tc.src))
				require.NoError(t, err)
				require.True(t, bytes.Equal(tc.src, back), "inverse differs: %s", diff(tc.src, back))
				require.Equal(t, enc.words, dec.words)
			})
		}
	}
}

// TestTextCompactAlpha: the alphabets the writer chooses survive the
// bitmap of a seeded frame; a bitmap with a letter, a flag among the codes
// or too few bytes is corrupt.
func TestTextCompactAlpha(t *testing.T) {
	for name, tc := range textCases(t) {
		var hist [256]int
		for _, b := range tc.src {
			hist[b]++
		}
		a := chooseTextAlpha(&hist)
		wire := a.appendCompactWire(nil)
		require.Len(t, wire, 35)
		b, rest, err := parseCompactAlpha(append(wire, 9))
		require.NoError(t, err, name)
		require.Equal(t, []byte{9}, rest)
		require.Equal(t, a, b, name)
		for _, bad := range []byte{'q', a.esc} {
			w := bytes.Clone(wire)
			w[3+bad>>3] |= 1 << (bad & 7)
			_, _, err = parseCompactAlpha(w)
			require.ErrorIs(t, err, ErrCorrupt, "%s: code byte %q", name, bad)
		}
		_, _, err = parseCompactAlpha(wire[:34])
		require.ErrorIs(t, err, ErrCorrupt)
	}
}

// TestTextSeed pins the seed list, which is part of the format, and
// checks its words are dictionary words of every alphabet.
func TestTextSeed(t *testing.T) {
	words := textSeedWords()
	require.Len(t, words, 1000)
	require.Equal(t, uint32(0x4e6b5cf1), crc32.Checksum(bytes.Join(words, []byte{textSep}), crc32.MakeTable(crc32.Castagnoli)))
	seen := map[string]bool{}
	for _, w := range words {
		require.False(t, seen[string(w)], "%s twice", w)
		seen[string(w)] = true
		require.GreaterOrEqual(t, len(w), textMinWordLen)
		require.LessOrEqual(t, len(w), textMaxWordLen)
		for _, b := range w {
			require.True(t, b >= 'a' && b <= 'z', "%q", w)
		}
	}
	// The seed words get codes without being stored; the frame stores
	// its other frequent words.
	src := bytes.Repeat([]byte("the cat and the dog of the house, xylophone "), textMinFrame/40)
	enc := textState{seeds: true}
	out, f := enc.forward(nil, src)
	require.Equal(t, byte(textSeeded), f.kind)
	require.Equal(t, len(words), f.seed)
	require.Zero(t, bytes.Count(out, []byte("the")))
	added := 0
	for _, w := range []string{"cat", "and", "dog", "of", "house", "xylophone"} {
		if !seen[w] {
			added++
			require.Equal(t, 1, bytes.Count(out, []byte(w)), "%s, stored once", w)
		}
	}
	require.Equal(t, added, f.added)
}

func TestTextTransformEmpty(t *testing.T) {
	var st textState
	for _, src := range [][]byte{nil, {}, {'A'}, []byte("The Cat"), bytes.Repeat([]byte("The "), textMinFrame/4-1)} {
		out, f := st.forward(nil, src)
		require.Equal(t, byte(textPlain), f.kind)
		require.Empty(t, out)
	}
}

// TestTextStream codes text through the container with the transform
// on: solid and not, several frames, a frame stored raw between (the
// decoder's model learns the transform of its bytes), every case above.
func TestTextStream(t *testing.T) {
	cases := textCases(t)
	alice := cases["alice"].src
	const frame = 1 << 15
	var mixed []byte
	for _, part := range [][]byte{alice, cases["random"].src, cases["caps"].src, alice} {
		mixed = append(mixed, part[:frame]...)
	}
	orderk := []WriterOption{WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithStatic(false), WithTextTransform(true), WithFrameSize(frame)}
	for _, solid := range []bool{false, true} {
		opts := append(orderk[:len(orderk):len(orderk)], WithSolid(solid))
		info := storedRoundTrip(t, mixed, opts...)
		require.True(t, info.Params.Text)
		for name, tc := range cases {
			z, err := Compress(nil, tc.src, opts...)
			require.NoError(t, err, name)
			got, err := Decompress(nil, z)
			require.NoError(t, err, name)
			require.True(t, bytes.Equal(tc.src, got), "%s: %s", name, diff(tc.src, got))
		}
	}
	// What it does for cm on a short text (no claim: short frames may lose).
	plain, err := Compress(nil, alice, WithLevel(1), WithModel(CM), WithTextTransform(false))
	require.NoError(t, err)
	text, err := Compress(nil, alice, WithLevel(1), WithModel(CM), WithTextTransform(true))
	require.NoError(t, err)
	t.Logf("cm level 1: %d bytes plain, %d with the text transform", len(plain), len(text))
}

// recordCodec is a FrameCodec that keeps what it was given to code or
// learn.
type recordCodec struct{ got [][]byte }

func (r *recordCodec) Reset() {}
func (r *recordCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	r.got = append(r.got, bytes.Clone(f.Raw))
	return dst, nil
}
func (r *recordCodec) Decode(dst, src []byte, n int) ([]byte, error) { return dst, nil }
func (r *recordCodec) Learn(raw []byte)                              { r.got = append(r.got, bytes.Clone(raw)) }

// TestTextLearn: a solid reader that learns a stored text frame gives its
// model the bytes the writer coded, and keeps the same dictionary.
func TestTextLearn(t *testing.T) {
	cases := textCases(t)
	var enc, dec recordCodec
	w, r := newTextCodec(&enc, Params{Solid: true}), newTextCodec(&dec, Params{Solid: true})
	for _, name := range []string{"alice", "random", "caps", "every"} {
		src := cases[name].src
		_, err := w.Encode(nil, Frame{Raw: src})
		require.NoError(t, err)
		r.Learn(src)
		require.Equal(t, enc.got, dec.got, name)
		require.Equal(t, w.st.words, r.st.words, name)
	}
	require.NotEqual(t, cases["alice"].src, enc.got[0], "the transform did not engage")
}

// TestTextOptions: the option, the header flag and what refuses it.
func TestTextOptions(t *testing.T) {
	p, err := Resolve(WithLevel(6), WithTextTransform(true))
	require.NoError(t, err)
	require.True(t, p.Text)
	require.Contains(t, p.String(), ", text")
	p, err = Resolve(WithTextTransform(false), WithLevel(9))
	require.NoError(t, err)
	require.False(t, p.Text, "WithLevel keeps WithTextTransform")
	for level := MinLevel; level <= MaxLevel; level++ {
		p, err = Resolve(WithLevel(level))
		require.NoError(t, err)
		require.Equal(t, level >= 6, p.Text, "preset %d", level)
	}
	p, err = Resolve(WithLevel(6), WithModel(OrderK))
	require.NoError(t, err)
	require.False(t, p.Text, "a preset's text transform is for its own model")
	_, err = Resolve(WithModel(Order0), WithCoder(Huffman), WithTextTransform(true))
	require.ErrorIs(t, err, ErrUnsupported)
	for _, on := range []bool{false, true} {
		z, err := Compress(nil, []byte("x"), WithModel(OrderK), WithOrder(2), WithStatic(false), WithTextTransform(on))
		require.NoError(t, err)
		info, err := Inspect(bytes.NewReader(z))
		require.NoError(t, err)
		require.Equal(t, on, info.Params.Text)
	}
}

// TestTextCorrupt damages transformed frames: the inverse reports
// ErrCorrupt or returns other bytes (which the frame CRC catches), never
// panics and never returns more than n bytes.
func TestTextCorrupt(t *testing.T) {
	src := textCases(t)["every"].src
	var hdrs, outs [2][]byte // without and with the seed list
	for i := range hdrs {
		enc := textState{seeds: i == 1}
		out, f := enc.forward(nil, src)
		require.NotEqual(t, byte(textPlain), f.kind)
		hdrs[i], outs[i] = appendTextHeader(nil, f, len(out)), out
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 600 {
		h, body := bytes.Clone(hdrs[i%2]), bytes.Clone(outs[i%2])
		switch rng.IntN(3) {
		case 0:
			h[rng.IntN(len(h))] ^= byte(1 + rng.IntN(255))
		case 1:
			body[rng.IntN(len(body))] ^= byte(1 + rng.IntN(255))
		default:
			body = body[:rng.IntN(len(body))]
		}
		checkTextInverse(t, h, body, len(src))
	}
}

// checkTextInverse runs a text frame's header and transformed bytes
// through the decoder's side.
func checkTextInverse(t *testing.T, hdr, body []byte, n int) {
	tf, tlen, _, err := parseTextHeader(hdr, n, nil, textKinds)
	if err != nil {
		require.ErrorIs(t, err, ErrCorrupt)
		return
	}
	require.LessOrEqual(t, tlen, textMaxLen(n))
	if tf.kind == textPlain || tf.kind == textX86 || tf.kind == textPacked {
		return // no text inverse (the filters' tests check theirs)
	}
	var dec textState
	got, err := dec.inverse(nil, body, tf, n)
	if err != nil {
		require.True(t, errors.Is(err, ErrCorrupt), "error %v", err)
	}
	require.LessOrEqual(t, len(got), n)
}

// FuzzTextInverse feeds the inverse transform arbitrary frame headers and
// transformed bytes.
func FuzzTextInverse(f *testing.F) {
	for i, name := range []string{"every", "caps", "mixed"} {
		src := textCases(f)[name].src
		enc := textState{seeds: i > 0}
		out, tf := enc.forward(nil, src)
		f.Add(appendTextHeader(nil, tf, len(out)), out, uint32(len(src)))
	}
	f.Fuzz(func(t *testing.T, hdr, body []byte, n uint32) {
		checkTextInverse(t, hdr, body, int(n%(1<<20)))
	})
}

// goldenTextSource is the input of TestGoldenText's stream: a text and
// the same text in capitals.
func goldenTextSource(t testing.TB) []byte {
	alice := textCases(t)["alice"].src
	return append(bytes.Clone(alice), bytes.ToUpper(alice[:textMinFrame])...)
}

// TestGoldenText pins a stream with the text transform: a solid orderk
// stream of two frames, the second keeping the first's alphabet and
// adding words.
func TestGoldenText(t *testing.T) {
	checkGolden(t, "orderk3-arith-solid-text", goldenTextSource(t), WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithStatic(false), WithSolid(true), WithTextTransform(true), WithFrameSize(1<<15))
}

// TestTextPlainRuleByVersion checks that the rule which leaves a text
// frame plain follows the stream's version, as a reader's Learn of a
// stored frame must: versions 1..3 (no seeds) transform a frame that adds
// a word, version 4 wants a coded word per textMinCoded bytes. The frame
// is 128 KiB of random five-letter words and one word 64 times.
func TestTextPlainRuleByVersion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var src []byte
	for len(src) < 128<<10 {
		for range 5 {
			src = append(src, byte('a'+rng.IntN(26)))
		}
		src = append(src, ' ')
	}
	for range textMinCount {
		src = append(src, "hello "...)
	}
	v3 := textState{}
	_, f := v3.forward(nil, src)
	require.Equal(t, byte(textAlphabet), f.kind, "versions 1..3 transform a frame that adds a word")
	v4 := textState{seeds: true}
	_, f = v4.forward(nil, src)
	require.Equal(t, byte(textPlain), f.kind, "version 4 leaves a frame with too few coded words plain")
}
