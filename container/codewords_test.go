package container

import (
	"bytes"
	"testing"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
	"github.com/stretchr/testify/require"
)

// TestFrameCodesChoice: a solid stream keeps its code for frames it fits
// and renews it for a byte without a codeword or a code that no longer
// fits; other streams send every frame's own code.
func TestFrameCodesChoice(t *testing.T) {
	text := edgeCases()["text"]
	a := text[:4096]
	b := append(append([]byte{}, a[2048:]...), a[:2048]...) // the same bytes

	m, err := model.NewOrderK(2, model.MinOrderKMemBits)
	require.NoError(t, err)

	f := &frameCodes{m: m}
	for range 2 {
		z := f.write(nil, a)
		_, fresh := f.choose(byteCounts(a))
		require.True(t, fresh, "a stream that is not solid always sends the code")
		var lens [256]uint8
		n, err := coder.ReadCodeLengths(z, &lens)
		require.NoError(t, err)
		require.Equal(t, len(z), n)
		require.Equal(t, *CodewordLengths(a), lens)
	}

	f = &frameCodes{m: m, solid: true}
	require.Equal(t, byte(codeNew), f.write(nil, a)[0], "the first frame sets a code")
	require.Equal(t, []byte{codeKept}, f.write(nil, b), "more of the same text keeps it")
	require.Equal(t, byte(codeNew), f.write(nil, append(b[:100:100], '~'))[0], "a byte without a codeword renews it")
	require.Equal(t, []byte{codeKept}, f.write(nil, b))
	require.Equal(t, byte(codeNew), f.write(nil, bytes.Repeat([]byte("xz"), 2000))[0], "a code far from the frame's own is renewed")

	// Reading: a kept code needs one, and the kind must be known.
	r := &frameCodes{m: m, solid: true}
	_, err = r.read([]byte{codeKept, 1, 2})
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = r.read([]byte{7})
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = r.read(nil)
	require.ErrorIs(t, err, ErrCorrupt)
	w := &frameCodes{m: m, solid: true}
	z := w.write(nil, a)
	rest, err := r.read(append(z, 0xAB))
	require.NoError(t, err)
	require.Equal(t, []byte{0xAB}, rest)
	rest, err = r.read([]byte{codeKept, 0xCD})
	require.NoError(t, err)
	require.Equal(t, []byte{0xCD}, rest)
}

// TestSolidCodewordsStoredFrame: a reader learns a stored frame with the
// code the writer chose for it, which depends on every frame before it:
// text, then a stored frame of 255 byte values (whose own code differs
// from one of the whole stream), then text again.
func TestSolidCodewordsStoredFrame(t *testing.T) {
	text := edgeCases()["text"]
	noise := make([]byte, 1<<MinFrameLog)
	x := uint32(7)
	for i := range noise {
		x = x*1664525 + 1013904223
		noise[i] = byte(x>>24) % 255
	}
	src := append(append(append([]byte{}, text[:1<<MinFrameLog]...), noise...), text[1<<MinFrameLog:3<<MinFrameLog]...)
	storedRoundTrip(t, src, WithModel(OrderK), WithOrder(3), WithSolid(true), WithCodewords(true), WithFrameSize(1<<MinFrameLog))
}

// TestFrameCodesSeenHalves: the stream's counts halve before they could
// overflow, and no byte seen is forgotten.
func TestFrameCodesSeenHalves(t *testing.T) {
	f := &frameCodes{solid: true}
	counts := [256]uint32{'a': 1 << 28, 'b': 1}
	for range 4 {
		f.saw(&counts)
	}
	require.Less(t, f.seen['a'], uint32(seenLimit))
	require.Equal(t, uint32(1<<29), f.seen['a'])
	require.Positive(t, f.seen['b'])
	require.Zero(t, f.seen['c'])
}
