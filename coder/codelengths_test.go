package coder

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCodeLengthsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	text := []byte("It was the best of times, it was the worst of times, it was the age of wisdom")
	var textCounts [256]uint32
	for _, b := range text {
		textCounts[b]++
	}
	cases := map[string]*[256]uint8{}
	for _, limit := range []int{8, MaxHuffmanBits} {
		lens, err := HuffmanLengths(textCounts[:], limit)
		require.NoError(t, err)
		cases["text"+string(rune('0'+limit%10))] = (*[256]uint8)(lens)
	}
	flat := new([256]uint8)
	for i := range flat {
		flat[i] = 8
	}
	cases["flat"] = flat
	cases["none"] = new([256]uint8)
	random := new([256]uint8)
	for i := range random {
		random[i] = uint8(rng.IntN(MaxHuffmanBits + 1))
	}
	cases["random"] = random
	for name, lens := range cases {
		z, err := AppendCodeLengths([]byte{0xAA}, lens)
		require.NoError(t, err, name)
		require.Equal(t, byte(0xAA), z[0], name)
		tail := append(z[1:len(z):len(z)], 1, 2, 3)
		var got [256]uint8
		n, err := ReadCodeLengths(tail, &got)
		require.NoError(t, err, name)
		require.Equal(t, len(z)-1, n, name)
		require.Equal(t, *lens, got, name)
		t.Logf("%s: %d bytes", name, n)
	}
	_, err := AppendCodeLengths(nil, &[256]uint8{7: MaxHuffmanBits + 1})
	require.Error(t, err)
}

func TestCodeLengthsCorrupt(t *testing.T) {
	lens := [256]uint8{'a': 1, 'b': 2, 'c': 2}
	z, err := AppendCodeLengths(nil, &lens)
	require.NoError(t, err)
	var got [256]uint8
	for n := range len(z) {
		_, err := ReadCodeLengths(z[:n], &got)
		require.ErrorIs(t, err, ErrCorrupt, "truncated to %d of %d bytes", n, len(z))
	}
	_, err = ReadCodeLengths([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, &got)
	require.ErrorIs(t, err, ErrCorrupt)
}

// FuzzReadCodeLengths: any input gives lengths or ErrCorrupt, never a
// panic, and what it reads re-encodes to a description that reads back
// the same.
func FuzzReadCodeLengths(f *testing.F) {
	lens := [256]uint8{'a': 1, 'b': 2, 'c': 2}
	z, _ := AppendCodeLengths(nil, &lens)
	f.Add(z)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, src []byte) {
		var got [256]uint8
		n, err := ReadCodeLengths(src, &got)
		if err != nil {
			require.ErrorIs(t, err, ErrCorrupt)
			return
		}
		require.LessOrEqual(t, n, len(src))
		z, err := AppendCodeLengths(nil, &got)
		require.NoError(t, err)
		var again [256]uint8
		_, err = ReadCodeLengths(z, &again)
		require.NoError(t, err)
		require.Equal(t, got, again)
	})
}
