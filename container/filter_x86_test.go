package container

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/model"
)

// fakeCode returns n bytes that look like x86 machine code to isX86: a
// few byte values, and every 20 bytes or so a call or jump to one of 40
// functions.
func fakeCode(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	funcs := make([]int, 40)
	for i := range funcs {
		funcs[i] = rng.IntN(n)
	}
	ops := []byte{0x48, 0x89, 0x8b, 0xc3, 0x55, 0x5d, 0x0f, 0x85, 0x00, 0x01}
	b := make([]byte, 0, n)
	for len(b) < n-x86Window {
		if rng.IntN(20) == 0 {
			d := funcs[rng.IntN(len(funcs))] - (len(b) + x86Window)
			b = binary.LittleEndian.AppendUint32(append(b, 0xE8+byte(rng.IntN(2))), uint32(int32(d)))
			continue
		}
		b = append(b, ops[rng.IntN(len(ops))])
	}
	return append(b, 0xE8, 0xE9, 0xE8, 0xFF)[:n]
}

func TestX86FilterVectors(t *testing.T) {
	for _, tc := range []struct{ raw, filtered []byte }{
		// a call at 0 to 5 + 0 and to 5 + (−5)
		{[]byte{0xE8, 0, 0, 0, 0}, []byte{0xE8, 5, 0, 0, 0}},
		{[]byte{0xE8, 0xFB, 0xFF, 0xFF, 0xFF}, []byte{0xE8, 0, 0, 0, 0}},
		// a call at 1 to 6 + 2^24 − 1: the target 5 − 2^24 (mod 2^25)
		{[]byte{0x90, 0xE8, 0xFF, 0xFF, 0xFF, 0x00}, []byte{0x90, 0xE8, 0x05, 0x00, 0x00, 0xFF}},
		// a jump stays, and its window is skipped: the E8 in it is no opcode
		{[]byte{0xE9, 0xE8, 0, 0, 0, 0xE8, 0, 0, 0, 0}, []byte{0xE9, 0xE8, 0, 0, 0, 0xE8, 10, 0, 0, 0}},
		// a far displacement stays, and its window is skipped: the E8 in
		// it is no opcode
		{[]byte{0xE8, 0xE8, 0, 0, 0x12, 0xE8, 0, 0, 0, 0}, []byte{0xE8, 0xE8, 0, 0, 0x12, 0xE8, 10, 0, 0, 0}},
		// too short for a window
		{[]byte{0x90, 0xE8, 0, 0, 0}, []byte{0x90, 0xE8, 0, 0, 0}},
	} {
		got := x86Filter(nil, tc.raw, 1)
		require.Equal(t, tc.filtered, got, "% x", tc.raw)
		require.Equal(t, tc.raw, x86Filter(nil, got, -1), "% x", tc.raw)
	}
}

func TestX86FilterRoundTrip(t *testing.T) {
	cases := map[string][]byte{"code": fakeCode(100000, 1), "calls": bytes.Repeat([]byte{0xE8, 0xFF}, 5000), "ff": bytes.Repeat([]byte{0xFF}, 999)}
	for name, tc := range textCases(t) {
		cases[name] = tc.src
	}
	for name, src := range cases {
		fwd := x86Filter([]byte("x"), src, 1)
		require.Equal(t, src, x86Filter(nil, fwd[1:], -1), name)
		require.Equal(t, src, x86Filter(nil, x86Filter(nil, src, -1), 1), name+" backwards")
	}
}

// TestIsX86: the detector takes machine code and leaves the other inputs
// of the tests alone.
func TestIsX86(t *testing.T) {
	require.True(t, isX86(fakeCode(100000, 2)))
	require.False(t, isX86(fakeCode(x86MinHits*10, 3)), "too few calls")
	for name, tc := range textCases(t) {
		require.False(t, isX86(tc.src), name)
	}
	for name, src := range edgeCases() {
		require.False(t, isX86(src), name)
	}
}

