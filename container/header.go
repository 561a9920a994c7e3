package container

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The stream and frame layouts are specified in docs/FORMAT.md; this file
// is their only implementation.

// magic opens every entzip stream.
var magic = [4]byte{'E', 'Z', 0xB7, 0x1A}

// Version is the format version this package writes; it reads
// MinVersion..Version. Version 2 changed the estimators of orderk of order
// ≤ 3 in frames whose codeword code has at most 16 codewords
// (model.OrderKRevWide), version 3 cm's word contexts at levels 7..9
// (cm.RevHighWords), version 4 gave text streams frame kinds for machine
// code and packed bytes (filter_x86.go, filter_pack.go), orderk's wide
// counters a longer count and finer mixer, and codewords frames a kind
// byte that marks stationary frames (model.OrderKRevLong), and cm new
// contexts, mixer weight sets and estimators (cm.RevIndirect;
// docs/FORMAT.md, "Model revisions"); a stream of an older version
// decodes with the old ones.
const (
	Version    = 4
	MinVersion = 1
)

const (
	flagStatic    = 1 << 0
	flagSolid     = 1 << 1
	flagCodewords = 1 << 2
	flagRestart   = 1 << 3 // the extension starts with the restart interval
	flagDict      = 1 << 4 // the extension holds the dictionary id
	flagText      = 1 << 5 // frames start with a text transform kind (codec_text.go)
	knownFlags    = flagStatic | flagSolid | flagCodewords | flagRestart | flagDict | flagText
)

// Stream options in the header extension, before the model's bytes:
// with flagRestart the restart interval (uint32), then with flagDict the
// dictionary id (uint64).
const (
	restartExtLen = 4
	dictExtLen    = 8
)

// maxModelExt is the longest header extension a model may record: the
// header's length byte also counts the stream's own (restart, dictionary).
const maxModelExt = 255 - restartExtLen - dictExtLen

// streamExtLen is the length of the stream options flags announce.
func streamExtLen(flags byte) int {
	n := 0
	if flags&flagRestart != 0 {
		n += restartExtLen
	}
	if flags&flagDict != 0 {
		n += dictExtLen
	}
	return n
}

// Frame kinds.
const (
	kindEnd    = 0x00
	kindCoded  = 0x01
	kindStored = 0x02
)

// headerSize is the size of a version-1 stream header without extension
// bytes: magic, version, model, coder, flags, frame log, order, memory
// bits, extension length, CRC-32C. The extension bytes (lm streams: see
// lmExtLen) come before the CRC.
const headerSize = 4 + 8 + 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendHeader appends the stream header of p (with defaults applied).
func appendHeader(dst []byte, p Params) []byte {
	start := len(dst)
	var flags byte
	if p.Static {
		flags |= flagStatic
	}
	if p.Solid {
		flags |= flagSolid
	}
	if p.Codewords {
		flags |= flagCodewords
	}
	if p.Restart > 0 {
		flags |= flagRestart
	}
	if p.Dict != 0 {
		flags |= flagDict
	}
	if p.Text {
		flags |= flagText
	}
	dst = append(dst, magic[:]...)
	s := lookup(p.Model)
	dst = append(dst, Version, byte(p.Model), byte(p.Coder), flags,
		byte(log2(p.FrameSize)), byte(p.Order+p.Level), byte(p.MemBits), byte(streamExtLen(flags)+s.ExtLen))
	if p.Restart > 0 {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(p.Restart))
	}
	if p.Dict != 0 {
		dst = binary.LittleEndian.AppendUint64(dst, p.Dict)
	}
	if s.ExtLen > 0 {
		dst = s.AppendExt(dst, p)
	}
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// readMagic reads the 4 bytes that open a stream into b. At the start of
// the input (first) no bytes at all are ErrFormat; after a stream's end
// marker they are io.EOF, the end of the input, the magic of a frame
// index is errIndexFollows, and anything but a whole magic is
// ErrTrailing. A wrong magic at the start is left to
// readHeaderAfterMagic.
func readMagic(r *countingReader, b *[headerSize]byte, first bool) error {
	n, err := io.ReadFull(r, b[:4])
	switch {
	case err == io.EOF && first:
		return fmt.Errorf("%w: empty input", ErrFormat)
	case err == io.EOF:
		return io.EOF
	case !first && n == 4 && [4]byte(b[:4]) == indexMagic:
		return errIndexFollows
	case !first && (n > 0 && [4]byte(b[:4]) != magic || err == io.ErrUnexpectedEOF):
		return fmt.Errorf("%w (%d bytes at offset %d)", ErrTrailing, n, r.n-int64(n))
	}
	return truncated(err, "stream header")
}

