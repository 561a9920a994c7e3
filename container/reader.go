package container

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"sync"
)

// Reader decompresses an entzip stream read from an underlying io.Reader.
// Streams written one after another (as `cat a.ez b.ez` makes) are decoded
// in turn, like gzip members; anything else after a stream's end marker is
// reported as ErrTrailing. Every frame's checksum is verified before any of
// its bytes are returned, and the stream checksum and length at the end
// marker, so Read never returns data that does not match what was written.
// With WithDecoderConcurrency, frames of streams that are not solid, and
// the runs of solid streams that restart (WithRestart), are decoded in
// parallel batches. A frame index after a stream is checked against the
// stream's frames; if it does not match, the Reader reports ErrIndex after
// the stream's data.
//
// A Reader is not safe for concurrent use. Errors are sticky.
type Reader struct {
	r      countingReader
	set    readerSettings
	p      Params
	slots  []readSlot   // frames of the current batch
	codecs []FrameCodec // one per worker; codecs[0] always exists
	unit   int64        // frames in a row that go to one worker
	n      int          // slots in use
	next   int          // next slot to return
	raw    []byte       // the frame being returned
	pos    int          // bytes of raw already returned
	crc    uint32       // CRC-32C of the stream's raw bytes so far
	total  uint64
	frame  int64    // frames returned in this stream
	read   int64    // frames read in this stream
	log    frameLog // the stream's frames, to check its index
	err    error
}

// readSlot is one frame of a batch: its record, payload, decoded bytes and
// the codec that decodes it.
type readSlot struct {
	codec   FrameCodec
	worker  int  // which of the Reader's codecs decodes it
	restart bool // the frame starts a run: reset the codec first
	h       frameHeader
	offset  int64 // of the frame record in the compressed stream
	size    int64 // bytes of the frame record and payload
	coded   []byte
	raw     []byte
	err     error
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
	z.raw, z.pos = nil, 0
	z.n, z.next = 0, 0
	z.err = nil
	var b [headerSize]byte
	if z.err = readMagic(&z.r, &b, true); z.err == nil {
		z.err = z.startStream(b)
	}
	return z.err
}

// Params returns the parameters of the stream being decoded.
func (z *Reader) Params() Params { return z.p }

// startStream reads the header of a stream whose magic is in b and sets up
// its codecs.
func (z *Reader) startStream(b [headerSize]byte) error {
	start := z.r.n - 4
	p, err := readHeaderAfterMagic(&z.r, b)
	if err != nil {
		return err
	}
	if err := checkDictionary(p, z.set.dict); err != nil {
		return err
	}
	workers, unit, err := decodeWorkers(p, z.set.concurrency, z.set.maxMemory)
	if err != nil {
		return err
	}
	if len(z.codecs) == 0 || p != z.p {
		c, err := newStreamCodec(p, &z.set.res, z.set.dict)
		if err != nil {
			return err
		}
		z.codecs = make([]FrameCodec, workers)
		z.codecs[0] = c
		z.slots = make([]readSlot, int64(workers)*unit)
		z.unit = unit
	}
	z.p = p
	for _, c := range z.codecs {
		if c != nil {
			c.Reset()
		}
	}
	z.crc, z.total, z.frame, z.read = 0, 0, 0, 0
	z.log.reset(z.r.n - start)
	return nil
}

