package lm

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// A Row is one prediction, filled in by the callback of WriteNPZ or
// WriteNPY. The writer allocates the slices with the right lengths; the
// callback sets their elements.
type Row struct {
	// Logits holds the V logits of a dense row or the K logits of a top-k
	// row.
	Logits []float32
	// IDs holds the K token ids of a top-k row (any order, distinct, each
	// in [0, V)). Nil for dense rows.
	IDs []int32
	// Rest is the logit of each unlisted token of a top-k row, written
	// when NPZHeader.RestLogit is set.
	Rest float32
}

// NPZHeader describes the file WriteNPZ writes.
type NPZHeader struct {
	Rows      int // T
	VocabSize int // V
	// TopK is K for top-k rows (topk_ids, topk_logits), 0 for dense
	// logits.
	TopK int
	// RestLogit writes the rest_logit array (top-k only); without it the
	// default rest rule applies.
	RestLogit bool
	// Vocab, if not nil, is written as vocab_bytes and vocab_offsets and
	// must have VocabSize tokens. Without it the logits are byte-level
	// (VocabSize 256 or 257), or for top-k rows vocab_size records V.
	Vocab *Vocab
	// Temperature, if not 0, is written as the temperature scalar.
	Temperature float64
	// Tokens, if not nil, is written as the tokens array (int32).
	Tokens []int32
	// Deflate compresses the members (np.savez_compressed); otherwise
	// they are stored (np.savez), which lets a reader seek to any row.
	Deflate bool
}

// WriteNPZ writes an .npz logits file to w: the arrays h describes, with
// the rows fill produces (float32 logits, int32 ids). It does not close w.
//
// fill(t, row) must fill row t. The arrays are written one after the
// other, so for top-k rows fill is called once per row array — two passes
// over t = 0..T−1 (ids, then logits), three with RestLogit — and must
// produce the same row every time; dense rows take one pass. Memory is
// O(V + K), whatever T is.
func WriteNPZ(w io.Writer, h NPZHeader, fill func(t int, row *Row) error) error {
	if err := h.check(); err != nil {
		return err
	}
	method := zip.Store
	if h.Deflate {
		method = zip.Deflate
	}
	zw := zip.NewWriter(w)
	member := func(name, descr string, shape []int64, data func(*bufio.Writer) error) error {
		mw, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: method})
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(mw, 64<<10)
		bw.Write(npyHeaderBytes(descr, shape))
		if err := data(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	T, V, K := int64(h.Rows), int64(h.VocabSize), int64(h.TopK)
	if h.Vocab == nil && K > 0 {
		if err := member(nameVocabSize, "<i8", nil, func(bw *bufio.Writer) error {
			return binary.Write(bw, binary.LittleEndian, V)
		}); err != nil {
			return err
		}
	}
	if h.Temperature != 0 {
		if err := member(nameTemperature, "<f8", nil, func(bw *bufio.Writer) error {
			return binary.Write(bw, binary.LittleEndian, h.Temperature)
		}); err != nil {
			return err
		}
	}
	if v := h.Vocab; v != nil {
		if err := member(nameVocabBytes, "|u1", []int64{int64(len(v.bytes))}, func(bw *bufio.Writer) error {
			_, err := bw.Write(v.bytes)
			return err
		}); err != nil {
			return err
		}
		if err := member(nameVocabOffsets, "<i8", []int64{int64(len(v.offsets))}, func(bw *bufio.Writer) error {
			return binary.Write(bw, binary.LittleEndian, v.offsets)
		}); err != nil {
			return err
		}
	}
	if h.Tokens != nil {
		if err := member(nameTokens, "<i4", []int64{int64(len(h.Tokens))}, func(bw *bufio.Writer) error {
			return binary.Write(bw, binary.LittleEndian, h.Tokens)
		}); err != nil {
			return err
		}
	}

	row := Row{Logits: make([]float32, V)}
	if K > 0 {
		row.Logits, row.IDs = make([]float32, K), make([]int32, K)
	}
	var scratch []byte
	// pass writes one array's rows, calling fill for each and put to
	// serialize the part of the row the array holds.
	pass := func(name, descr string, shape []int64, put func([]byte) []byte) error {
		return member(name, descr, shape, func(bw *bufio.Writer) error {
			for t := range h.Rows {
				if err := fill(t, &row); err != nil {
					return fmt.Errorf("lm: row %d: %w", t, err)
				}
				if K > 0 {
					for _, id := range row.IDs {
						if id < 0 || int64(id) >= V {
							return fmt.Errorf("%w: row %d: top-k id %d outside [0, %d)", ErrValue, t, id, V)
						}
					}
				}
				scratch = put(scratch[:0])
				if _, err := bw.Write(scratch); err != nil {
					return err
				}
			}
			return nil
		})
	}
	putLogits := func(b []byte) []byte { return appendFloat32s(b, row.Logits) }
	if K == 0 {
		if err := pass(nameLogits, "<f4", []int64{T, V}, putLogits); err != nil {
			return err
		}
		return zw.Close()
	}
	if err := pass(nameTopKIDs, "<i4", []int64{T, K}, func(b []byte) []byte {
		for _, id := range row.IDs {
			b = binary.LittleEndian.AppendUint32(b, uint32(id))
		}
		return b
	}); err != nil {
		return err
	}
	if err := pass(nameTopKLogits, "<f4", []int64{T, K}, putLogits); err != nil {
		return err
	}
	if h.RestLogit {
		if err := pass(nameRestLogit, "<f4", []int64{T}, func(b []byte) []byte {
			return binary.LittleEndian.AppendUint32(b, math.Float32bits(row.Rest))
		}); err != nil {
			return err
		}
	}
	return zw.Close()
}

