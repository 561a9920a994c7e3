package container

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"hash/crc64"
)

// A Dictionary primes a model before the first frame of a stream, so that
// small inputs of a known kind (JSON records, log lines, messages) are
// coded by a model that has already seen their like: WithDictionary on
// the Writer, WithDecoderDictionary on the Reader. It is a sample of such
// data (TrainDictionary picks one from many inputs); both sides run the
// model over it, so the stream holds only the dictionary's id. A
// Dictionary is immutable and safe for concurrent use.
//
// Its file format (.ezd) is specified in docs/FORMAT.md ("Dictionaries").
type Dictionary struct {
	id      uint64
	content []byte
}

// Dictionary limits: a dictionary holds 1..MaxDictSize bytes;
// DefaultDictSize is what TrainDictionary aims at without a limit given.
const (
	MaxDictSize     = 1 << 26
	DefaultDictSize = 64 << 10
)

// dictMagic opens a dictionary file.
var dictMagic = [4]byte{'E', 'Z', 0xB7, 0x1D}

// dictVersion is the dictionary format version.
const dictVersion = 1

// dictHeaderSize is the size of a dictionary file without its content:
// magic, version, flags, id, content length, CRC-32C.
const dictHeaderSize = 4 + 1 + 1 + 8 + 4 + 4

var crc64Table = crc64.MakeTable(crc64.ECMA)

// NewDictionary returns the dictionary of content, a copy of it. Its id is
// the CRC-64/ECMA of the content (1 if that is 0), so the same content
// always makes the same dictionary.
func NewDictionary(content []byte) (*Dictionary, error) {
	if len(content) == 0 || len(content) > MaxDictSize {
		return nil, fmt.Errorf("%w: %d bytes of content, a dictionary holds 1..%d", ErrDictionary, len(content), MaxDictSize)
	}
	return newDictionary(append([]byte(nil), content...)), nil
}

// newDictionary returns the dictionary of content, which it keeps: the
// caller built content for it, of 1..MaxDictSize bytes.
func newDictionary(content []byte) *Dictionary {
	return &Dictionary{id: dictID(content), content: content}
}

// dictID is the id of a dictionary of content.
func dictID(content []byte) uint64 {
	return max(crc64.Checksum(content, crc64Table), 1)
}

// ID returns the id that streams primed with d record.
func (d *Dictionary) ID() uint64 { return d.id }

// Content returns the bytes the models are primed with; do not modify
// them.
func (d *Dictionary) Content() []byte { return d.content }

// AppendBinary appends d in the dictionary file format to dst.
func (d *Dictionary) AppendBinary(dst []byte) ([]byte, error) {
	start := len(dst)
	dst = append(dst, dictMagic[:]...)
	dst = append(dst, dictVersion, 0)
	dst = binary.LittleEndian.AppendUint64(dst, d.id)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(d.content)))
	dst = append(dst, d.content...)
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli)), nil
}

// MarshalBinary returns d in the dictionary file format.
func (d *Dictionary) MarshalBinary() ([]byte, error) { return d.AppendBinary(nil) }

// ParseDictionary reads a dictionary file. Its errors wrap ErrDictionary
// and say what is wrong: not a dictionary, another version, a wrong
// length, checksum or id.
func ParseDictionary(b []byte) (*Dictionary, error) {
	bad := func(format string, args ...any) (*Dictionary, error) {
		return nil, fmt.Errorf("%w file: "+format, append([]any{ErrDictionary}, args...)...)
	}
	switch {
	case len(b) < 4 || [4]byte(b[:4]) != dictMagic:
		return bad("not an entzip dictionary (no magic)")
	case len(b) < dictHeaderSize:
		return bad("truncated: %d bytes", len(b))
	case b[4] != dictVersion:
		return bad("version %d, this entzip reads version %d", b[4], dictVersion)
	case b[5] != 0:
		return bad("unknown flags %#x", b[5])
	}
	n := binary.LittleEndian.Uint32(b[14:])
	if int64(n) != int64(len(b)-dictHeaderSize) {
		return bad("says it holds %d bytes of content, has %d", n, len(b)-dictHeaderSize)
	}
	body := b[:len(b)-4]
	if got, want := crc32.Checksum(body, castagnoli), binary.LittleEndian.Uint32(b[len(b)-4:]); got != want {
		return bad("checksum %08x, want %08x", got, want)
	}
	d, err := NewDictionary(body[18:])
	if err != nil {
		return nil, err
	}
	if id := binary.LittleEndian.Uint64(b[6:]); id != d.id {
		return bad("id %016x does not match its content (%016x)", id, d.id)
	}
	return d, nil
}

// WithDictionary primes the model with d before the first frame (and, in
// a stream that is not solid or restarts, before every run of frames);
// the stream records d's id, and only a Reader given d decodes it. A
// dictionary needs an adaptive model (order0, orderk, cm), not static
// codes nor lm.
func WithDictionary(d *Dictionary) WriterOption {
	return func(s *writerSettings) error {
		s.stream.dict = d
		return nil
	}
}

// WithDecoderDictionary gives a Reader the dictionary a stream was primed
// with. Streams without a dictionary decode as before; a stream that names
// another dictionary fails with ErrDictionary before any output.
func WithDecoderDictionary(d *Dictionary) ReaderOption {
	return func(s *readerSettings) error {
		s.dict = d
		return nil
	}
}

// checkDictionary reports whether d is the dictionary a stream with p
// needs, before anything is decoded.
func checkDictionary(p Params, d *Dictionary) error {
	switch {
	case p.Dict == 0:
		return nil
	case d == nil:
		return fmt.Errorf("%w: the stream was compressed with dictionary %016x; give it with -D (WithDecoderDictionary)", ErrDictionary, p.Dict)
	case d.id != p.Dict:
		return fmt.Errorf("%w: the stream was compressed with dictionary %016x, not with the one given (%016x)", ErrDictionary, p.Dict, d.id)
	}
	return nil
}
