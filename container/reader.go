package container

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Reader decompresses an entzip stream read from an underlying io.Reader.
// Streams written one after another (as `cat a.ez b.ez` makes) are decoded
// in turn, like gzip members; anything else after a stream's end marker is
// reported as ErrTrailing. Every frame's checksum is verified before any of
// its bytes are returned, and the stream checksum and length at the end
// marker, so Read never returns data that does not match what was written.
//
// A Reader is not safe for concurrent use. Errors are sticky.
type Reader struct {
	r     countingReader
	set   readerSettings
	p     Params
	codec codec
	raw   []byte // the decoded frame
	pos   int    // bytes of raw already returned
	coded []byte
	crc   uint32 // CRC-32C of the stream's raw bytes so far
	total uint64
	frame int64 // frames read in this stream
	err   error
}

// NewReader returns a Reader decompressing r. It reads and checks the
// first stream header, so a wrong or damaged input fails here (ErrFormat,
// ErrVersion, ErrHeader, ErrUnsupported, ErrLimit). The Reader may read
// more bytes from r than the streams hold.
func NewReader(r io.Reader, opts ...ReaderOption) (*Reader, error) {
	set, err := resolveReader(opts)
	if err != nil {
		return nil, err
	}
	z := &Reader{set: set}
	if err := z.Reset(r); err != nil {
		return nil, err
	}
	return z, nil
}

// Reset discards the Reader's state and starts decoding r, reusing buffers
// where the new stream's parameters allow. It returns the error of reading
// the first stream header.
func (z *Reader) Reset(r io.Reader) error {
	br, ok := r.(byteReader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	z.r = countingReader{r: br}
	z.raw, z.pos = z.raw[:0], 0
	z.err = nil
	var b [headerSize]byte
	if _, err := io.ReadFull(&z.r, b[:4]); err != nil {
		if err == io.EOF {
			err = fmt.Errorf("%w: empty input", ErrFormat)
		} else {
			err = truncated(err, "stream header")
		}
		z.err = err
		return err
	}
	z.err = z.startStream(b)
	return z.err
}

// Params returns the parameters of the stream being decoded.
func (z *Reader) Params() Params { return z.p }

// startStream reads the header of a stream whose magic is in b and sets up
// its codec.
func (z *Reader) startStream(b [headerSize]byte) error {
	p, err := readHeaderAfterMagic(&z.r, b)
	if err != nil {
		return err
	}
	if need := p.memory(); need > z.set.maxMemory {
		return fmt.Errorf("%w: stream needs %d bytes, limit is %d (raise it with --memory)", ErrLimit, need, z.set.maxMemory)
	}
	if z.codec == nil || p != z.p {
		if z.codec, err = newCodec(p); err != nil {
			return err
		}
	}
	z.p = p
	z.codec.reset()
	z.crc, z.total, z.frame = 0, 0, 0
	return nil
}

// Read implements io.Reader.
func (z *Reader) Read(p []byte) (int, error) {
	for z.pos == len(z.raw) {
		if z.err != nil {
			return 0, z.err
		}
		z.err = z.nextFrame()
	}
	n := copy(p, z.raw[z.pos:])
	z.pos += n
	return n, nil
}

// WriteTo implements io.WriterTo: it writes each decoded frame to w.
func (z *Reader) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for {
		if z.pos < len(z.raw) {
			k, err := w.Write(z.raw[z.pos:])
			n += int64(k)
			z.pos += k
			if err != nil {
				return n, err
			}
		}
		if z.err != nil {
			if z.err == io.EOF {
				return n, nil
			}
			return n, z.err
		}
		z.err = z.nextFrame()
	}
}