// check validates h.
func (h *NPZHeader) check() error {
	switch {
	case h.Rows < 0:
		return fmt.Errorf("%w: %d rows", ErrShape, h.Rows)
	case h.VocabSize < 1 || h.VocabSize > MaxVocab:
		return fmt.Errorf("%w: V = %d outside [1, %d]", ErrShape, h.VocabSize, MaxVocab)
	case h.TopK < 0 || h.TopK > h.VocabSize:
		return fmt.Errorf("%w: K = %d outside [0, V = %d]", ErrShape, h.TopK, h.VocabSize)
	case h.RestLogit && h.TopK == 0:
		return fmt.Errorf("%w: RestLogit without top-k rows", ErrShape)
	case h.Vocab != nil && h.Vocab.Len() != h.VocabSize:
		return fmt.Errorf("%w: vocabulary of %d tokens, V = %d", ErrShape, h.Vocab.Len(), h.VocabSize)
	case h.Vocab == nil && h.VocabSize != 256 && h.VocabSize != 257:
		return fmt.Errorf("%w: V = %d without a vocabulary (byte-level logits have 256 or 257)", ErrVocab, h.VocabSize)
	case h.Temperature < 0 || math.IsNaN(h.Temperature) || math.IsInf(h.Temperature, 0):
		return fmt.Errorf("%w: temperature %v", ErrValue, h.Temperature)
	}
	return nil
}

// WriteNPY writes a .npy file of dense float32 logits [rows, V] to w,
// calling fill once per row in order. It does not close w.
func WriteNPY(w io.Writer, rows, V int, fill func(t int, logits []float32) error) error {
	if rows < 0 || V < 1 || V > MaxVocab {
		return fmt.Errorf("%w: (%d, %d)", ErrShape, rows, V)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(npyHeaderBytes("<f4", []int64{int64(rows), int64(V)}))
	logits := make([]float32, V)
	var scratch []byte
	for t := range rows {
		if err := fill(t, logits); err != nil {
			return fmt.Errorf("lm: row %d: %w", t, err)
		}
		scratch = appendFloat32s(scratch[:0], logits)
		if _, err := bw.Write(scratch); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func appendFloat32s(b []byte, v []float32) []byte {
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}