// errIndexFollows is readMagic's report of a frame index.
var errIndexFollows = errors.New("frame index follows")

// readAfterStream reads what follows a stream's end marker of end bytes:
// the stream's frame index, if there is one, which must list the frames
// in log, then the magic of the next stream into b, or io.EOF. It reports
// whether there was an index.
func readAfterStream(r *countingReader, b *[headerSize]byte, log *frameLog, end int64) (indexed bool, err error) {
	if err := readMagic(r, b, false); err != errIndexFollows {
		return false, err
	}
	if err := log.checkIndex(r, end); err != nil {
		return true, err
	}
	if err := readMagic(r, b, false); err != errIndexFollows {
		return true, err
	}
	return true, fmt.Errorf("%w: a second frame index (at offset %d)", ErrTrailing, r.n-4)
}

// readHeaderAfterMagic reads the rest of a header whose first 4 bytes are
// in b.
func readHeaderAfterMagic(r io.Reader, b [headerSize]byte) (Params, error) {
	if [4]byte(b[:4]) != magic {
		return Params{}, fmt.Errorf("%w (magic bytes % x)", ErrFormat, b[:4])
	}
	if _, err := io.ReadFull(r, b[4:5]); err != nil {
		return Params{}, truncated(err, "stream header")
	}
	if b[4] < MinVersion || b[4] > Version {
		return Params{}, fmt.Errorf("%w %d (this entzip reads versions %d..%d)", ErrVersion, b[4], MinVersion, Version)
	}
	// Bytes 5..11, the extension bytes (byte 11 says how many), the CRC.
	if _, err := io.ReadFull(r, b[5:headerSize-4]); err != nil {
		return Params{}, truncated(err, "stream header")
	}
	ext := make([]byte, int(b[11])+4)
	if _, err := io.ReadFull(r, ext); err != nil {
		return Params{}, truncated(err, "stream header")
	}
	ext, sum := ext[:len(ext)-4], ext[len(ext)-4:]
	crc := crc32.Update(crc32.Checksum(b[:headerSize-4], castagnoli), castagnoli, ext)
	if want := binary.LittleEndian.Uint32(sum); crc != want {
		return Params{}, fmt.Errorf("%w: stream header checksum %08x, want %08x", ErrHeader, crc, want)
	}
	model, coder, flags, frameLog, param, memBits, extLen := b[5], b[6], b[7], b[8], b[9], b[10], b[11]
	if flags&^knownFlags != 0 {
		return Params{}, fmt.Errorf("%w: unknown flags %#x", ErrHeader, flags)
	}
	s, err := spec(Model(model))
	if err != nil {
		return Params{}, err
	}
	if opt := streamExtLen(flags); int(extLen) != opt+s.ExtLen {
		return Params{}, fmt.Errorf("%w: %d extension bytes, model %s and the flags have %d", ErrHeader, extLen, s.Name, opt+s.ExtLen)
	}
	if frameLog < MinFrameLog || frameLog > MaxFrameLog {
		return Params{}, fmt.Errorf("%w: frame size 2^%d out of range 2^%d..2^%d", ErrHeader, frameLog, MinFrameLog, MaxFrameLog)
	}
	p := Params{
		Model:     Model(model),
		Coder:     Coder(coder),
		MemBits:   int(memBits),
		Static:    flags&flagStatic != 0,
		Solid:     flags&flagSolid != 0,
		Codewords: flags&flagCodewords != 0,
		Text:      flags&flagText != 0,
		FrameSize: 1 << frameLog,
	}
	if b[4] != Version {
		p.Version = int(b[4])
	}
	if s.Level != nil {
		p.Level = int(param)
	} else {
		p.Order = int(param)
	}
	if flags&flagRestart != 0 {
		r := binary.LittleEndian.Uint32(ext)
		if r < 2 || r > maxRestart {
			return Params{}, fmt.Errorf("%w: restart interval %d out of range 2..%d", ErrHeader, r, maxRestart)
		}
		p.Restart, ext = int(r), ext[restartExtLen:]
	}
	if flags&flagDict != 0 {
		if p.Dict, ext = binary.LittleEndian.Uint64(ext), ext[dictExtLen:]; p.Dict == 0 {
			return Params{}, fmt.Errorf("%w: dictionary id 0", ErrHeader)
		}
	}
	if s.ExtLen > 0 {
		if err := s.ParseExt(ext, &p); err != nil {
			return Params{}, err
		}
	}
	if err := p.Validate(); err != nil {
		return Params{}, err
	}
	if p != p.withDefaults() {
		return Params{}, fmt.Errorf("%w: parameters %+v are not in canonical form", ErrHeader, p)
	}
	return p, nil
}

