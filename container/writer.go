package container

import (
	"hash/crc32"
	"io"
	"slices"
	"sync"
)

// Writer compresses what is written to it into an entzip stream on an
// underlying io.Writer. Data is cut into frames of Params.FrameSize bytes;
// full frames are coded and written in batches of up to WithConcurrency
// frames, coded in parallel, so memory stays bounded whatever the input
// size. The bytes written never depend on the concurrency nor on how the
// data is split into Write calls. Close writes the last frame and the end
// marker; it does not close the underlying writer.
//
// A solid stream is coded one frame at a time, unless it restarts
// (WithRestart): then each worker codes a run of frames in turn.
//
// A Writer is not safe for concurrent use. Its errors are sticky: after a
// failed write every later call returns the same error.
type Writer struct {
	w      io.Writer
	p      Params
	slots  []frameSlot  // frames of the batch being filled; slot 0 always exists
	n      int          // full slots in the batch
	codecs []FrameCodec // one per worker; codecs[0] always exists
	unit   int64        // frames in a row that go to one worker
	frames int64        // frames written in this stream
	dict   *Dictionary  // WithDictionary
	index  bool         // WithIndex: write a frame index after the end marker
	log    frameLog     // with index: the stream's frames
	crc    uint32       // CRC-32C of all raw bytes so far
	total  uint64
	err    error
	header bool // whether the stream header has been written
	res    Resources
	framer Framer                                       // cuts the frames of models of units (lm), else nil
	add    func(index int, id int32, unit []byte) error // z.addUnit, made once
	cost   *Cost                                        // WithCost
	rec    [maxFrameHeader]byte
}

// frameSlot is one frame of a batch and the codec that codes it.
type frameSlot struct {
	codec   FrameCodec
	worker  int     // which of the Writer's codecs codes it
	restart bool    // the frame starts a run: reset the codec first
	raw     []byte  // raw bytes of the frame
	out     []byte  // maxFrameHeader bytes of room, then the coded frame
	first   int     // with a Framer: index of the frame's first unit
	units   []int32 // with a Framer: the frame's units
	err     error   // coding failed
	// measured is whether the frame's codec measured its cost (WithCost)
	// into cost.
	measured bool
	cost     Cost
}

// NewWriter returns a Writer compressing to w with the given options
// (DefaultLevel without any). It fails with an error wrapping
// ErrUnsupported when the options name a model and coder that do not work
// together, saying what to use instead.
func NewWriter(w io.Writer, opts ...WriterOption) (*Writer, error) {
	s, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	workers, unit := runWorkers(s.p, s.concurrency)
	z := &Writer{p: s.p, slots: make([]frameSlot, int64(workers)*unit), codecs: make([]FrameCodec, workers),
		unit: unit, res: s.res, cost: s.cost, dict: s.stream.dict, index: s.stream.index}
	if z.codecs[0], err = newStreamCodec(s.p, &z.res, z.dict); err != nil {
		return nil, err
	}
	if sp := lookup(s.p.Model); sp.NewFramer != nil {
		if z.framer, err = sp.NewFramer(s.p, &z.res); err != nil {
			return nil, err
		}
		z.add = z.addUnit
	}
	z.Reset(w)
	return z, nil
}

// Params returns the parameters the Writer records in the stream header.
func (z *Writer) Params() Params { return z.p }

