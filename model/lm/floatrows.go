package lm

import "fmt"

// FloatRows reads the rows of a File as stored, in float64, for tools that
// need the logits themselves (a float cross-entropy, say): nothing it
// returns may feed a coder, whose input is the integer rows of Model. It
// is the same reader Model uses, without the temperature and the
// quantization. A FloatRows is not safe for concurrent use; Close releases
// it.
type FloatRows struct {
	f                 *File
	logits, ids, rest *rowReader
}

// FloatRows returns a reader of f's rows.
func (f *File) FloatRows() *FloatRows {
	r := &FloatRows{f: f, logits: newRowReader(f.logits)}
	if f.ids != nil {
		r.ids = newRowReader(f.ids)
		if f.rest != nil {
			r.rest = newRowReader(f.rest)
		}
	}
	return r
}

// Row reads row t: its logits into y (VocabSize of them for a dense file,
// TopK for a top-k file) and, for a top-k file, its token ids into ids
// (TopK of them). rest is the row's rest logit and hasRest whether the
// file has one.
func (r *FloatRows) Row(t int, y []float64, ids []int64) (rest float64, hasRest bool, err error) {
	f := r.f
	n := f.vocab
	if r.ids != nil {
		n = f.topK
	}
	if len(y) != n || r.ids != nil && len(ids) != n {
		return 0, false, fmt.Errorf("lm: FloatRows.Row with %d logits and %d ids for rows of %d", len(y), len(ids), n)
	}
	raw, err := r.logits.row(int64(t))
	if err != nil {
		return 0, false, err
	}
	decodeFloats(y, raw, f.logits.elem)
	if r.ids == nil {
		return 0, false, nil
	}
	if raw, err = r.ids.row(int64(t)); err != nil {
		return 0, false, err
	}
	decodeInts(ids, raw, f.ids.elem)
	if r.rest == nil {
		return 0, false, nil
	}
	if raw, err = r.rest.row(int64(t)); err != nil {
		return 0, false, err
	}
	var v [1]float64
	decodeFloats(v[:], raw, f.rest.elem)
	return v[0], true, nil
}

// Close releases the reader's decompressors.
func (r *FloatRows) Close() error {
	for _, rr := range []*rowReader{r.logits, r.ids, r.rest} {
		if rr != nil {
			rr.close()
		}
	}
	return nil
}
