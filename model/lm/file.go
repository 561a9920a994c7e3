package lm

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// Limits on the arrays a File loads whole.
const (
	maxVocabBytes = 1 << 28 // vocab_bytes
	maxTokens     = 1 << 30 // tokens (4 GiB as int32)
)

// Array names in an .npz file (each stored as NAME.npy).
const (
	nameLogits       = "logits"
	nameTopKIDs      = "topk_ids"
	nameTopKLogits   = "topk_logits"
	nameRestLogit    = "rest_logit"
	nameVocabSize    = "vocab_size"
	nameVocabBytes   = "vocab_bytes"
	nameVocabOffsets = "vocab_offsets"
	nameTemperature  = "temperature"
	nameTokens       = "tokens"
)

var knownNames = []string{nameLogits, nameTopKIDs, nameTopKLogits, nameRestLogit, nameVocabSize,
	nameVocabBytes, nameVocabOffsets, nameTemperature, nameTokens}

// array is one .npy array: a whole .npy file or an .npz member. Its data
// is either at a known offset of ra (a .npy file or a stored member: rows
// are read with ReadAt) or inside a deflated member (zf: rows are read by
// decompressing from the start).
type array struct {
	name string
	h    npyHeader
	elem elem
	ra   io.ReaderAt // stored: data at ra offset off
	off  int64
	zf   *zip.File // deflated
}

// open returns a sequential reader of the array's data.
func (a *array) open() (io.ReadCloser, error) {
	if a.ra != nil {
		return io.NopCloser(io.NewSectionReader(a.ra, a.off, a.h.nbytes())), nil
	}
	rc, err := a.zf.Open()
	if err != nil {
		return nil, fmt.Errorf("lm: %s: %w", a.name, err)
	}
	if _, err := io.CopyN(io.Discard, rc, a.h.dataOff); err != nil {
		rc.Close()
		return nil, a.readError(err)
	}
	return rc, nil
}

// readError adds the array's name to a read error, mapping an early end
// to ErrTruncated.
func (a *array) readError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s ends early", ErrTruncated, a.name)
	}
	return fmt.Errorf("lm: reading %s: %w", a.name, err)
}

// readAll returns the array's data, which must be at most limit bytes.
func (a *array) readAll(limit int64) ([]byte, error) {
	n := a.h.nbytes()
	if n > limit {
		return nil, fmt.Errorf("%w: %s has %d bytes (limit %d)", ErrShape, a.name, n, limit)
	}
	rc, err := a.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if a.ra == nil {
		// A deflated member's size comes from the archive: grow with the
		// data actually there rather than trusting it.
		b, err := io.ReadAll(io.LimitReader(rc, n))
		if err != nil {
			return nil, a.readError(err)
		}
		if int64(len(b)) < n {
			return nil, a.readError(io.ErrUnexpectedEOF)
		}
		return b, nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, a.readError(err)
	}
	return b, nil
}

// ints reads a small integer array whole.
func (a *array) ints(limit int64) ([]int64, error) {
	e, err := intElem(&a.h, a.name)
	if err != nil {
		return nil, err
	}
	b, err := a.readAll(limit)
	if err != nil {
		return nil, err
	}
	v := make([]int64, a.h.count())
	decodeInts(v, b, e)
	return v, nil
}

// scalar reads a one-element array as a float (floatRole) or an integer.
func (a *array) scalar(floatRole bool) (float64, error) {
	if a.h.count() != 1 || len(a.h.shape) > 1 {
		return 0, fmt.Errorf("%w: %s has shape %s, want a scalar", ErrShape, a.name, shapeString(a.h.shape))
	}
	if !floatRole {
		v, err := a.ints(8)
		if err != nil {
			return 0, err
		}
		return float64(v[0]), nil
	}
	e, err := floatElem(&a.h, a.name)
	if err != nil {
		return 0, err
	}
	b, err := a.readAll(8)
	if err != nil {
		return 0, err
	}
	var v [1]float64
	decodeFloats(v[:], b, e)
	return v[0], nil
}

// A File is an opened logits file: a .npy file of dense logits or an .npz
// archive of the arrays the package documentation lists. Open reads only
// the headers, the vocabulary and the scalars; rows are read by the Models
// made from the File, one at a time. A File is safe for concurrent use by
// several Models; Close it when they are done.
type File struct {
	name   string
	closer io.Closer
	rows   int // T
	vocab  int // V
	topK   int // K, 0 for dense logits

	logits  *array // dense [T, V] or top-k logits [T, K]
	ids     *array // top-k ids [T, K]
	rest    *array // rest_logit [T], optional with top-k
	tokens  *array // [n], optional
	voc     *Vocab
	byteLvl bool // no vocabulary arrays: V is 256 or 257, token i < 256 is byte i
	temp    float64
	hasTemp bool
}

