package container

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/entzip/entzip/model"
	"github.com/stretchr/testify/require"
)

// records returns n small JSON records alike in form.
func records(n, seed int) [][]byte {
	var out [][]byte
	for i := range n {
		k := i*7919 + seed*104729
		out = append(out, fmt.Appendf(nil, `{"id":%d,"user":"user%03d","action":"%s","path":"/api/v2/items/%d","status":%d,"ms":%d}`+"\n",
			k, k%997, []string{"read", "write", "delete", "list"}[k%4], k%10007, []int{200, 201, 404, 500}[k%4], k%1000))
	}
	return out
}

func dictPairs() []pair {
	return []pair{
		{"order0-arith", []WriterOption{WithModel(Order0), WithCoder(Arith)}},
		{"orderk3-arith", []WriterOption{WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits)}},
		{"orderk2-rans-8bit", []WriterOption{WithModel(OrderK), WithOrder(2), WithCoder(RANS), WithStatic(false), WithCodewords(false), WithMemBits(model.MinOrderKMemBits)}},
		{"orderk3-solid-restart2", []WriterOption{WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithRestart(2), WithCodewords(true)}},
		{"cm1-arith", []WriterOption{WithLevel(1), WithModel(CM), WithCoder(Arith)}},
		{"cm1-rans-no-solid", []WriterOption{WithLevel(1), WithModel(CM), WithCoder(RANS), WithSolid(false)}},
	}
}

func TestDictionaryRoundTrip(t *testing.T) {
	d, err := NewDictionary(bytes.Join(records(60, 1), nil))
	require.NoError(t, err)
	other, err := NewDictionary([]byte("another dictionary"))
	require.NoError(t, err)
	small := bytes.Join(records(3, 2), nil)
	multi := bytes.Join(records(300, 3), nil) // several 4 KiB frames
	for _, p := range dictPairs() {
		t.Run(p.name, func(t *testing.T) {
			for name, src := range map[string][]byte{"small": small, "multi": multi, "empty": nil} {
				opts := append(append([]WriterOption{}, p.opts...), WithFrameSize(1<<MinFrameLog), WithDictionary(d))
				z, err := Compress(nil, src, opts...)
				require.NoError(t, err, name)
				plain, err := Compress(nil, src, opts[:len(opts)-1]...)
				require.NoError(t, err, name)
				if name == "small" {
					require.Less(t, len(z), len(plain), "the dictionary does not help")
				}
				got, err := Decompress(nil, z, WithDecoderDictionary(d))
				require.NoError(t, err, name)
				require.Equal(t, src, got, name)
				for _, n := range []int{2, 3} {
					got, err = Decompress(nil, z, WithDecoderDictionary(d), WithDecoderConcurrency(n))
					require.NoError(t, err, name)
					require.Equal(t, src, got, name)
				}
				zz, err := Compress(nil, src, append(opts, WithConcurrency(3))...)
				require.NoError(t, err)
				require.Equal(t, z, zz, "output depends on the concurrency")
				_, err = NewReader(bytes.NewReader(z))
				require.ErrorIs(t, err, ErrDictionary)
				require.ErrorContains(t, err, fmt.Sprintf("%016x", d.ID()))
				_, err = NewReader(bytes.NewReader(z), WithDecoderDictionary(other))
				require.ErrorIs(t, err, ErrDictionary)
				_, err = NewSeekableReader(bytes.NewReader(z), int64(len(z)))
				require.ErrorIs(t, err, ErrDictionary)
			}
		})
	}
}

func TestDictionaryRefused(t *testing.T) {
	d, err := NewDictionary([]byte("abc"))
	require.NoError(t, err)
	for _, opts := range [][]WriterOption{
		{WithLevel(1), WithDictionary(d)},
		{WithLevel(2), WithDictionary(d)},
		{WithModel(OrderK), WithCoder(Huffman), WithDictionary(d)},
	} {
		_, err := NewWriter(bytes.NewBuffer(nil), opts...)
		require.ErrorIs(t, err, ErrUnsupported)
	}
	_, err = NewDictionary(nil)
	require.ErrorIs(t, err, ErrDictionary)
}

func TestDictionaryFile(t *testing.T) {
	d, err := NewDictionary([]byte("a dictionary of things"))
	require.NoError(t, err)
	b, err := d.MarshalBinary()
	require.NoError(t, err)
	d2, err := ParseDictionary(b)
	require.NoError(t, err)
	require.Equal(t, d, d2)
	for i := range b {
		bad := bytes.Clone(b)
		bad[i] ^= 1
		_, err := ParseDictionary(bad)
		require.ErrorIs(t, err, ErrDictionary, "byte %d", i)
	}
	for n := range len(b) {
		_, err := ParseDictionary(b[:n])
		require.ErrorIs(t, err, ErrDictionary, "truncated to %d", n)
	}
}

// FuzzParseDictionary parses arbitrary dictionary files: no panic, only
// ErrDictionary, and what parses writes back the same bytes.
func FuzzParseDictionary(f *testing.F) {
	d, err := NewDictionary([]byte("seed dictionary"))
	if err != nil {
		f.Fatal(err)
	}
	b, _ := d.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDictionary(b)
		if err != nil {
			require.ErrorIs(t, err, ErrDictionary)
			return
		}
		got, _ := d.MarshalBinary()
		require.Equal(t, b, got)
	})
}

func TestTrainDictionary(t *testing.T) {
	samples := records(400, 4)
	d, err := TrainDictionary(samples, 1<<20)
	require.NoError(t, err)
	require.Equal(t, bytes.Join(samples, nil), d.Content(), "samples that fit are the dictionary")
	d, err = TrainDictionary(samples, 4096)
	require.NoError(t, err)
	require.LessOrEqual(t, len(d.Content()), 4096)
	require.Greater(t, len(d.Content()), 2048)
	again, err := TrainDictionary(samples, 4096)
	require.NoError(t, err)
	require.Equal(t, d, again, "training is deterministic")
	test := bytes.Join(records(5, 5), nil)
	with, err := Compress(nil, test, WithLevel(4), WithDictionary(d))
	require.NoError(t, err)
	without, err := Compress(nil, test, WithLevel(4))
	require.NoError(t, err)
	require.Less(t, len(with), len(without)*7/10)
	_, err = TrainDictionary(nil, 0)
	require.ErrorIs(t, err, ErrDictionary)
	_, err = TrainDictionary(samples, -1)
	require.ErrorIs(t, err, ErrDictionary)
}
