package container

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// A SeekableReader reads the decompressed data of an entzip file at any
// offset (io.ReaderAt), decoding only the frames that cover what is read.
// It finds the frames with ReadIndex: quickly from frame indexes
// (WithIndex), else by reading every frame record once.
//
// Frames of a stream that is not solid decode on their own. A solid
// stream's frames decode only in order from the start of their run (the
// stream's start, or the last restart: WithRestart), so reading there
// decodes, and discards, what comes before in the run; FileIndex.RunStart
// says where. Sequential reads continue where the last one stopped.
// Reads that span several runs decode them in parallel with
// WithDecoderConcurrency.
//
// Every frame's checksum is verified before its bytes are returned; the
// stream checksums are not (they cover whole streams): read the file
// with a Reader to verify all of it. A SeekableReader is safe for
// concurrent use; its reads are serialized.
type SeekableReader struct {
	r     io.ReaderAt
	set   readerSettings
	index *FileIndex

	mu     sync.Mutex
	codecs []runCodec // one per worker
	slot   seekSlot   // worker 0's frame: the last frame decoded
	last   int        // the frame in slot, -1 if none
	// next is the frame after the last one worker 0's codec decoded, if
	// its model still stands there (-1 if not), so that a read that goes
	// on in the same run need not start the run again.
	next int
}

// seekSlot is a frame being decoded and the buffer it is read into.
type seekSlot struct {
	readSlot
	buf []byte
}

// runCodec is a codec and the stream parameters it was made for.
type runCodec struct {
	p Params
	c FrameCodec
}

// NewSeekableReader returns a SeekableReader of the entzip file r of size
// bytes. It reads the file's index (ReadIndex) and checks that every
// stream can be decoded with opts (memory limit, logits, dictionary), so
// that a read fails only on damaged frames.
func NewSeekableReader(r io.ReaderAt, size int64, opts ...ReaderOption) (*SeekableReader, error) {
	set, err := resolveReader(opts)
	if err != nil {
		return nil, err
	}
	fi, err := ReadIndex(r, size)
	if err != nil {
		return nil, err
	}
	for _, s := range fi.Streams {
		if err := checkDictionary(s.Params, set.dict); err != nil {
			return nil, err
		}
		if _, _, err := decodeWorkers(s.Params, 1, set.maxMemory); err != nil {
			return nil, err
		}
	}
	z := &SeekableReader{r: r, set: set, index: fi, last: -1, next: -1}
	if len(fi.Streams) > 0 {
		// Make one codec now, so that logits or a dictionary that do not fit
		// fail here.
		if _, err := z.codec(0, fi.Streams[0].Params); err != nil {
			return nil, err
		}
	}
	return z, nil
}

// Size returns the size of the decompressed data.
func (z *SeekableReader) Size() int64 { return z.index.RawSize }

// Index returns the streams and frames of the file; do not modify it.
func (z *SeekableReader) Index() *FileIndex { return z.index }

// ReadAt implements io.ReaderAt: it reads len(p) bytes of decompressed
// data at offset off, or fewer and io.EOF at the end of the data.
func (z *SeekableReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("%w: negative offset %d", ErrUnsupported, off)
	}
	if off >= z.index.RawSize {
		if len(p) == 0 && off == z.index.RawSize {
			return 0, nil
		}
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), z.index.RawSize)
	if end == off {
		return 0, nil
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	first, last := z.index.FrameAt(off), z.index.FrameAt(end-1)
	runs := z.runs(first, last)
	var err error
	if len(runs) == 1 || z.set.concurrency == 1 || !z.sameParams(runs) {
		for _, run := range runs {
			if err = z.readRun(run, p, off); err != nil {
				break
			}
		}
	} else {
		err = z.readParallel(runs, p, off)
	}
	if err != nil {
		return 0, err
	}
	if n := int(end - off); n < len(p) {
		return n, io.EOF
	}
	return len(p), nil
}

// A frameRun is a part of one run of frames: from..to, inclusive, whose
// run begins at frame start (all indexes in FileIndex.Frames).
type frameRun struct {
	start, from, to int
}

// runs cuts the frames first..last into the runs they belong to.
func (z *SeekableReader) runs(first, last int) []frameRun {
	var out []frameRun
	for f := first; f <= last; {
		s := z.index.Streams[z.index.Frames[f].Stream]
		start := z.index.RunFirst(f)
		to := min(last, s.First+s.Count-1)
		if n := s.Params.runFrames(); n > 0 {
			to = min(to, start+int(n)-1)
		}
		out = append(out, frameRun{start: start, from: f, to: to})
		f = to + 1
	}
	return out
}

