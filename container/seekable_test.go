package container

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/entzip/entzip/model"
	"github.com/stretchr/testify/require"
)

// seekPairs are the pairs of workingPairs and the solid configurations
// random access must enter: solid cm and orderk with and without
// restarts.
func seekPairs() []pair {
	ps := workingPairs()
	return append(ps,
		pair{"cm1-solid-restart2", []WriterOption{WithLevel(1), WithModel(CM), WithRestart(2)}},
		pair{"orderk2-arith-restart3-codewords", []WriterOption{WithModel(OrderK), WithOrder(2), WithCoder(Arith), WithMemBits(model.MinOrderKMemBits), WithRestart(3), WithCodewords(true)}},
	)
}

// seekRange is a read of n bytes at off, against data of size bytes.
type seekRange struct {
	name string
	off  int64
	n    int
}

// seekRanges returns the reads every stream must serve, for data of size
// bytes in frames of frame bytes.
func seekRanges(size int64, frame int64) []seekRange {
	return []seekRange{
		{"first-byte", 0, 1},
		{"last-byte", size - 1, 1},
		{"across-boundary", frame - 3, 6},
		{"three-frames", frame - 1, int(2*frame + 2)},
		{"whole", 0, int(size)},
		{"empty-inside", frame + 5, 0},
		{"empty-at-end", size, 0},
		{"second-frame", frame, int(frame)},
		{"past-end", size - 5, 10},
		{"beyond-end", size + 1, 1},
	}
}

func TestSeekableRanges(t *testing.T) {
	src := edgeCases()["multi-frame"]
	size, frame := int64(len(src)), int64(1<<MinFrameLog)
	for _, p := range seekPairs() {
		for _, indexed := range []bool{true, false} {
			name := p.name + "/index"
			if !indexed {
				name = p.name + "/scan"
			}
			t.Run(name, func(t *testing.T) {
				opts := append(append([]WriterOption{}, p.opts...), WithFrameSize(int(frame)), WithIndex(indexed))
				z, err := Compress(nil, src, opts...)
				require.NoError(t, err)
				got, err := Decompress(nil, z)
				require.NoError(t, err, "sequential decoding of an indexed stream")
				require.Equal(t, src, got)
				sr, err := NewSeekableReader(bytes.NewReader(z), int64(len(z)), WithDecoderConcurrency(2))
				require.NoError(t, err)
				require.Equal(t, size, sr.Size())
				require.Equal(t, indexed, sr.Index().Streams[0].Indexed)
				for _, r := range seekRanges(size, frame) {
					buf := make([]byte, r.n)
					n, err := sr.ReadAt(buf, r.off)
					want := src[min(r.off, size):min(r.off+int64(r.n), size)]
					if r.off+int64(r.n) > size {
						require.ErrorIs(t, err, io.EOF, r.name)
					} else {
						require.NoError(t, err, r.name)
					}
					require.Equal(t, len(want), n, r.name)
					require.True(t, bytes.Equal(want, buf[:n]), r.name)
				}
				// Small sequential reads go on where the last one stopped.
				var out bytes.Buffer
				_, err = io.CopyBuffer(&out, io.NewSectionReader(sr, 0, size), make([]byte, 1000))
				require.NoError(t, err)
				require.Equal(t, src, out.Bytes())
			})
		}
	}
}

func TestSeekableNegativeOffset(t *testing.T) {
	z, err := Compress(nil, []byte("abc"), WithLevel(1), WithIndex(true))
	require.NoError(t, err)
	sr, err := NewSeekableReader(bytes.NewReader(z), int64(len(z)))
	require.NoError(t, err)
	_, err = sr.ReadAt(make([]byte, 1), -1)
	require.ErrorIs(t, err, ErrUnsupported)
}

// TestSeekableConcatenated reads across streams with and without an index.
func TestSeekableConcatenated(t *testing.T) {
	a := edgeCases()["multi-frame"]
	b := edgeCases()["text"]
	za, err := Compress(nil, a, WithLevel(4), WithFrameSize(1<<MinFrameLog), WithIndex(true))
	require.NoError(t, err)
	zb, err := Compress(nil, b, WithLevel(1), WithFrameSize(1<<MinFrameLog))
	require.NoError(t, err)
	src := append(append(append([]byte{}, a...), b...), a...)
	z := append(append(append([]byte{}, za...), zb...), za...)
	sr, err := NewSeekableReader(bytes.NewReader(z), int64(len(z)), WithDecoderConcurrency(2))
	require.NoError(t, err)
	require.Len(t, sr.Index().Streams, 3)
	require.Equal(t, []bool{true, false, true}, []bool{sr.Index().Streams[0].Indexed, sr.Index().Streams[1].Indexed, sr.Index().Streams[2].Indexed})
	got := make([]byte, len(src)-200)
	_, err = sr.ReadAt(got, 100)
	require.NoError(t, err)
	require.Equal(t, src[100:len(src)-100], got)
	info, err := Inspect(bytes.NewReader(z))
	require.NoError(t, err)
	require.Equal(t, 2, info.Indexed)
}

