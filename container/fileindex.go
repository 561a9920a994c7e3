package container

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
)

// A FileIndex lists the streams and frames of an entzip file, as ReadIndex
// finds them without decoding anything.
type FileIndex struct {
	Streams []StreamInfo
	Frames  []FrameInfo // of all streams, in file order
	RawSize int64       // bytes of decompressed data
}

// StreamInfo describes one stream of an entzip file.
type StreamInfo struct {
	Params Params
	Offset int64 // of the stream header in the file
	Size   int64 // bytes from the stream header to the end of its end marker
	First  int   // index in FileIndex.Frames of its first frame
	Count  int   // its frames
	// Indexed says the stream has a frame index; without one its frames
	// were found by reading every frame record.
	Indexed bool
}

// FrameInfo describes one frame of an entzip file.
type FrameInfo struct {
	Stream    int   // the stream it belongs to, from 0
	Frame     int64 // its number in the stream, from 0
	Offset    int64 // of its frame record in the file
	Size      int64 // bytes of its record and payload
	RawOffset int64 // of its first byte in the decompressed data
	RawSize   int64 // its decompressed bytes
}

// ReadIndex finds the streams and frames of the entzip file r of size
// bytes: from the frame indexes at the end of its streams (WithIndex),
// reading only each index, a stream's header and its end marker, or,
// where a stream has no index, by reading every frame record (skipping
// the payloads). A damaged index fails with ErrIndex: the file may still
// decode with a Reader, which reads it in order.
func ReadIndex(r io.ReaderAt, size int64) (*FileIndex, error) {
	var tail []located // streams with an index, found from the end
	end := size
	for end > 0 {
		l, err := indexEndingAt(r, end)
		if err != nil {
			return nil, err
		}
		if l == nil {
			break
		}
		tail = append(tail, *l)
		end = l.start
	}
	var found []located
	if end > 0 {
		// The rest has no index at its end: read its records.
		var info Info
		cr := countingReader{r: bufio.NewReaderSize(io.NewSectionReader(r, 0, end), 64<<10)}
		err := walk(&cr, &info, func(w walkedStream) error {
			x, err := parseIndex(w.log.appendIndex(nil, w.end))
			if err != nil {
				return err // cannot happen: the log holds records that parsed
			}
			found = append(found, located{p: w.p, start: w.start, x: x, indexed: w.indexed})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i := len(tail) - 1; i >= 0; i-- {
		found = append(found, tail[i])
	}
	fi := &FileIndex{}
	for _, l := range found {
		fi.add(l)
	}
	return fi, nil
}

// located is one stream of a file: where it starts and its frames.
type located struct {
	p       Params
	start   int64
	x       *streamIndex
	indexed bool
}

// add appends the stream l to fi.
func (fi *FileIndex) add(l located) {
	s := StreamInfo{Params: l.p, Offset: l.start, Size: l.x.streamN, First: len(fi.Frames), Count: len(l.x.raw), Indexed: l.indexed}
	off := l.start + l.x.header
	for i, raw := range l.x.raw {
		fi.Frames = append(fi.Frames, FrameInfo{Stream: len(fi.Streams), Frame: int64(i), Offset: off, Size: l.x.packed[i], RawOffset: fi.RawSize, RawSize: raw})
		off += l.x.packed[i]
		fi.RawSize += raw
	}
	fi.Streams = append(fi.Streams, s)
}

// indexEndingAt reads the frame index that ends at offset end of r and
// checks it against its stream's header and end marker; it returns nil
// when no index ends there.
func indexEndingAt(r io.ReaderAt, end int64) (*located, error) {
	if end < 4+3+indexFooter {
		return nil, nil
	}
	var foot [indexFooter]byte
	if _, err := r.ReadAt(foot[:], end-indexFooter); err != nil {
		return nil, fmt.Errorf("reading the frame index: %w", err)
	}
	if [4]byte(foot[8:]) != indexMagic {
		return nil, nil
	}
	size := int64(binary.LittleEndian.Uint32(foot[4:]))
	if size < 4+3+indexFooter || size > end {
		return nil, fmt.Errorf("%w: the index at the end of %d bytes says it has %d bytes", ErrIndex, end, size)
	}
	block := make([]byte, size)
	if _, err := r.ReadAt(block, end-size); err != nil {
		return nil, fmt.Errorf("reading the frame index: %w", err)
	}
	x, err := parseIndex(block)
	if err != nil {
		return nil, err
	}
	start := end - size - x.streamN
	if start < 0 {
		return nil, fmt.Errorf("%w: the index lists a stream of %d bytes before offset %d", ErrIndex, x.streamN, end-size)
	}
	p, err := checkIndexedStream(r, start, x)
	if err != nil {
		return nil, fmt.Errorf("%w: the stream at offset %d does not match its index: %w", ErrIndex, start, err)
	}
	return &located{p: p, start: start, x: x, indexed: true}, nil
}

// checkIndexedStream reads the header and the end marker of the stream
// that x indexes, starting at start, and checks them against x and each
// other: header size, frame sizes, total size.
func checkIndexedStream(r io.ReaderAt, start int64, x *streamIndex) (Params, error) {
	head := make([]byte, x.header)
	if _, err := r.ReadAt(head, start); err != nil {
		return Params{}, err
	}
	cr := countingReader{r: bytes.NewReader(head)}
	var b [headerSize]byte
	if err := readMagic(&cr, &b, true); err != nil {
		return Params{}, err
	}
	p, err := readHeaderAfterMagic(&cr, b)
	if err != nil {
		return Params{}, err
	}
	if cr.n != x.header {
		return Params{}, fmt.Errorf("a header of %d bytes, the index says %d", cr.n, x.header)
	}
	var rawTotal uint64
	for i, raw := range x.raw {
		if raw > int64(p.FrameSize) {
			return Params{}, fmt.Errorf("frame %d of %d bytes in frames of %d", i, raw, p.FrameSize)
		}
		rawTotal += uint64(raw)
	}
	rec := make([]byte, x.end)
	if _, err := r.ReadAt(rec, start+x.streamN-x.end); err != nil {
		return Params{}, err
	}
	br := bytes.NewReader(rec)
	kind, _ := br.ReadByte()
	h, err := readFrameHeader(br, kind, p)
	switch {
	case err != nil:
		return Params{}, err
	case kind != kindEnd || br.Len() != 0:
		return Params{}, fmt.Errorf("no end marker of %d bytes where the index puts it", x.end)
	case h.rawLen != rawTotal:
		return Params{}, fmt.Errorf("the end marker says %d bytes, the index's frames hold %d", h.rawLen, rawTotal)
	}
	return p, nil
}

// FrameAt returns the index in fi.Frames of the frame that holds byte off
// of the decompressed data, len(fi.Frames) if off is not below fi.RawSize.
func (fi *FileIndex) FrameAt(off int64) int {
	return sort.Search(len(fi.Frames), func(i int) bool {
		f := fi.Frames[i]
		return f.RawOffset+f.RawSize > off
	})
}

// RunStart returns the offset in the decompressed data where decoding
// must begin to reach byte off: the start of off's frame, or, in a solid
// stream, of its run (the stream's start without restarts). Reading at
// off decodes, and discards, the bytes from there to off.
func (fi *FileIndex) RunStart(off int64) int64 {
	if off >= fi.RawSize {
		return fi.RawSize
	}
	return fi.Frames[fi.RunFirst(fi.FrameAt(off))].RawOffset
}

// RunFirst returns the index in fi.Frames of the frame where decoding
// must begin to reach frame i (an index in fi.Frames): i itself, or, in a
// solid stream, the first frame of i's run.
func (fi *FileIndex) RunFirst(i int) int {
	f := fi.Frames[i]
	s := fi.Streams[f.Stream]
	return s.First + int(s.Params.runStart(f.Frame))
}
