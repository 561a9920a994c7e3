package container

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/histogram"
)

// fakeDNA returns n bytes of the values "acgt", with repeats.
func fakeDNA(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 2))
	b := make([]byte, 0, n+64)
	for len(b) < n {
		if len(b) > 100 && rng.IntN(4) == 0 {
			i := rng.IntN(len(b) - 50)
			b = append(b, b[i:i+rng.IntN(50)]...)
			continue
		}
		b = append(b, "acgt"[rng.IntN(4)])
	}
	return b[:n]
}

// symbolsOf returns packSymbols of src.
func symbolsOf(src []byte) []byte {
	var hist [256]uint32
	histogram.Bytes(&hist, src)
	return packSymbols(&hist)
}

func TestPackVectors(t *testing.T) {
	for _, tc := range []struct {
		raw, syms, packed string
	}{
		{"acgt", "acgt", "\x06\x30"},
		{"acgta", "acgt", "\x06\x30"},
		{"tttttt", "t", "\x00\x00"},
		{"\xff\x00\x00\xff\x80\xff", "\x00\x80\xff", "\x20\x26"},
	} {
		syms := symbolsOf([]byte(tc.raw))
		require.Equal(t, []byte(tc.syms), syms, "%q", tc.raw)
		packed := packForward(nil, []byte(tc.raw), syms)
		require.Equal(t, []byte(tc.packed), packed, "%q", tc.raw)
		back, err := packInverse([]byte("x"), packed, syms, len(tc.raw))
		require.NoError(t, err)
		require.Equal(t, "x"+tc.raw, string(back))
	}
	require.Nil(t, symbolsOf([]byte("acgtn")), "5 values")
	require.Nil(t, symbolsOf(nil))
}

func TestPackRoundTrip(t *testing.T) {
	for n := range 40 {
		src := fakeDNA(n, uint64(n))
		if n == 0 {
			continue
		}
		syms := symbolsOf(src)
		require.NotNil(t, syms)
		back, err := packInverse(nil, packForward(nil, src, syms), syms, n)
		require.NoError(t, err)
		require.Equal(t, src, back)
		hdr, rest, err := parsePackSymbols(append(appendPackSymbols(nil, syms), 7))
		require.NoError(t, err)
		require.Equal(t, syms, hdr)
		require.Equal(t, []byte{7}, rest)
	}
}

// TestPackCorrupt: a position without a value, padding bits that are not
// 0, a wrong length and bad value lists are ErrCorrupt.
func TestPackCorrupt(t *testing.T) {
	for _, tc := range []struct {
		packed string
		syms   string
		n      int
	}{
		{"\x06\x30", "acg", 4},      // value 3 of 3 values
		{"\x06\x31", "acgt", 5},     // padding bits
		{"\x46\x30", "acgt", 4},     // a high bit
		{"\x06", "acgt", 4},         // too short
		{"\x06\x30\x00", "acgt", 4}, // too long
	} {
		_, err := packInverse(nil, []byte(tc.packed), []byte(tc.syms), tc.n)
		require.ErrorIs(t, err, ErrCorrupt, "%q", tc.packed)
	}
	for _, hdr := range []string{"", "\x00", "\x05abcde", "\x02ba", "\x02aa", "\x03ab"} {
		_, _, err := parsePackSymbols([]byte(hdr))
		require.ErrorIs(t, err, ErrCorrupt, "%q", hdr)
	}
}

// TestPackStream codes DNA through cm text streams, solid and not, with
// a frame stored raw between, checks the frames were packed, that packing
// is cm's only and that damage is an error.
func TestPackStream(t *testing.T) {
	const frame = 1 << 15
	dna := fakeDNA(3*frame, 3)
	mixed := append(append(bytes.Clone(dna[:frame]), textCases(t)["random"].src[:frame]...), dna[frame:]...)
	for _, solid := range []bool{false, true} {
		opts := []WriterOption{WithLevel(1), WithModel(CM), WithTextTransform(true), WithFrameSize(frame), WithSolid(solid)}
		storedRoundTrip(t, mixed, opts...)
		z, err := Compress(nil, dna, opts...)
		require.NoError(t, err)
		offs := frameOffsets(t, z)
		for _, off := range offs[:len(offs)-1] {
			_, n := binary.Uvarint(z[off+1:])
			_, m := binary.Uvarint(z[off+1+n:])
			require.Equal(t, byte(textPacked), z[off+1+n+m+6], "frame at %d", off)
		}
		rng := rand.New(rand.NewPCG(8, 9))
		for range 50 {
			bad := bytes.Clone(z)
			bad[headerSize+rng.IntN(len(z)-headerSize)] ^= byte(1 + rng.IntN(255))
			got, err := Decompress(nil, bad)
			require.Error(t, err, "got %d bytes", len(got))
		}
	}
	for _, tc := range []struct {
		p    Params
		want bool
	}{
		{Params{Model: CM, Level: 6}, true},
		{Params{Model: CM, Level: 9}, true},
		{Params{Model: OrderK, Order: 3}, false},
	} {
		require.Equal(t, tc.want, newTextCodec(nil, tc.p).packs, "%+v", tc.p)
	}
}

// TestPackLearn: a solid reader that learns a stored frame of DNA gives
// its model the packed bytes, as the writer did.
func TestPackLearn(t *testing.T) {
	var enc, dec recordCodec
	p := Params{Model: CM, Level: 6, Solid: true}
	w, r := newTextCodec(&enc, p), newTextCodec(&dec, p)
	dna := fakeDNA(textMinFrame, 5)
	_, err := w.Encode(nil, Frame{Raw: dna})
	require.NoError(t, err)
	r.Learn(dna)
	require.Equal(t, enc.got, dec.got)
	require.Len(t, dec.got[0], packLen(len(dna)))
}

// FuzzPackFilter: the inverse undoes packing on any input of at most 4
// values, and takes any packed bytes without panicking or returning more
// than n bytes.
func FuzzPackFilter(f *testing.F) {
	f.Add([]byte("acgtacgtaa"), []byte("ac"), uint16(7))
	f.Fuzz(func(t *testing.T, src, syms []byte, n uint16) {
		if s := symbolsOf(src); s != nil {
			back, err := packInverse(nil, packForward(nil, src, s), s, len(src))
			require.NoError(t, err)
			require.Equal(t, src, back)
		}
		got, err := packInverse(nil, src, syms, int(n))
		if err != nil {
			require.ErrorIs(t, err, ErrCorrupt)
		}
		require.LessOrEqual(t, len(got), int(n))
	})
}

// TestGoldenPacked pins a stream of packed frames: a solid cm stream of
// two frames of DNA, each ending mid-byte (32768 and 32765 values).
func TestGoldenPacked(t *testing.T) {
	src := fakeDNA(2<<15-3, 23)
	checkGolden(t, "cm1-arith-solid-packed", src, WithLevel(1), WithModel(CM), WithCoder(Arith), WithSolid(true), WithTextTransform(true), WithFrameSize(1<<15))
}