// Reset discards the Writer's state and makes it write a new stream to w
// with the same parameters, reusing its buffers and models.
func (z *Writer) Reset(w io.Writer) {
	z.w = w
	for _, c := range z.codecs {
		if c != nil {
			c.Reset()
		}
	}
	for i := range z.slots {
		z.slots[i].raw = z.slots[i].raw[:0]
		z.slots[i].units = z.slots[i].units[:0]
	}
	z.frames = 0
	if z.framer != nil {
		z.framer.Reset()
	}
	z.n = 0
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
	if z.framer != nil {
		n, err := z.framer.Write(p, z.add)
		if err != nil {
			z.err = err
		}
		return n, err
	}
	n := 0
	for len(p) > 0 {
		s := &z.slots[z.n]
		if s.raw == nil {
			s.raw = make([]byte, 0, z.p.FrameSize)
		}
		k := copy(s.raw[len(s.raw):cap(s.raw)], p)
		s.raw = s.raw[:len(s.raw)+k]
		p = p[k:]
		n += k
		if len(s.raw) == cap(s.raw) {
			z.n++
			if z.n == len(z.slots) {
				if err := z.writeBatch(); err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}

// Flush codes the data written so far and writes it, the last part as a
// frame of its own, so that a reader can decode everything written up to
// now. Flushing often costs ratio.
func (z *Writer) Flush() error {
	if z.err != nil {
		return z.err
	}
	if z.n < len(z.slots) && len(z.slots[z.n].raw) > 0 {
		z.n++
	}
	if z.n == 0 {
		return z.writeHeader()
	}
	return z.writeBatch()
}

// Close writes any pending data and the end marker. It does not close the
// underlying writer. Closing twice is harmless; Write after Close fails
// with ErrClosed.
func (z *Writer) Close() error {
	if z.err == ErrClosed {
		return nil
	}
	if z.framer != nil && z.err == nil {
		if z.err = z.framer.Close(z.add); z.err != nil {
			return z.err
		}
		if s := &z.slots[z.n]; len(s.raw) == 0 {
			s.units = s.units[:0] // units without bytes after the last frame: nothing to code
		}
	}
	if err := z.Flush(); err != nil {
		return err
	}
	end := appendFrameHeader(z.rec[:0], frameHeader{kind: kindEnd, rawLen: z.total, crc: z.crc})
	if z.index {
		end = z.log.appendIndex(end, int64(len(end)))
	}
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
	var b [headerSize + 255]byte
	h := appendHeader(b[:0], z.p)
	if _, err := z.w.Write(h); err != nil {
		z.err = err
		return err
	}
	z.log.reset(int64(len(h)))
	z.header = true
	return nil
}

// writeBatch codes the z.n full slots, in parallel when there are several
// workers, and writes them in order.
func (z *Writer) writeBatch() error {
	if err := z.writeHeader(); err != nil {
		return err
	}
	batch := z.slots[:z.n]
	z.n = 0
	for i := range batch {
		s := &batch[i]
		s.worker, s.restart = z.p.frameWorker(z.frames+int64(i), z.unit, len(z.codecs))
		if z.codecs[s.worker] == nil {
			c, err := newStreamCodec(z.p, &z.res, z.dict)
			if err != nil {
				z.err = err // cannot happen: codec 0 was made from z.p
				return err
			}
			z.codecs[s.worker] = c
		}
		s.codec = z.codecs[s.worker]
	}
	measure := z.cost != nil
	if len(z.codecs) == 1 || len(batch) == 1 {
		for i := range batch {
			batch[i].encode(measure)
		}
	} else {
		var wg sync.WaitGroup
		for w := range z.codecs {
			wg.Go(func() {
				for i := range batch {
					if batch[i].worker == w {
						batch[i].encode(measure)
					}
				}
			})
		}
		wg.Wait()
	}
	for i := range batch {
		if err := batch[i].err; err != nil {
			batch[i].err = nil
			z.err = err
			return err
		}
		if err := z.writeFrame(&batch[i]); err != nil {
			return err
		}
	}
	return nil
}

// encode codes s.raw into s.out, leaving room for the frame header in
// front, and measures its cost if measure and the codec can.
func (s *frameSlot) encode(measure bool) {
	if s.restart {
		s.codec.Reset()
	}
	dst := slices.Grow(s.out[:0], maxFrameHeader)[:maxFrameHeader]
	f := Frame{Raw: s.raw, First: s.first, Units: s.units}
	cc, ok := s.codec.(costCodec)
	if s.measured = measure && ok; s.measured {
		s.cost = Cost{}
		s.out, s.err = cc.EncodeCost(dst, f, &s.cost)
		return
	}
	s.out, s.err = s.codec.Encode(dst, f)
}

// addUnit adds a unit of a Framer's to the frame being filled, cutting it
// first when the unit's bytes do not fit.
func (z *Writer) addUnit(index int, id int32, unit []byte) error {
	s := &z.slots[z.n]
	if len(s.raw) > 0 && len(s.raw)+len(unit) > z.p.FrameSize {
		z.n++
		if z.n == len(z.slots) {
			if err := z.writeBatch(); err != nil {
				return err
			}
		}
		s = &z.slots[z.n]
	}
	if s.raw == nil {
		s.raw = make([]byte, 0, z.p.FrameSize)
	}
	if len(s.units) == 0 {
		s.first = index
	}
	s.raw = append(s.raw, unit...)
	s.units = append(s.units, id)
	return nil
}

// writeFrame writes the coded slot s, as a stored frame when coding did not
// make it smaller, and empties it.
func (z *Writer) writeFrame(s *frameSlot) error {
	raw := s.raw
	s.raw = s.raw[:0]
	s.units = s.units[:0]
	z.crc = crc32.Update(z.crc, castagnoli, raw)
	z.total += uint64(len(raw))
	payload := s.out[maxFrameHeader:]
	h := frameHeader{kind: kindCoded, rawLen: uint64(len(raw)), codedLen: uint64(len(payload)), crc: crc32.Checksum(raw, castagnoli)}
	if len(payload) >= len(raw) {
		h.kind, h.codedLen, payload = kindStored, uint64(len(raw)), raw
	}
	if z.cost != nil {
		z.cost.add(s.cost, len(raw), h.kind == kindStored, s.measured)
	}
	rec := appendFrameHeader(z.rec[:0], h)
	if z.index {
		z.log.add(int64(len(rec)+len(payload)), int64(len(raw)))
	}
	z.frames++
	if h.kind == kindCoded {
		// The record goes right in front of the payload, in the room left.
		start := maxFrameHeader - len(rec)
		copy(s.out[start:], rec)
		_, err := z.w.Write(s.out[start:])
		z.err = err
		return err
	}
	if _, err := z.w.Write(rec); err != nil {
		z.err = err
		return err
	}
	_, err := z.w.Write(payload)
	z.err = err
	return err
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