// TestIndexCorrupt damages every byte of a frame index: the stream still
// decodes sequentially (all its data, then an error naming the index or
// trailing garbage), and random access refuses the damaged index with
// ErrIndex.
func TestIndexCorrupt(t *testing.T) {
	src := edgeCases()["multi-frame"]
	z, err := Compress(nil, src, WithLevel(4), WithFrameSize(1<<MinFrameLog), WithIndex(true))
	require.NoError(t, err)
	plain, err := Compress(nil, src, WithLevel(4), WithFrameSize(1<<MinFrameLog))
	require.NoError(t, err)
	require.Equal(t, plain, z[:len(plain)], "the index only follows the stream")
	for i := len(plain); i < len(z); i++ {
		bad := bytes.Clone(z)
		bad[i] ^= 0x20
		got, err := Decompress(nil, bad)
		require.Equal(t, src, got, "byte %d", i)
		require.True(t, errors.Is(err, ErrIndex) || errors.Is(err, ErrTrailing), "byte %d: %v", i, err)
		_, err = NewSeekableReader(bytes.NewReader(bad), int64(len(bad)))
		require.ErrorIs(t, err, ErrIndex, "byte %d", i)
	}
	for n := len(plain) + 1; n < len(z); n++ {
		got, err := Decompress(nil, z[:n])
		require.Equal(t, src, got, "truncated to %d", n)
		require.Error(t, err, "truncated to %d", n)
	}
}

// TestRestartParallel checks that restarts code and decode the same bytes
// at every concurrency, and cost little.
func TestRestartParallel(t *testing.T) {
	src := bytes.Repeat(edgeCases()["text"], 3)
	for _, p := range []pair{
		{"cm1", []WriterOption{WithLevel(1), WithModel(CM)}},
		{"orderk3", []WriterOption{WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithSolid(true)}},
	} {
		t.Run(p.name, func(t *testing.T) {
			opts := append(append([]WriterOption{}, p.opts...), WithFrameSize(1<<MinFrameLog), WithRestart(3))
			one, err := Compress(nil, src, append(opts, WithConcurrency(1))...)
			require.NoError(t, err)
			two, err := Compress(nil, src, append(opts, WithConcurrency(3))...)
			require.NoError(t, err)
			require.Equal(t, one, two, "output depends on the concurrency")
			for _, n := range []int{1, 2, 3} {
				got, err := Decompress(nil, one, WithDecoderConcurrency(n))
				require.NoError(t, err)
				require.Equal(t, src, got)
			}
			info, err := Inspect(bytes.NewReader(one))
			require.NoError(t, err)
			require.Equal(t, 3, info.Params.Restart)
		})
	}
}

func TestRestartOptions(t *testing.T) {
	p, err := Resolve(WithLevel(5), WithRestart(4))
	require.NoError(t, err)
	require.True(t, p.Solid)
	require.Equal(t, 4, p.Restart)
	p, err = Resolve(WithRestart(1))
	require.NoError(t, err)
	require.False(t, p.Solid)
	require.Zero(t, p.Restart)
	_, err = Resolve(WithSolid(false), WithRestart(4))
	require.ErrorIs(t, err, ErrUnsupported)
	_, err = Resolve(WithLevel(1), WithRestart(4))
	require.ErrorIs(t, err, ErrUnsupported, "static codes cannot restart")
	_, err = Resolve(WithRestart(0))
	require.ErrorIs(t, err, ErrUnsupported)
}

// TestNewOptionsCorruption flips about 300 bytes of a solid stream with restarts, a
// dictionary and an index: every decoder, sequential or seekable, fails
// with a sentinel or returns the original data, never wrong data.
func TestNewOptionsCorruption(t *testing.T) {
	src := edgeCases()["multi-frame"][:3<<MinFrameLog]
	d, err := NewDictionary(src[:2000])
	require.NoError(t, err)
	z, err := Compress(nil, src, WithModel(OrderK), WithOrder(3), WithMemBits(model.MinOrderKMemBits), WithRestart(2),
		WithDictionary(d), WithIndex(true), WithFrameSize(1<<MinFrameLog))
	require.NoError(t, err)
	step := len(z)/300 + 1 // about 300 flips, 60 with -short
	if testing.Short() {
		step = len(z)/60 + 1
	}
	for i := 0; i < len(z); i += step {
		bad := bytes.Clone(z)
		bad[i] ^= 0x08
		got, err := Decompress(nil, bad, WithDecoderDictionary(d))
		if err != nil {
			require.True(t, isFormatError(err), "byte %d: %v", i, err)
			require.True(t, bytes.HasPrefix(src, got), "byte %d: wrong data before the error", i)
		} else {
			require.Equal(t, src, got, "byte %d", i)
		}
		sr, err := NewSeekableReader(bytes.NewReader(bad), int64(len(bad)), WithDecoderDictionary(d))
		if err != nil {
			require.True(t, isFormatError(err), "byte %d: %v", i, err)
			continue
		}
		buf := make([]byte, len(src))
		n, err := sr.ReadAt(buf, 0)
		if err == nil {
			require.Equal(t, src, buf[:n], "byte %d", i)
		} else {
			require.True(t, isFormatError(err) || err == io.EOF, "byte %d: %v", i, err)
		}
	}
}
