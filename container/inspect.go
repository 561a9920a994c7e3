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
}

// Inspect walks the streams and frames of r without decoding them and
// reports what it finds. It checks every header and frame record, but not
// the data checksums: use a Reader to verify the data.
func Inspect(r io.Reader) (Info, error) {
	cr := countingReader{r: bufio.NewReaderSize(r, 64<<10)}
	var info Info
	var b [headerSize]byte
	for {
		switch err := readMagic(&cr, &b, info.Streams == 0); {
		case err == io.EOF:
			info.CompressedSize = cr.n
			return info, nil
		case err != nil:
			return info, err
		}
		p, err := readHeaderAfterMagic(&cr, b)
		if err != nil {
			return info, err
		}
		if info.Streams == 0 {
			info.Params = p
		}
		info.Streams++
		if err := inspectFrames(&cr, p, &info); err != nil {
			return info, err
		}
	}
}

// inspectFrames skips over the frames of one stream up to its end marker.
func inspectFrames(cr *countingReader, p Params, info *Info) error {
	var units func(io.ByteReader) (uint64, int, error)
	if s := lookup(p.Model); s != nil {
		units = s.FrameUnits
	}
	var frame int64
	for {
		offset := cr.n
		kind, err := cr.ReadByte()
		if err != nil {
			return &FrameError{Frame: frame, Offset: offset, Err: truncated(err, "frame header")}
		}
		h, err := readFrameHeader(cr, kind, p)
		if err != nil {
			return &FrameError{Frame: frame, Offset: offset, Err: err}
		}
		if h.kind == kindEnd {
			info.RawSize += h.rawLen
			return nil
		}
		skip := int64(h.codedLen)
		if units != nil && h.kind == kindCoded {
			n, read, err := units(cr)
			if err != nil {
				return &FrameError{Frame: frame, Offset: offset, Err: err}
			}
			info.Units += int64(n)
			skip -= int64(read)
		}
		if skip < 0 {
			return &FrameError{Frame: frame, Offset: offset, Err: fmt.Errorf("%w: the frame's unit count overruns its payload", ErrCorrupt)}
		}
		if _, err := io.CopyN(io.Discard, cr, skip); err != nil {
			return &FrameError{Frame: frame, Offset: offset, Err: truncated(err, "frame payload")}
		}
		info.Frames++
		if h.kind == kindStored {
			info.StoredFrames++
		}
		frame++
	}
}