// Open opens the logits file at path (.npy or .npz, recognized by content,
// not by name) and checks its headers; see NewFile.
func Open(path string) (*File, error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := osf.Stat()
	if err != nil {
		osf.Close()
		return nil, err
	}
	f, err := NewFile(osf, st.Size())
	if err != nil {
		osf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.name, f.closer = path, osf
	return f, nil
}

// NewFile reads the logits file of size bytes that r holds. It checks
// every header against the rules of the package documentation — dtypes,
// shapes, C order, that the data is all there, the vocabulary, the
// temperature — and loads the vocabulary and scalars, but no logits. r
// must stay readable, and unchanged, while the File is in use.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	var magic [6]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: %d bytes", ErrFormat, size)
		}
		return nil, err
	}
	arrays := make(map[string]*array)
	switch {
	case string(magic[:]) == npyMagic:
		a, err := storedArray(nameLogits, r, 0, size)
		if err != nil {
			return nil, err
		}
		arrays[nameLogits] = a
	case string(magic[:4]) == "PK\x03\x04" || string(magic[:4]) == "PK\x05\x06":
		zr, err := zip.NewReader(r, size)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrFormat, err)
		}
		for _, zf := range zr.File {
			name := strings.TrimSuffix(zf.Name, ".npy")
			if !isKnown(name) {
				continue
			}
			if arrays[name] != nil {
				return nil, fmt.Errorf("%w: two members named %s", ErrFormat, zf.Name)
			}
			a, err := memberArray(name, zf, r, size)
			if err != nil {
				return nil, err
			}
			arrays[name] = a
		}
	default:
		return nil, fmt.Errorf("%w: starts with %q", ErrFormat, magic[:])
	}
	return newFile(arrays)
}

func isKnown(name string) bool {
	for _, n := range knownNames {
		if n == name {
			return true
		}
	}
	return false
}

// storedArray reads the header of the .npy at offset off of r (limit:
// the .npy's size) and checks that its data is complete.
func storedArray(name string, r io.ReaderAt, off, limit int64) (*array, error) {
	h, err := readNPYHeader(io.NewSectionReader(r, off, limit))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if h.dataOff+h.nbytes() > limit || h.nbytes() < 0 {
		return nil, fmt.Errorf("%w: %s: %s of shape %s needs %d data bytes, %d present",
			ErrTruncated, name, h.descr, shapeString(h.shape), h.nbytes(), max(limit-h.dataOff, 0))
	}
	return &array{name: name, h: h, ra: r, off: off + h.dataOff}, nil
}

// memberArray prepares the .npz member zf.
func memberArray(name string, zf *zip.File, r io.ReaderAt, size int64) (*array, error) {
	switch zf.Method {
	case zip.Store:
		off, err := zf.DataOffset()
		if err != nil {
			return nil, fmt.Errorf("%w: member %s: %w", ErrFormat, zf.Name, err)
		}
		n := int64(zf.UncompressedSize64)
		if zf.CompressedSize64 != zf.UncompressedSize64 || n < 0 {
			return nil, fmt.Errorf("%w: stored member %s has sizes %d and %d", ErrFormat, zf.Name, zf.CompressedSize64, zf.UncompressedSize64)
		}
		if off+n > size {
			return nil, fmt.Errorf("%w: member %s needs %d bytes at offset %d of a %d-byte file", ErrTruncated, zf.Name, n, off, size)
		}
		return storedArray(name, r, off, n)
	case zip.Deflate:
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: member %s: %w", ErrFormat, zf.Name, err)
		}
		h, err := readNPYHeader(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if n := int64(zf.UncompressedSize64); h.dataOff+h.nbytes() > n || n < 0 || h.nbytes() < 0 {
			return nil, fmt.Errorf("%w: %s: %s of shape %s needs %d data bytes, member has %d",
				ErrTruncated, name, h.descr, shapeString(h.shape), h.nbytes(), n-h.dataOff)
		}
		return &array{name: name, h: h, zf: zf}, nil
	}
	return nil, fmt.Errorf("%w: member %s uses compression method %d (want stored or deflated)", ErrFormat, zf.Name, zf.Method)
}