// TestX86Stream codes machine code through text streams, solid and not,
// with a frame stored raw between, and checks the frames were filtered.
func TestX86Stream(t *testing.T) {
	const frame = 1 << 15
	var code []byte
	for i := range 3 {
		code = append(code, fakeCode(frame, uint64(10+i))...)
	}
	mixed := append(append(bytes.Clone(code[:frame]), textCases(t)["random"].src[:frame]...), code[frame:]...)
	for _, solid := range []bool{false, true} {
		opts := []WriterOption{WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithStatic(false), WithTextTransform(true), WithFrameSize(frame), WithSolid(solid)}
		storedRoundTrip(t, mixed, opts...)
		z, err := Compress(nil, code, opts...)
		require.NoError(t, err)
		offs := frameOffsets(t, z)
		for _, off := range offs[:len(offs)-1] {
			_, n := binary.Uvarint(z[off+1:])
			_, m := binary.Uvarint(z[off+1+n:])
			require.Equal(t, byte(textX86), z[off+1+n+m+6], "frame at %d", off)
		}
		plain, err := Compress(nil, code, append(opts, WithTextTransform(false))...)
		require.NoError(t, err)
		require.Less(t, len(z), len(plain), "the filter does not pay on calls to 40 functions")
	}
}

// TestX86Learn: a solid reader that learns a stored frame of machine code
// gives its model the filtered bytes, as the writer did.
func TestX86Learn(t *testing.T) {
	var enc, dec recordCodec
	w, r := newTextCodec(&enc, Params{Solid: true}), newTextCodec(&dec, Params{Solid: true})
	code := fakeCode(50000, 5)
	_, err := w.Encode(nil, Frame{Raw: code})
	require.NoError(t, err)
	r.Learn(code)
	require.Equal(t, enc.got, dec.got)
	require.Equal(t, x86Filter(nil, code, 1), dec.got[0])
}

// FuzzX86Filter: the inverse undoes the forward filter on any input, and
// the detector never panics.
func FuzzX86Filter(f *testing.F) {
	f.Add(fakeCode(2000, 6))
	f.Add([]byte{0xE8, 0xE8, 0, 0, 0xFF, 0xE9})
	f.Fuzz(func(t *testing.T, src []byte) {
		isX86(src)
		got := x86Filter(nil, x86Filter(nil, src, 1), -1)
		require.True(t, bytes.Equal(src, got), "inverse differs: %s", diff(src, got))
	})
}

// TestX86Corrupt damages a stream of filtered frames: a byte changed
// after the header is an error, never other bytes; a frame of an unknown
// kind names it.
func TestX86Corrupt(t *testing.T) {
	code := fakeCode(1<<15, 7)
	z, err := Compress(nil, code, WithModel(OrderK), WithOrder(2), WithStatic(false), WithTextTransform(true), WithFrameSize(1<<15))
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(8, 9))
	for range 200 {
		bad := bytes.Clone(z)
		bad[headerSize+rng.IntN(len(z)-headerSize)] ^= byte(1 + rng.IntN(255))
		got, err := Decompress(nil, bad)
		require.Error(t, err, "got %d bytes", len(got))
	}
	_, _, _, err = parseTextHeader([]byte{textKinds}, 10, nil, textKinds)
	require.ErrorIs(t, err, ErrCorrupt)
	require.ErrorContains(t, err, "unknown frame filter kind")
}

// TestGoldenX86 pins a stream of x86-filtered frames: a solid orderk
// stream of two frames of machine code and a short last one left plain.
func TestGoldenX86(t *testing.T) {
	src := append(append(fakeCode(1<<15, 20), fakeCode(1<<15, 21)...), fakeCode(1000, 22)...)
	checkGolden(t, "orderk3-arith-solid-x86", src, WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithStatic(false), WithSolid(true), WithTextTransform(true), WithFrameSize(1<<15))
}
