package container

import (
	"hash/crc32"
	"io"
	"slices"
)

// Writer compresses what is written to it into an entzip stream on an
// underlying io.Writer. Data is cut into frames of Params.FrameSize bytes;
// each frame is coded and written as soon as it is full, so memory stays
// bounded whatever the input size. Close writes the last frame and the end
// marker; it does not close the underlying writer.
//
// A Writer is not safe for concurrent use. Its errors are sticky: after a
// failed write every later call returns the same error.
type Writer struct {
	w      io.Writer
	p      Params
	codec  codec
	buf    []byte // raw bytes of the frame being filled
	out    []byte // the coded frame
	crc    uint32 // CRC-32C of all raw bytes so far
	total  uint64
	err    error
	header bool // whether the stream header has been written
}

// NewWriter returns a Writer compressing to w with the given options
// (DefaultLevel without any). It fails with an error wrapping
// ErrUnsupported when the options name a model and coder that do not work
// together, saying what to use instead.
func NewWriter(w io.Writer, opts ...WriterOption) (*Writer, error) {
	p, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	c, err := newCodec(p)
	if err != nil {
		return nil, err
	}
	z := &Writer{p: p, codec: c}
	z.Reset(w)
	return z, nil
}

// Params returns the parameters the Writer records in the stream header.
func (z *Writer) Params() Params { return z.p }

// Reset discards the Writer's state and makes it write a new stream to w
// with the same parameters, reusing its buffers and model.
func (z *Writer) Reset(w io.Writer) {
	z.w = w
	z.codec.reset()
	z.buf = z.buf[:0]
	z.crc, z.total = 0, 0
	z.err = nil
	z.header = false
}

// Write compresses p. It returns len(p) unless writing to the underlying
// writer failed.
func (z *Writer) Write(p []byte) (int, error) {
	if z.err != nil {
		return 0, z.err
	}
	n := 0
	for len(p) > 0 {
		if z.buf == nil {
			z.buf = make([]byte, 0, z.p.FrameSize)
		}
		k := copy(z.buf[len(z.buf):cap(z.buf)], p)
		z.buf = z.buf[:len(z.buf)+k]
		p = p[k:]
		n += k
		if len(z.buf) == cap(z.buf) {
			if err := z.writeFrame(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// Flush codes the data written so far as a frame of its own and writes it,
// so that a reader can decode everything written up to now. Flushing often
// costs ratio.
func (z *Writer) Flush() error {
	if z.err != nil {
		return z.err
	}
	if len(z.buf) == 0 {
		return z.writeHeader()
	}
	return z.writeFrame()
}

// Close writes any pending data and the end marker. It does not close the
// underlying writer. Closing twice is harmless; Write after Close fails
// with ErrClosed.
func (z *Writer) Close() error {
	if z.err == ErrClosed {
		return nil
	}
	if err := z.Flush(); err != nil {
		return err
	}
	end := appendFrameHeader(z.out[:0], frameHeader{kind: kindEnd, rawLen: z.total, crc: z.crc})
	z.out = end
	if _, err := z.w.Write(end); err != nil {
		z.err = err
		return err
	}
	z.err = ErrClosed
	return nil
}

func (z *Writer) writeHeader() error {
	if z.header {
		return nil
	}
	if _, err := z.w.Write(appendHeader(z.out[:0], z.p)); err != nil {
		z.err = err
		return err
	}
	z.header = true
	return nil
}

// writeFrame codes z.buf and writes it, as a stored frame when coding would
// not make it smaller.
func (z *Writer) writeFrame() error {
	if err := z.writeHeader(); err != nil {
		return err
	}
	raw := z.buf
	crc := crc32.Checksum(raw, castagnoli)
	z.crc = crc32.Update(z.crc, castagnoli, raw)
	z.total += uint64(len(raw))

	// Leave room for the frame header in front of the payload, then move
	// the payload up behind the real header.
	coded := z.codec.encode(slices.Grow(z.out[:0], maxFrameHeader)[:maxFrameHeader], raw)
	payload := coded[maxFrameHeader:]
	h := frameHeader{kind: kindCoded, rawLen: uint64(len(raw)), codedLen: uint64(len(payload)), crc: crc}
	if len(payload) >= len(raw) {
		h.kind, h.codedLen, payload = kindStored, uint64(len(raw)), raw
	}
	var hb [maxFrameHeader]byte
	rec := appendFrameHeader(hb[:0], h)
	z.out = coded
	z.buf = z.buf[:0]
	if _, err := z.w.Write(rec); err != nil {
		z.err = err
		return err
	}
	if _, err := z.w.Write(payload); err != nil {
		z.err = err
		return err
	}
	return nil
}

// Compress returns src compressed as one entzip stream appended to dst.
func Compress(dst, src []byte, opts ...WriterOption) ([]byte, error) {
	bw := appendWriter{dst}
	z, err := NewWriter(&bw, opts...)
	if err != nil {
		return dst, err
	}
	if _, err := z.Write(src); err != nil {
		return dst, err
	}
	if err := z.Close(); err != nil {
		return dst, err
	}
	return bw.b, nil
}

// appendWriter is an io.Writer appending to a slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