// newFile checks the arrays and loads the small ones.
func newFile(arrays map[string]*array) (*File, error) {
	f := &File{temp: 1}
	known := false // whether f.vocab is set
	for _, a := range arrays {
		if a.h.fortran && len(a.h.shape) > 1 {
			return nil, fmt.Errorf("%w: %s", ErrFortranOrder, a.name)
		}
	}
	dense, ids, klog := arrays[nameLogits], arrays[nameTopKIDs], arrays[nameTopKLogits]
	switch {
	case dense != nil && (ids != nil || klog != nil):
		return nil, fmt.Errorf("%w: both logits and top-k arrays", ErrFormat)
	case dense != nil:
		if len(dense.h.shape) != 2 {
			return nil, fmt.Errorf("%w: logits has shape %s, want (T, V)", ErrShape, shapeString(dense.h.shape))
		}
		f.rows, f.vocab, known = int(dense.h.shape[0]), int(dense.h.shape[1]), true
		f.logits = dense
	case ids != nil && klog != nil:
		if len(ids.h.shape) != 2 || len(klog.h.shape) != 2 || ids.h.shape[0] != klog.h.shape[0] || ids.h.shape[1] != klog.h.shape[1] {
			return nil, fmt.Errorf("%w: topk_ids %s and topk_logits %s, want both (T, K)",
				ErrShape, shapeString(ids.h.shape), shapeString(klog.h.shape))
		}
		f.rows, f.topK = int(ids.h.shape[0]), int(ids.h.shape[1])
		if f.topK < 1 {
			return nil, fmt.Errorf("%w: top-k arrays of shape %s, want K ≥ 1", ErrShape, shapeString(ids.h.shape))
		}
		var err error
		if ids.elem, err = intElem(&ids.h, ids.name); err != nil {
			return nil, err
		}
		f.logits, f.ids = klog, ids
		if a := arrays[nameVocabSize]; a != nil {
			v, err := a.scalar(false)
			if err != nil {
				return nil, err
			}
			if v < 1 || v > MaxVocab {
				return nil, fmt.Errorf("%w: vocab_size %v outside [1, %d]", ErrValue, v, MaxVocab)
			}
			f.vocab, known = int(v), true
		}
		if a := arrays[nameRestLogit]; a != nil {
			if len(a.h.shape) != 1 || a.h.shape[0] != int64(f.rows) {
				return nil, fmt.Errorf("%w: rest_logit has shape %s, want (%d,)", ErrShape, shapeString(a.h.shape), f.rows)
			}
			if a.elem, err = floatElem(&a.h, a.name); err != nil {
				return nil, err
			}
			f.rest = a
		}
	case ids != nil || klog != nil:
		return nil, fmt.Errorf("%w: topk_ids and topk_logits go together", ErrMissing)
	default:
		return nil, fmt.Errorf("%w: no logits (or topk_ids and topk_logits)", ErrMissing)
	}
	var err error
	if f.logits.elem, err = floatElem(&f.logits.h, f.logits.name); err != nil {
		return nil, err
	}

	vb, vo := arrays[nameVocabBytes], arrays[nameVocabOffsets]
	switch {
	case vb != nil && vo != nil:
		if len(vb.h.shape) != 1 || len(vo.h.shape) != 1 {
			return nil, fmt.Errorf("%w: vocab_bytes %s and vocab_offsets %s, want 1-D", ErrShape, shapeString(vb.h.shape), shapeString(vo.h.shape))
		}
		if vb.h.size != 1 || (vb.h.kind != 'u' && vb.h.kind != 'i' && vb.h.kind != 'S') {
			return nil, fmt.Errorf("%w: vocab_bytes has dtype %q, want uint8 '|u1'", ErrDtype, vb.h.descr)
		}
		if n := vo.h.shape[0] - 1; known && n != int64(f.vocab) {
			return nil, fmt.Errorf("%w: vocab_offsets describes %d tokens, the logits have %d", ErrShape, n, f.vocab)
		} else if n > MaxVocab {
			return nil, fmt.Errorf("%w: vocabulary of %d tokens (limit %d)", ErrShape, n, MaxVocab)
		}
		b, err := vb.readAll(maxVocabBytes)
		if err != nil {
			return nil, err
		}
		o, err := vo.ints(8 * (MaxVocab + 1))
		if err != nil {
			return nil, err
		}
		if f.voc, err = newVocabArrays(b, o); err != nil {
			return nil, err
		}
		f.vocab = f.voc.Len()
	case vb != nil || vo != nil:
		return nil, fmt.Errorf("%w: vocab_bytes and vocab_offsets go together", ErrMissing)
	default:
		if !known {
			return nil, fmt.Errorf("%w: top-k logits need vocab_size or a vocabulary", ErrMissing)
		}
		if f.vocab != 256 && f.vocab != 257 {
			return nil, fmt.Errorf("%w: %d columns without vocab_bytes/vocab_offsets (byte-level logits have 256, or 257 with an end token)", ErrVocab, f.vocab)
		}
		f.voc, f.byteLvl = ByteVocab(f.vocab), true
	}
	if f.vocab < 1 || f.vocab > MaxVocab {
		return nil, fmt.Errorf("%w: V = %d outside [1, %d]", ErrShape, f.vocab, MaxVocab)
	}
	if f.topK > f.vocab {
		return nil, fmt.Errorf("%w: K = %d exceeds V = %d", ErrShape, f.topK, f.vocab)
	}

	if a := arrays[nameTemperature]; a != nil {
		t, err := a.scalar(true)
		if err != nil {
			return nil, err
		}
		if !(t > 0) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("%w: temperature %v, want a positive finite number", ErrValue, t)
		}
		f.temp, f.hasTemp = t, true
	}
	if a := arrays[nameTokens]; a != nil {
		if len(a.h.shape) != 1 {
			return nil, fmt.Errorf("%w: tokens has shape %s, want (n,)", ErrShape, shapeString(a.h.shape))
		}
		if a.elem, err = intElem(&a.h, a.name); err != nil {
			return nil, err
		}
		f.tokens = a
	}
	return f, nil
}

