package container

import (
	"bufio"
	"fmt"
	"io"
)

// Info describes an entzip file as Inspect finds it.
type Info struct {
	Params         Params // parameters of the first stream
	Streams        int    // streams in the file
	Frames         int64  // frames in all streams, stored ones included
	StoredFrames   int64  // frames stored raw because coding would expand them
	RawSize        uint64 // decompressed size, from the end markers
	CompressedSize int64  // bytes read
	// Units counts, for streams of a model whose frames record their units
	// (ModelSpec.FrameUnits; lm: tokens), the units of the coded frames;
	// those of stored frames are not recorded.
	Units int64
	// Indexed counts the streams followed by a frame index (WithIndex),
	// which Inspect checks against the frames.
	Indexed int
}

// Inspect walks the streams and frames of r without decoding them and
// reports what it finds. It checks every header, frame record and frame
// index, but not the data checksums: use a Reader to verify the data.
func Inspect(r io.Reader) (Info, error) {
	var info Info
	cr := countingReader{r: bufio.NewReaderSize(r, 64<<10)}
	err := walk(&cr, &info, nil)
	info.CompressedSize = cr.n
	return info, err
}

// A walkedStream is what walk found of one stream: its parameters, the
// offset of its header, its frames and the size of its end marker.
type walkedStream struct {
	p       Params
	start   int64
	log     *frameLog
	end     int64
	indexed bool
}

// walk reads the streams of cr to the end without decoding them, checking
// every header, frame record and frame index; it counts what it finds in
// info and, if visit is not nil, calls it after each stream.
func walk(cr *countingReader, info *Info, visit func(walkedStream) error) error {
	var b [headerSize]byte
	if err := readMagic(cr, &b, true); err != nil {
		return err
	}
	var log frameLog
	for {
		start := cr.n - 4
		p, err := readHeaderAfterMagic(cr, b)
		if err != nil {
			return err
		}
		if info.Streams == 0 {
			info.Params = p
		}
		info.Streams++
		log.reset(cr.n - start)
		end, err := inspectFrames(cr, p, info, &log)
		if err != nil {
			return err
		}
		indexed, err := readAfterStream(cr, &b, &log, end)
		if indexed {
			info.Indexed++
		}
		if err != nil && err != io.EOF {
			return err
		}
		if visit != nil {
			if err := visit(walkedStream{p: p, start: start, log: &log, end: end, indexed: indexed}); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// inspectFrames skips over the frames of one stream up to its end marker,
// recording them in log, and returns the size of the end marker.
func inspectFrames(cr *countingReader, p Params, info *Info, log *frameLog) (int64, error) {
	var units func(io.ByteReader) (uint64, error)
	if s := lookup(p.Model); s != nil {
		units = s.FrameUnits
	}
	var frame int64
	for {
		offset := cr.n
		kind, err := cr.ReadByte()
		if err != nil {
			return 0, &FrameError{Frame: frame, Offset: offset, Err: truncated(err, "frame header")}
		}
		h, err := readFrameHeader(cr, kind, p)
		if err != nil {
			return 0, &FrameError{Frame: frame, Offset: offset, Err: err}
		}
		if h.kind == kindEnd {
			info.RawSize += h.rawLen
			return cr.n - offset, nil
		}
		skip := int64(h.codedLen)
		if units != nil && h.kind == kindCoded {
			start := cr.n
			n, err := units(cr)
			if err != nil {
				return 0, &FrameError{Frame: frame, Offset: offset, Err: err}
			}
			info.Units += int64(n)
			skip -= cr.n - start
		}
		if skip < 0 {
			return 0, &FrameError{Frame: frame, Offset: offset, Err: fmt.Errorf("%w: the frame's unit count overruns its payload", ErrCorrupt)}
		}
		if _, err := io.CopyN(io.Discard, cr, skip); err != nil {
			return 0, &FrameError{Frame: frame, Offset: offset, Err: truncated(err, "frame payload")}
		}
		log.add(cr.n-offset, int64(h.rawLen))
		info.Frames++
		if h.kind == kindStored {
			info.StoredFrames++
		}
		frame++
	}
}