// nextFrame decodes the next frame into z.raw. At an end marker it checks
// the stream and moves on to a following stream, or returns io.EOF.
func (z *Reader) nextFrame() error {
	offset := z.r.n
	kind, err := z.r.ReadByte()
	if err != nil {
		return z.frameError(offset, truncated(err, "frame header"))
	}
	h, err := readFrameHeader(&z.r, kind, z.p)
	if err != nil {
		return z.frameError(offset, err)
	}
	if h.kind == kindEnd {
		if h.rawLen != z.total || h.crc != z.crc {
			return z.frameError(offset, fmt.Errorf("%w: stream of %d bytes with CRC-32C %08x, end marker says %d bytes, %08x", ErrChecksum, z.total, z.crc, h.rawLen, h.crc))
		}
		return z.nextStream()
	}
	z.raw, z.pos = z.raw[:0], 0
	if h.kind == kindStored {
		if z.raw, err = readN(&z.r, z.raw, int(h.rawLen)); err == nil {
			z.codec.learn(z.raw)
		}
	} else {
		if z.coded, err = readN(&z.r, z.coded[:0], int(h.codedLen)); err == nil {
			z.raw, err = z.codec.decode(z.raw, z.coded, int(h.rawLen))
			if err != nil {
				err = fmt.Errorf("%w: %w", ErrCorrupt, err)
			} else if len(z.raw) != int(h.rawLen) {
				err = fmt.Errorf("%w: decoded %d bytes, frame header says %d", ErrCorrupt, len(z.raw), h.rawLen)
			}
		}
	}
	if err == nil {
		if crc := crc32.Checksum(z.raw, castagnoli); crc != h.crc {
			err = fmt.Errorf("%w: frame data CRC-32C %08x, want %08x", ErrChecksum, crc, h.crc)
		}
	}
	if err != nil {
		z.raw = z.raw[:0]
		return z.frameError(offset, err)
	}
	z.crc = crc32.Update(z.crc, castagnoli, z.raw)
	z.total += uint64(len(z.raw))
	z.frame++
	return nil
}

// nextStream starts the stream that follows an end marker, if any.
func (z *Reader) nextStream() error {
	var b [headerSize]byte
	n, err := io.ReadFull(&z.r, b[:4])
	switch {
	case err == io.EOF:
		return io.EOF
	case n > 0 && [4]byte(b[:4]) != magic || err == io.ErrUnexpectedEOF:
		return fmt.Errorf("%w (%d bytes at offset %d)", ErrTrailing, n, z.r.n-int64(n))
	case err != nil:
		return err
	}
	return z.startStream(b)
}

// frameError locates a format error in the stream; I/O errors of the
// underlying reader pass unchanged.
func (z *Reader) frameError(offset int64, err error) error {
	if !isFormatError(err) {
		return err
	}
	return &FrameError{Frame: z.frame, Offset: offset, Err: err}
}

// isFormatError reports whether err is one of this package's sentinels.
func isFormatError(err error) bool {
	for _, s := range []error{ErrHeader, ErrChecksum, ErrCorrupt, ErrTruncated, ErrTrailing, ErrFormat, ErrVersion, ErrUnsupported, ErrLimit, ErrUnknownModel, ErrUnknownCoder} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// readN appends exactly n bytes from r to dst, growing dst at most to n
// bytes beyond its length (n was validated against the frame size).
func readN(r io.Reader, dst []byte, n int) ([]byte, error) {
	start := len(dst)
	if cap(dst)-start < n {
		grown := make([]byte, start, start+n)
		copy(grown, dst)
		dst = grown
	}
	dst = dst[:start+n]
	if _, err := io.ReadFull(r, dst[start:]); err != nil {
		return dst[:start], truncated(err, "frame payload")
	}
	return dst, nil
}

// Decompress returns the data of the entzip streams in src appended to
// dst.
func Decompress(dst, src []byte, opts ...ReaderOption) ([]byte, error) {
	z, err := NewReader(bytes.NewReader(src), opts...)
	if err != nil {
		return dst, err
	}
	w := appendWriter{dst}
	_, err = z.WriteTo(&w)
	return w.b, err
}

// countingReader counts the bytes read through it, for error offsets.
type countingReader struct {
	r byteReader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}