// frameHeader is the record before each frame's payload:
//
//	kind      1 byte   kindCoded, kindStored or kindEnd
//	coded, stored:
//	  rawLen    uvarint  1..FrameSize
//	  codedLen  uvarint  1..rawLen-1 (coded frames only; stored frames hold rawLen bytes)
//	  rawCRC    4 bytes  CRC-32C of the raw bytes, little-endian
//	end:
//	  total     uvarint  raw bytes in the whole stream
//	  rawCRC    4 bytes  CRC-32C of all raw bytes of the stream
//	check     2 bytes  low 16 bits of the CRC-32C of the record's preceding bytes
type frameHeader struct {
	kind     byte
	rawLen   uint64 // raw bytes of this frame, or of the stream for kindEnd
	codedLen uint64 // payload bytes that follow the record
	crc      uint32
}

// maxFrameHeader is the longest frame record.
const maxFrameHeader = 1 + 2*binary.MaxVarintLen64 + 4 + 2

func appendFrameHeader(dst []byte, h frameHeader) []byte {
	start := len(dst)
	dst = append(dst, h.kind)
	dst = binary.AppendUvarint(dst, h.rawLen)
	if h.kind == kindCoded {
		dst = binary.AppendUvarint(dst, h.codedLen)
	}
	dst = binary.LittleEndian.AppendUint32(dst, h.crc)
	return binary.LittleEndian.AppendUint16(dst, uint16(crc32.Checksum(dst[start:], castagnoli)))
}

// byteReader is what frame records are read from.
type byteReader interface {
	io.Reader
	io.ByteReader
}

// readFrameHeader reads one frame record and validates it against p. kind
// is the already-read first byte.
func readFrameHeader(r byteReader, kind byte, p Params) (frameHeader, error) {
	rec := make([]byte, 1, maxFrameHeader)
	rec[0] = kind
	h := frameHeader{kind: kind}
	var err error
	readUvarint := func() uint64 {
		if err != nil {
			return 0
		}
		var v uint64
		for shift := 0; ; shift += 7 {
			var c byte
			c, err = r.ReadByte()
			if err != nil {
				err = truncated(err, "frame header")
				return 0
			}
			rec = append(rec, c)
			if shift == 63 && c > 1 || len(rec) > 1+2*binary.MaxVarintLen64 {
				err = fmt.Errorf("%w: length field overflows 64 bits", ErrHeader)
				return 0
			}
			v |= uint64(c&0x7F) << shift
			if c < 0x80 {
				return v
			}
		}
	}
	switch kind {
	case kindCoded, kindStored, kindEnd:
	default:
		return h, fmt.Errorf("%w: unknown frame kind %#02x", ErrHeader, kind)
	}
	h.rawLen = readUvarint()
	if kind == kindCoded {
		h.codedLen = readUvarint()
	}
	if err != nil {
		return h, err
	}
	var tail [6]byte
	if _, err := io.ReadFull(r, tail[:]); err != nil {
		return h, truncated(err, "frame header")
	}
	rec = append(rec, tail[:4]...)
	h.crc = binary.LittleEndian.Uint32(tail[:4])
	if got, want := uint16(crc32.Checksum(rec, castagnoli)), binary.LittleEndian.Uint16(tail[4:]); got != want {
		return h, fmt.Errorf("%w: frame header check %04x, want %04x", ErrHeader, got, want)
	}
	switch kind {
	case kindStored:
		h.codedLen = h.rawLen
		fallthrough
	case kindCoded:
		if h.rawLen == 0 || h.rawLen > uint64(p.FrameSize) {
			return h, fmt.Errorf("%w: frame of %d raw bytes, stream allows 1..%d", ErrHeader, h.rawLen, p.FrameSize)
		}
		if kind == kindCoded && (h.codedLen == 0 || h.codedLen >= h.rawLen) {
			return h, fmt.Errorf("%w: coded frame of %d bytes for %d raw bytes", ErrHeader, h.codedLen, h.rawLen)
		}
	}
	return h, nil
}

// truncated turns an unexpected end of input into ErrTruncated.
func truncated(err error, what string) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: input ends inside a %s", ErrTruncated, what)
	}
	return err
}

// log2 returns the base-2 logarithm of the power of two n.
func log2(n int) int {
	l := 0
	for n > 1 {
		n >>= 1
		l++
	}
	return l
}
