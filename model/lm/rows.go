package lm

import (
	"fmt"
	"io"
)

// chunkBytes is how much a rowReader reads at once from a stored array:
// many rows of a narrow array (byte-level logits, top-k), one row of a
// wide one.
const chunkBytes = 256 << 10

// A rowReader reads the rows of one array (its first dimension) for one
// Model, with memory bounded by max(chunkBytes, one row):
//
//   - stored data (a .npy file or a stored .npz member) is read with
//     ReadAt, chunkBytes at a time, so any row can be read at any time;
//   - a deflated member is decompressed sequentially; reading an earlier
//     row than the last one restarts the decompression from the start,
//     and a later row skips the rows between.
type rowReader struct {
	a        *array
	rowBytes int64
	rows     int64
	buf      []byte
	lo, n    int64 // buf holds rows [lo, lo+n)
	rc       io.ReadCloser
	next     int64 // deflated: the next row rc delivers
}

func newRowReader(a *array) *rowReader {
	rb := a.h.nbytes()
	if a.h.shape[0] > 0 {
		rb /= a.h.shape[0]
	}
	return &rowReader{a: a, rowBytes: rb, rows: a.h.shape[0]}
}

// row returns the bytes of row t, valid until the next call.
func (r *rowReader) row(t int64) ([]byte, error) {
	if t < 0 || t >= r.rows {
		return nil, fmt.Errorf("%w: row %d of %s (has %d)", ErrExhausted, t, r.a.name, r.rows)
	}
	rb := r.rowBytes
	if t >= r.lo && t < r.lo+r.n {
		i := (t - r.lo) * rb
		return r.buf[i : i+rb], nil
	}
	if r.a.ra != nil {
		n := max(chunkBytes/rb, 1)
		n = min(n, r.rows-t)
		r.buf = grow(r.buf, int(n*rb))
		if m, err := r.a.ra.ReadAt(r.buf, r.a.off+t*rb); m < len(r.buf) {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			r.n = 0
			return nil, r.a.readError(err)
		}
		r.lo, r.n = t, n
		return r.buf[:rb], nil
	}
	if r.rc == nil || t < r.next {
		r.close()
		rc, err := r.a.open()
		if err != nil {
			return nil, err
		}
		r.rc, r.next = rc, 0
	}
	r.n = 0
	if t > r.next {
		if _, err := io.CopyN(io.Discard, r.rc, (t-r.next)*rb); err != nil {
			r.close()
			return nil, r.a.readError(err)
		}
		r.next = t
	}
	r.buf = grow(r.buf, int(rb))
	if _, err := io.ReadFull(r.rc, r.buf); err != nil {
		r.close()
		return nil, r.a.readError(err)
	}
	r.lo, r.n, r.next = t, 1, t+1
	return r.buf, nil
}

// close releases a deflated member's decompressor.
func (r *rowReader) close() {
	if r.rc != nil {
		r.rc.Close()
		r.rc = nil
	}
	r.n = 0
}
