package container

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// A frame index may follow a stream's end marker (WithIndex); it lists
// the stream's frames so that a SeekableReader finds any of them without
// reading the others. docs/FORMAT.md ("Frame index") specifies it:
//
//	magic    4        indexMagic
//	frames   uvarint  n, the frames of the stream
//	header   uvarint  bytes of the stream header
//	entries  n × (packed uvarint, raw uvarint)
//	                  packed: bytes of the frame record and payload;
//	                  raw: raw bytes of the frame
//	end      uvarint  bytes of the end marker
//	crc      4        CRC-32C of the block from magic to end
//	size     4        bytes of the whole block, magic to magic, uint32
//	magic    4        indexMagic
//
// Offsets are relative to the stream, so the index of a stream stays
// valid when streams are concatenated.
var indexMagic = [4]byte{'E', 'Z', 0xB7, 0x1E}

// indexFooter is the size of the index's crc, size and closing magic.
const indexFooter = 4 + 4 + 4

// frameLog records the frames of a stream as they are written or read,
// in the form of an index's entries.
type frameLog struct {
	header  int64  // bytes of the stream header
	frames  int64  // frames recorded
	entries []byte // packed and raw length of each frame, as uvarints
}

// reset starts a new stream with a header of header bytes.
func (l *frameLog) reset(header int64) {
	l.header, l.frames, l.entries = header, 0, l.entries[:0]
}

// add records a frame of packed bytes (record and payload) and raw bytes.
func (l *frameLog) add(packed, raw int64) {
	l.frames++
	l.entries = binary.AppendUvarint(l.entries, uint64(packed))
	l.entries = binary.AppendUvarint(l.entries, uint64(raw))
}

// appendIndex appends the index block of the recorded frames and an end
// marker of end bytes.
func (l *frameLog) appendIndex(dst []byte, end int64) []byte {
	start := len(dst)
	dst = append(dst, indexMagic[:]...)
	dst = binary.AppendUvarint(dst, uint64(l.frames))
	dst = binary.AppendUvarint(dst, uint64(l.header))
	dst = append(dst, l.entries...)
	dst = binary.AppendUvarint(dst, uint64(end))
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(dst)-start+8))
	return append(dst, indexMagic[:]...)
}

// checkIndex reads the rest of an index block whose magic was just read
// from r and checks that it lists exactly the frames l recorded, with an
// end marker of end bytes. On a mismatch it says what is wrong when the
// block parses. The stream itself is intact either way: every frame and
// the end marker were checked already.
func (l *frameLog) checkIndex(r io.Reader, end int64) error {
	want := l.appendIndex(nil, end)
	got := make([]byte, len(want))
	copy(got, indexMagic[:])
	if _, err := io.ReadFull(r, got[4:]); err != nil {
		return fmt.Errorf("%w: the stream's data is complete and verified, but %w", ErrIndex, truncated(err, "frame index"))
	}
	if bytes.Equal(got, want) {
		return nil
	}
	_, err := parseIndex(got)
	if err == nil {
		err = fmt.Errorf("%w: it does not list the stream's frames", ErrIndex)
	}
	return fmt.Errorf("%w (the stream's data is complete and verified)", err)
}

// streamIndex is a parsed frame index.
type streamIndex struct {
	header  int64
	packed  []int64 // of each frame: record and payload bytes
	raw     []int64 // of each frame: raw bytes
	end     int64   // bytes of the end marker
	streamN int64   // bytes of the stream, header to end marker
}

// parseIndex parses a whole index block. Its errors wrap ErrIndex and say
// what is wrong; it allocates no more than the block's size warrants.
func parseIndex(b []byte) (*streamIndex, error) {
	bad := func(format string, args ...any) (*streamIndex, error) {
		return nil, fmt.Errorf("%w: "+format, append([]any{ErrIndex}, args...)...)
	}
	if len(b) < 4+3+indexFooter || [4]byte(b[:4]) != indexMagic || [4]byte(b[len(b)-4:]) != indexMagic {
		return bad("no index magic at both ends of %d bytes", len(b))
	}
	foot := b[len(b)-indexFooter:]
	if size := binary.LittleEndian.Uint32(foot[4:]); int64(size) != int64(len(b)) {
		return bad("index block of %d bytes says it has %d", len(b), size)
	}
	body := b[:len(b)-indexFooter]
	if got, want := crc32.Checksum(body, castagnoli), binary.LittleEndian.Uint32(foot); got != want {
		return bad("index checksum %08x, want %08x", got, want)
	}
	body = body[4:]
	next := func() (int64, bool) {
		v, n := binary.Uvarint(body)
		if n <= 0 || v > 1<<62 {
			return 0, false
		}
		body = body[n:]
		return int64(v), true
	}
	frames, ok1 := next()
	header, ok2 := next()
	switch {
	case !ok1 || !ok2:
		return bad("index fields do not parse")
	case frames > int64(len(body))/2:
		return bad("index lists %d frames in %d bytes", frames, len(body))
	case header < headerSize || header > headerSize+255:
		return bad("stream header of %d bytes", header)
	}
	x := &streamIndex{header: header, packed: make([]int64, frames), raw: make([]int64, frames)}
	total := header
	for i := range frames {
		packed, ok1 := next()
		raw, ok2 := next()
		switch {
		case !ok1 || !ok2:
			return bad("index entry %d does not parse", i)
		case raw < 1 || raw > 1<<MaxFrameLog || packed < 1 || packed > raw+maxFrameHeader:
			return bad("index entry %d: frame of %d bytes for %d raw bytes", i, packed, raw)
		}
		x.packed[i], x.raw[i] = packed, raw
		total += packed
	}
	end, ok := next()
	switch {
	case !ok || end < 1+1+4+2 || end > maxFrameHeader:
		return bad("end marker of %d bytes", end)
	case len(body) != 0:
		return bad("%d bytes after the index entries", len(body))
	}
	x.end = end
	x.streamN = total + end
	return x, nil
}

// WithIndex makes the Writer append a frame index to the stream, after its
// end marker, so that a SeekableReader reaches any frame without reading
// the others and entzip -l -v lists them. It costs a few bytes per frame.
// Readers of this package check it; readers older than the index report
// it as trailing garbage after all the data.
func WithIndex(on bool) WriterOption {
	return func(s *writerSettings) error {
		s.stream.index = on
		return nil
	}
}
