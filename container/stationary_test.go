package container

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/markov"
	"github.com/entzip/entzip/model"
)

// TestStationary: samples of the Suite's sources are stationary, text, a
// frame that changes source halfway and a short frame are not.
func TestStationary(t *testing.T) {
	chains := map[string]*markov.Chain{}
	for _, c := range markov.Suite() {
		chains[c.Name] = c
	}
	for _, name := range []string{"iid-a256", "markov1-bytes-s4", "iid-a16", "markov1-a16"} {
		for _, n := range []int{stationaryMinLen, 1e5, 1e6} {
			assert.True(t, stationary(chains[name].Sample(n, 3)), "%s, %d symbols", name, n)
		}
	}
	text := edgeCases()["text"]
	require.Greater(t, len(text), stationaryMinLen)
	assert.False(t, stationary(text), "text")
	half := append(chains["iid-a256"].Sample(1e5, 4), chains["markov1-bytes-s4"].Sample(1e5, 5)...)
	assert.False(t, stationary(half), "two sources")
	assert.False(t, stationary(chains["iid-a256"].Sample(stationaryMinLen-1, 6)), "too short")
	assert.False(t, stationary(make([]byte, 1e5)), "one byte value")
}

// TestFrameCodesMark: from version 4 every record starts with a kind byte
// that carries the stationary mark, which the reader gives the model;
// unknown bits and a kept code in a stream that is not solid are corrupt.
func TestFrameCodesMark(t *testing.T) {
	iid := markov.Suite()[2].Sample(1e5, 7)
	w, err := model.NewOrderK(1, model.MinOrderKMemBits)
	require.NoError(t, err)
	f := newFrameCodes(w, Params{})
	z := f.write(nil, iid)
	require.Equal(t, byte(codeNew|codeStationary), z[0])
	text := edgeCases()["text"]
	require.Equal(t, byte(codeNew), f.write(nil, text)[0])

	r, err := model.NewOrderK(1, model.MinOrderKMemBits)
	require.NoError(t, err)
	g := newFrameCodes(r, Params{})
	rest, err := g.read(append(z, 0xAB))
	require.NoError(t, err)
	require.Equal(t, []byte{0xAB}, rest)
	// The reader's model predicts as a marked one, not as an unmarked one.
	marked, err := model.NewOrderK(1, model.MinOrderKMemBits)
	require.NoError(t, err)
	require.NoError(t, SetFrameCode(marked, iid))
	plain, err := model.NewOrderK(1, model.MinOrderKMemBits)
	require.NoError(t, err)
	require.NoError(t, plain.SetCode(CodewordLengths(iid)))
	want, got, unmarked := predictions(marked, iid[:2000]), predictions(r, iid[:2000]), predictions(plain, iid[:2000])
	assert.Equal(t, want, got)
	assert.NotEqual(t, unmarked, got)

	for _, bad := range [][]byte{{4}, {codeKept}, {codeStationary}} {
		_, err := g.read(bad)
		assert.ErrorIs(t, err, ErrCorrupt, "kind %d", bad[0])
	}
}

// predictions returns every P1 m gives over the codewords of src.
func predictions(m model.PrefixBitModel, src []byte) []uint32 {
	var p []uint32
	for _, c := range src {
		code, n := m.Codeword(c)
		for i := n - 1; i >= 0; i-- {
			p = append(p, m.P1())
			m.Update(int(code>>i) & 1)
		}
	}
	return p
}