// decodeWorkers returns how many workers decode a stream with p at once
// (runWorkers, within the memory limit) and how many frames in a row go
// to one, or ErrLimit if the stream needs more memory than the limit.
func decodeWorkers(p Params, concurrency int, limit int64) (int, int64, error) {
	need := p.DecoderMemory()
	if need > limit {
		return 0, 0, fmt.Errorf("%w: stream needs %d bytes, limit is %d (raise it with --memory)", ErrLimit, need, limit)
	}
	workers, unit := runWorkers(p, concurrency)
	// Each worker but one also holds the other frames of its run.
	perWorker := need + (unit-1)*2*int64(p.FrameSize)
	if n := limit / perWorker; int64(workers) > n {
		workers = int(max(n, 1))
	}
	if workers == 1 {
		unit = 1
	}
	return workers, unit, nil
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

// nextFrame makes the next decoded frame current. At an end marker it
// checks the stream and moves on to a following stream, or returns io.EOF.
func (z *Reader) nextFrame() error {
	if z.next == z.n {
		z.readBatch()
	}
	s := &z.slots[z.next]
	z.next++
	if s.err != nil {
		return z.frameError(s.offset, s.err)
	}
	if s.h.kind == kindEnd {
		if s.h.rawLen != z.total || s.h.crc != z.crc {
			return z.frameError(s.offset, fmt.Errorf("%w: stream of %d bytes with CRC-32C %08x, end marker says %d bytes, %08x", ErrChecksum, z.total, z.crc, s.h.rawLen, s.h.crc))
		}
		z.raw, z.pos = nil, 0
		return z.nextStream(s.size)
	}
	z.raw, z.pos = s.raw, 0
	z.crc = crc32.Update(z.crc, castagnoli, s.raw)
	z.total += uint64(len(s.raw))
	z.frame++
	return nil
}

// readBatch reads the records and payloads of up to len(z.slots) frames,
// stopping after an end marker or an error, and decodes them, in parallel
// when there are several workers.
func (z *Reader) readBatch() {
	z.n, z.next = 0, 0
	for z.n < len(z.slots) {
		s := &z.slots[z.n]
		z.n++
		s.err = z.readFrame(s)
		if s.err != nil || s.h.kind == kindEnd {
			break
		}
	}
	batch := z.slots[:z.n]
	for i := range batch {
		s := &batch[i]
		if s.err != nil || s.h.kind == kindEnd {
			continue
		}
		if z.codecs[s.worker] == nil {
			if z.codecs[s.worker], s.err = newStreamCodec(z.p, &z.set.res, z.set.dict); s.err != nil {
				continue
			}
		}
		s.codec = z.codecs[s.worker]
	}
	if len(z.codecs) == 1 || len(batch) == 1 {
		decodeRun(batch, batch[0].worker)
		return
	}
	var wg sync.WaitGroup
	for w := range z.codecs {
		wg.Go(func() { decodeRun(batch, w) })
	}
	wg.Wait()
}

// decodeRun decodes, in order, the frames of batch that go to worker w.
// After a frame that fails, the worker's later frames fail with it.
func decodeRun(batch []readSlot, w int) {
	var failed error
	for i := range batch {
		s := &batch[i]
		switch {
		case s.worker != w || s.h.kind == kindEnd:
		case failed != nil && s.err == nil:
			s.err = failed
		default:
			s.decode()
			failed = s.err
		}
	}
}

// readFrame reads one frame record and its payload into s.
func (z *Reader) readFrame(s *readSlot) error {
	s.offset = z.r.n
	kind, err := z.r.ReadByte()
	if err != nil {
		return truncated(err, "frame header")
	}
	if s.h, err = readFrameHeader(&z.r, kind, z.p); err != nil {
		return err
	}
	switch s.h.kind {
	case kindStored:
		s.raw, err = readN(&z.r, s.raw[:0], int(s.h.rawLen))
	case kindCoded:
		s.coded, err = readN(&z.r, s.coded[:0], int(s.h.codedLen))
	}
	s.size = z.r.n - s.offset
	if err != nil || kind == kindEnd {
		return err
	}
	s.worker, s.restart = z.p.frameWorker(z.read, z.unit, len(z.codecs))
	z.read++
	z.log.add(s.size, int64(s.h.rawLen))
	return nil
}

// decode turns the payload of s into its raw bytes and checks them.
func (s *readSlot) decode() {
	if s.err != nil || s.h.kind == kindEnd {
		return
	}
	if s.restart {
		s.codec.Reset()
	}
	if s.h.kind == kindStored {
		s.codec.Learn(s.raw)
	} else {
		var err error
		s.raw, err = s.codec.Decode(s.raw[:0], s.coded, int(s.h.rawLen))
		switch {
		case err != nil:
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrLogits) {
				err = fmt.Errorf("%w: %w", ErrCorrupt, err)
			}
			s.err = err
			return
		case len(s.raw) != int(s.h.rawLen):
			s.err = fmt.Errorf("%w: decoded %d bytes, frame header says %d", ErrCorrupt, len(s.raw), s.h.rawLen)
			return
		}
	}
	if crc := crc32.Checksum(s.raw, castagnoli); crc != s.h.crc {
		s.err = fmt.Errorf("%w: frame data CRC-32C %08x, want %08x", ErrChecksum, crc, s.h.crc)
	}
}

// nextStream checks the frame index that may follow an end marker of end
// bytes and starts the stream that follows, if any.
func (z *Reader) nextStream(end int64) error {
	var b [headerSize]byte
	if _, err := readAfterStream(&z.r, &b, &z.log, end); err != nil {
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
	for _, s := range []error{ErrHeader, ErrChecksum, ErrCorrupt, ErrTruncated, ErrTrailing, ErrFormat, ErrVersion, ErrUnsupported, ErrLimit, ErrUnknownModel, ErrUnknownCoder, ErrLogits, ErrLogitsMismatch, ErrIndex, ErrDictionary} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// readN appends exactly n bytes from r to dst (n was validated against
// the frame size). It grows dst by at most readChunk bytes beyond what has
// arrived, so a header that promises a large frame in a short input costs
// no large allocation.
func readN(r io.Reader, dst []byte, n int) ([]byte, error) {
	start := len(dst)
	for len(dst)-start < n {
		k := min(n-(len(dst)-start), readChunk)
		dst = slices.Grow(dst, k)
		m, err := io.ReadFull(r, dst[len(dst):len(dst)+k])
		dst = dst[:len(dst)+m]
		if err != nil {
			return dst[:start], truncated(err, "frame payload")
		}
	}
	return dst, nil
}

// readChunk is how much readN reads at a time.
const readChunk = 1 << 20

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