// readRun decodes run with worker 0's codec and copies what falls in
// [off, off+len(p)) into p. It goes on from where the codec stands when
// that is in the run before run.from.
func (z *SeekableReader) readRun(run frameRun, p []byte, off int64) error {
	if run.from == run.to && run.from == z.last {
		z.copyOut(run.from, z.slot.raw, p, off)
		return nil
	}
	from := run.start
	if z.next > run.start && z.next <= run.from {
		from = z.next
	}
	z.next, z.last = -1, -1
	if err := z.decodeRun(0, &z.slot, run, from, p, off); err != nil {
		return err
	}
	z.next, z.last = run.to+1, run.to
	return nil
}

// sameParams reports whether all runs belong to streams of the same
// parameters, which one set of codecs decodes.
func (z *SeekableReader) sameParams(runs []frameRun) bool {
	p := z.runParams(runs[0])
	for _, run := range runs[1:] {
		if z.runParams(run) != p {
			return false
		}
	}
	return true
}

// runParams returns the parameters of run's stream.
func (z *SeekableReader) runParams(run frameRun) Params {
	return z.index.Streams[z.index.Frames[run.from].Stream].Params
}

// readParallel decodes runs of streams with the same parameters on up to
// the reader's concurrency of workers, run i on worker i mod workers, each
// from the run's start. The codecs are made first, on this goroutine, as
// Resources require.
func (z *SeekableReader) readParallel(runs []frameRun, p []byte, off int64) error {
	sp := z.runParams(runs[0])
	workers := int(min(int64(z.set.concurrency), int64(len(runs)), max(z.set.maxMemory/sp.DecoderMemory(), 1)))
	for w := range workers {
		if _, err := z.codec(w, sp); err != nil {
			return err
		}
	}
	z.next, z.last = -1, -1
	errs := make([]error, len(runs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var s seekSlot
			for i := w; i < len(runs); i += workers {
				if errs[i] = z.decodeRun(w, &s, runs[i], runs[i].start, p, off); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// decodeRun decodes frames from..run.to of run into s with worker w's
// codec, which stands before frame from, and copies what falls in
// [off, off+len(p)) into p.
func (z *SeekableReader) decodeRun(w int, s *seekSlot, run frameRun, from int, p []byte, off int64) error {
	sp := z.runParams(run)
	c, err := z.codec(w, sp)
	if err != nil {
		return err
	}
	s.codec = c
	for f := from; f <= run.to; f++ {
		s.restart = f == run.start
		if err := z.decodeFrame(s, f, sp); err != nil {
			return err
		}
		if f >= run.from {
			z.copyOut(f, s.raw, p, off)
		}
	}
	return nil
}

// copyOut copies the part of frame f's bytes raw that falls in
// [off, off+len(p)) into p.
func (z *SeekableReader) copyOut(f int, raw []byte, p []byte, off int64) {
	fo := z.index.Frames[f].RawOffset
	lo, hi := max(off, fo), min(off+int64(len(p)), fo+int64(len(raw)))
	if lo < hi {
		copy(p[lo-off:hi-off], raw[lo-fo:hi-fo])
	}
}

// decodeFrame reads frame f of the file, checks its record against the
// index and decodes it into s.raw.
func (z *SeekableReader) decodeFrame(s *seekSlot, f int, p Params) error {
	fr := z.index.Frames[f]
	locate := func(err error) error {
		return &FrameError{Frame: fr.Frame, Offset: fr.Offset, Err: err}
	}
	s.buf = slices.Grow(s.buf[:0], int(fr.Size))[:fr.Size]
	buf := s.buf
	if _, err := z.r.ReadAt(buf, fr.Offset); err != nil {
		return locate(truncated(err, "frame"))
	}
	br := bytes.NewReader(buf)
	kind, _ := br.ReadByte()
	h, err := readFrameHeader(br, kind, p)
	switch {
	case err != nil:
		return locate(err)
	case kind == kindEnd || int64(h.rawLen) != fr.RawSize || int64(br.Len()) != int64(h.codedLen):
		return locate(fmt.Errorf("%w: the frame record does not match the index (%d raw bytes in %d)", ErrIndex, fr.RawSize, fr.Size))
	}
	s.h = h
	payload := buf[len(buf)-br.Len():]
	if kind == kindStored {
		s.raw = append(s.raw[:0], payload...)
	} else {
		s.coded = payload
	}
	s.err = nil
	s.decode()
	if s.err != nil {
		return locate(s.err)
	}
	return nil
}

// codec returns worker w's codec for streams with p, making it if needed
// (readParallel makes them before its workers run).
func (z *SeekableReader) codec(w int, p Params) (FrameCodec, error) {
	if len(z.codecs) <= w {
		z.codecs = append(z.codecs, make([]runCodec, w+1-len(z.codecs))...)
	}
	if rc := z.codecs[w]; rc.c != nil && rc.p == p {
		return rc.c, nil
	}
	c, err := newStreamCodec(p, &z.set.res, z.set.dict)
	if err != nil {
		return nil, err
	}
	z.codecs[w] = runCodec{p: p, c: c}
	return c, nil
}
