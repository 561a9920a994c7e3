package container

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// zeros is an io.Reader of n zero bytes, made without storing them.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), z.n))
	clear(p[:k])
	z.n -= int64(k)
	return k, nil
}

// countingWriter counts bytes and checks that they are all zero.
type countingWriter struct {
	n       int64
	nonzero bool
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if !w.nonzero && len(bytes.Trim(p, "\x00")) > 0 {
		w.nonzero = true
	}
	return len(p), nil
}

// TestOver4GiB streams 4.5 GiB through a Writer and a Reader: sizes and
// checksums must be 64-bit all the way (the end marker's total, the
// stream CRC, Inspect's RawSize).
func TestOver4GiB(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 4.5 GiB; skipped in -short mode")
	}
	const size = 4<<30 + 512<<20
	var z bytes.Buffer
	w, err := NewWriter(&z, WithLevel(1), WithConcurrency(0))
	require.NoError(t, err)
	n, err := io.CopyBuffer(w, &zeros{n: size}, make([]byte, 1<<20))
	require.NoError(t, err)
	require.Equal(t, int64(size), n)
	require.NoError(t, w.Close())

	info, err := Inspect(bytes.NewReader(z.Bytes()))
	require.NoError(t, err)
	require.Equal(t, uint64(size), info.RawSize)

	r, err := NewReader(bytes.NewReader(z.Bytes()), WithDecoderConcurrency(0))
	require.NoError(t, err)
	var out countingWriter
	m, err := r.WriteTo(&out)
	require.NoError(t, err)
	require.Equal(t, int64(size), m)
	require.False(t, out.nonzero)
}

// failingWriter accepts n bytes, then fails like a full disk.
type failingWriter struct{ n int }

var errDiskFull = io.ErrShortWrite

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriterErrorsAreSticky: once the underlying writer fails, every later
// call reports that error and nothing more is written.
func TestWriterErrorsAreSticky(t *testing.T) {
	src := edgeCases()["multi-frame"]
	for _, limit := range []int{0, 10, 100, 5000} {
		fw := &failingWriter{n: limit}
		w, err := NewWriter(fw, WithFrameSize(1<<MinFrameLog), WithLevel(3), WithConcurrency(2))
		require.NoError(t, err)
		_, werr := w.Write(src)
		cerr := w.Close()
		require.ErrorIs(t, errors.Join(werr, cerr), errDiskFull, "limit %d", limit)
		_, err = w.Write([]byte("more"))
		require.Error(t, err)
		require.Error(t, w.Close())
	}
}