// Close closes the file Open opened. It does nothing for a File from
// NewFile.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	c := f.closer
	f.closer = nil
	return c.Close()
}

// Rows returns T, the number of logits rows: one prediction per coded
// symbol.
func (f *File) Rows() int { return f.rows }

// VocabSize returns V, the number of tokens a row predicts.
func (f *File) VocabSize() int { return f.vocab }

// TopK returns K for a top-k file, 0 for dense logits.
func (f *File) TopK() int { return f.topK }

// Dtype returns the dtype of the logits as the file records it, e.g.
// "<f4"; "<u2" means bfloat16 bits.
func (f *File) Dtype() string { return f.logits.h.descr }

// Temperature returns the temperature the logits are divided by (1 when
// the file has none).
func (f *File) Temperature() float64 { return f.temp }

// Vocab returns the vocabulary; for byte-level logits without one it is
// ByteVocab(V).
func (f *File) Vocab() *Vocab { return f.voc }

// ByteLevel reports whether the file has no vocabulary arrays, so that
// token i < 256 is byte i (and, when V = 257, token 256 is the end token).
func (f *File) ByteLevel() bool { return f.byteLvl }

// EndToken returns the end token (256 for byte-level logits with V = 257),
// or -1.
func (f *File) EndToken() int {
	if f.byteLvl && f.vocab == 257 {
		return 256
	}
	return -1
}

// HasTokens reports whether the file holds the tokens array.
func (f *File) HasTokens() bool { return f.tokens != nil }

// Tokens reads the tokens array (the encoder's tokenization of the input).
// The ids are checked against V. A decoder never needs it.
func (f *File) Tokens() ([]int32, error) {
	if f.tokens == nil {
		return nil, fmt.Errorf("%w: no tokens array", ErrMissing)
	}
	v, err := f.tokens.ints(8 * maxTokens)
	if err != nil {
		return nil, err
	}
	t := make([]int32, len(v))
	for i, id := range v {
		if id < 0 || id >= int64(f.vocab) {
			return nil, fmt.Errorf("%w: token %d at position %d outside [0, %d)", ErrValue, id, i, f.vocab)
		}
		t[i] = int32(id)
	}
	return t, nil
}

// InputTokens returns the symbols that code input, one per logits row,
// after checking that they fit: the tokens array, which must detokenize
// to input (ErrTokens); or, for byte-level logits without one, the bytes
// of input. Either way there must be exactly one row per token (ErrRows),
// except that byte-level logits with an end token (V = 257) may have one
// more row than input has bytes: the end token 256 is then appended.
func (f *File) InputTokens(input []byte) ([]int32, error) {
	var toks []int32
	if f.tokens != nil {
		var err error
		if toks, err = f.Tokens(); err != nil {
			return nil, err
		}
		if err := f.voc.CheckTokens(toks, input); err != nil {
			return nil, err
		}
	} else {
		if !f.byteLvl {
			return nil, fmt.Errorf("%w: no tokens array to code the input with a %d-token vocabulary", ErrMissing, f.vocab)
		}
		toks = make([]int32, len(input), len(input)+1)
		for i, b := range input {
			toks[i] = int32(b)
		}
	}
	if e := f.EndToken(); e >= 0 && f.rows == len(toks)+1 && (len(toks) == 0 || toks[len(toks)-1] != int32(e)) {
		toks = append(toks, int32(e))
	}
	if len(toks) != f.rows {
		return nil, fmt.Errorf("%w: %d logits rows for %d tokens", ErrRows, f.rows, len(toks))
	}
	return toks, nil
}

// String describes the file briefly, for messages and listings.
func (f *File) String() string {
	var b bytes.Buffer
	if f.name != "" {
		fmt.Fprintf(&b, "%s: ", f.name)
	}
	if f.topK > 0 {
		fmt.Fprintf(&b, "top-%d ", f.topK)
	}
	fmt.Fprintf(&b, "logits %s, T = %d, V = %d", f.logits.h.descr, f.rows, f.vocab)
	if f.hasTemp {
		fmt.Fprintf(&b, ", temperature %g", f.temp)
	}
	return b.String()
}
