package lm

import (
	"fmt"
	"hash/crc32"

	"github.com/entzip/entzip/model"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Model predicts the symbols of a logits file: its prediction for the
// t-th symbol (t = 0, 1, ...) is row t of the logits, quantized to integer
// frequencies of total 1<<TotalBits as the package documentation
// specifies. Model implements model.SymbolModel with Alphabet() = V;
// Update moves to the next row (whatever the symbol), Reset back to row 0.
//
// A row is read and quantized when it is first needed, in O(V) time for
// dense logits and O(K log K) for top-k ones; Interval and Find then take
// O(log V) (dense, binary search over the cumulative frequencies) or
// O(log K) (top-k). Memory is O(V) plus one read buffer, independent of T.
//
// SymbolModel methods cannot return errors, so a Model keeps the first
// error (a read error, a NaN in a row, a prediction past the last row:
// ErrExhausted) for Err and predicts the uniform distribution from then
// on, which keeps any coder valid. Check Err after coding. Reset and Seek
// clear the error. A Model is not safe for concurrent use; make one per
// goroutine from the same File.
type Model struct {
	f         *File
	logits    *rowReader // dense [T, V] or top-k logits [T, K]
	ids, rest *rowReader // top-k only; rest may be nil
	totalBits uint
	total     uint32
	t         int  // row of the current prediction
	ready     bool // row t is quantized
	err       error
	digest    uint32

	y       []float64
	w       []uint64
	cum     []uint32 // dense: cum[s] = Σ_{i<s} f_i, cum[V] = total
	ids64   []int64
	entries []topEntry
	sp      sparseRow
}

var _ model.SymbolModel = (*Model)(nil)

// An Option configures a Model.
type Option func(*Model) error

// WithTotalBits sets log2 of the Model's total frequency (default
// TotalBits). Encoder and decoder must use the same value, so a container
// must record it. n must be at most log2(model.MaxTotal) and leave every
// token a frequency: 2^n > V. A larger total lowers the quantization
// overhead for large vocabularies: every token costs at least one unit of
// the total, so V/2^n of the probability mass is spent on the floor
// (0.3 % for V = 50257 at 2^24, about 0.004 bits per token).
func WithTotalBits(n int) Option {
	return func(m *Model) error {
		if n < 1 || uint64(1)<<min(n, 63) > model.MaxTotal {
			return fmt.Errorf("%w: total bits %d outside [1, log2(model.MaxTotal)]", ErrValue, n)
		}
		m.totalBits = uint(n)
		return nil
	}
}

// NewModel returns a Model at row 0 of f. It reads and quantizes row 0 at
// once, so that an unreadable or invalid first row is reported here.
func NewModel(f *File, opts ...Option) (*Model, error) {
	m := &Model{f: f, logits: newRowReader(f.logits), totalBits: TotalBits}
	for _, o := range opts {
		if err := o(m); err != nil {
			return nil, err
		}
	}
	m.total = 1 << m.totalBits
	if f.ids != nil {
		m.ids = newRowReader(f.ids)
		if f.rest != nil {
			m.rest = newRowReader(f.rest)
		}
	}
	if f.vocab >= int(m.total) {
		return nil, fmt.Errorf("%w: V = %d needs a total above 2^%d", ErrShape, f.vocab, m.totalBits)
	}
	if err := m.Seek(0); err != nil {
		return nil, err
	}
	return m, nil
}

// Alphabet returns V.
func (m *Model) Alphabet() int { return m.f.vocab }

// Total returns the total frequency, 1<<TotalBits (model.MaxTotal) unless
// WithTotalBits chose another.
func (m *Model) Total() uint32 { return m.total }

// Row returns the row whose prediction is in effect: the number of
// Updates since the last Reset, or the row of the last Seek plus those.
func (m *Model) Row() int { return m.t }

// Err returns the first error since the last Reset or Seek, or nil.
func (m *Model) Err() error { return m.err }

// Digest returns the CRC-32C of the raw bytes of the rows the Model has
// read since the last Reset or Seek (all arrays of a row, in the order
// ids, logits, rest). Encoder and decoder, reading the same rows, get the
// same digest, so a container can store it per frame to tell a wrong
// logits file from corrupt data.
func (m *Model) Digest() uint32 { return m.digest }

// Reset returns m to row 0 and clears its error and digest.
func (m *Model) Reset() {
	m.Seek(0) //nolint:errcheck // recorded in m.err
}

// Seek moves m to row t (0 ≤ t ≤ Rows()), clears its error and digest,
// and prepares row t's prediction, returning any error that causes (also
// kept for Err). Seeking in a deflated .npz member backwards restarts its
// decompression; a stored array is read at the row directly.
func (m *Model) Seek(t int) error {
	m.t, m.ready, m.err, m.digest = t, false, nil, 0
	if t < 0 || t > m.f.rows {
		m.err = fmt.Errorf("%w: seek to row %d of %d", ErrExhausted, t, m.f.rows)
		return m.err
	}
	if t < m.f.rows {
		m.load()
	}
	return m.err
}

// Close releases the decompressors of deflated members. m can be used
// again after Close (it reopens them).
func (m *Model) Close() error {
	for _, r := range []*rowReader{m.logits, m.ids, m.rest} {
		if r != nil {
			r.close()
		}
	}
	return nil
}

// Update moves to the next row. The symbol does not matter: the logits
// file already holds the prediction for every position.
func (m *Model) Update(int) {
	m.t++
	m.ready = false
}

// Interval returns the interval of token s under the current row.
func (m *Model) Interval(s int) (start, freq, total uint32) {
	if !m.ready {
		m.load()
	}
	if m.err != nil {
		start, freq = m.uniformInterval(s)
		return start, freq, m.total
	}
	if uint(s) >= uint(m.f.vocab) {
		m.err = fmt.Errorf("%w: symbol %d outside [0, %d) at row %d", ErrValue, s, m.f.vocab, m.t)
		start, freq = m.uniformInterval(0)
		return start, freq, m.total
	}
	if m.cum != nil {
		return m.cum[s], m.cum[s+1] - m.cum[s], m.total
	}
	start, freq = m.sp.interval(int64(s))
	return start, freq, m.total
}

// Find returns the token whose interval under the current row holds
// target < Total().
func (m *Model) Find(target uint32) (s int, start, freq uint32) {
	if !m.ready {
		m.load()
	}
	if target >= m.total {
		if m.err == nil {
			m.err = fmt.Errorf("%w: target %d beyond the total at row %d", ErrValue, target, m.t)
		}
		target = m.total - 1
	}
	if m.err != nil {
		return m.uniformFind(target)
	}
	if cum := m.cum; cum != nil {
		// The largest s with cum[s] ≤ target.
		lo, hi := 0, len(cum)-1
		for hi-lo > 1 {
			mid := int(uint(lo+hi) >> 1)
			if cum[mid] <= target {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo, cum[lo], cum[lo+1] - cum[lo]
	}
	s64, start, freq := m.sp.find(target)
	return int(s64), start, freq
}

// uniformInterval and uniformFind are the fallback prediction after an
// error: q = ⌊total/V⌋ per token, the last taking the rest.
func (m *Model) uniformInterval(s int) (start, freq uint32) {
	v := uint32(m.f.vocab)
	q := m.total / v
	if uint(s) >= uint(v) {
		s = 0
	}
	if uint32(s) == v-1 {
		return q * (v - 1), m.total - q*(v-1)
	}
	return q * uint32(s), q
}

func (m *Model) uniformFind(target uint32) (int, uint32, uint32) {
	v := uint32(m.f.vocab)
	s := min(target/(m.total/v), v-1)
	start, freq := m.uniformInterval(int(s))
	return int(s), start, freq
}

// load reads and quantizes row m.t, recording any error.
func (m *Model) load() {
	if m.err != nil {
		return
	}
	m.ready = true
	if err := m.loadRow(int64(m.t)); err != nil {
		m.err = fmt.Errorf("row %d: %w", m.t, err)
	}
}

// readRow returns row t of r and adds its bytes to the fingerprint.
func (m *Model) readRow(r *rowReader, t int64) ([]byte, error) {
	raw, err := r.row(t)
	if err == nil {
		m.digest = crc32.Update(m.digest, castagnoli, raw)
	}
	return raw, err
}

// readLogits sets dst to row t of r, whose elements are e, divided by
// the temperature.
func (m *Model) readLogits(dst []float64, r *rowReader, e elem, t int64) error {
	raw, err := m.readRow(r, t)
	if err != nil {
		return err
	}
	decodeFloats(dst, raw, e)
	scaleDivide(dst, m.f.temp)
	return nil
}

func (m *Model) loadRow(t int64) error {
	f := m.f
	if t >= int64(f.rows) {
		return fmt.Errorf("%w: the file has %d rows", ErrExhausted, f.rows)
	}
	if m.ids == nil {
		v := f.vocab
		m.y, m.w, m.cum = grow(m.y, v), grow(m.w, v), grow(m.cum, v+1)
		if err := m.readLogits(m.y, m.logits, f.logits.elem, t); err != nil {
			return err
		}
		if err := quantizeDense(m.cum[1:], m.y, m.w, m.totalBits); err != nil {
			return err
		}
		cum := m.cum
		cum[0] = 0
		for i := 1; i < len(cum); i++ {
			cum[i] += cum[i-1]
		}
		return nil
	}
	k := f.topK
	rawIDs, err := m.readRow(m.ids, t)
	if err != nil {
		return err
	}
	m.ids64 = grow(m.ids64, k)
	decodeInts(m.ids64, rawIDs, f.ids.elem)
	m.y = grow(m.y, k)
	if err := m.readLogits(m.y, m.logits, f.logits.elem, t); err != nil {
		return err
	}
	var rest [1]float64
	if m.rest != nil {
		if err := m.readLogits(rest[:], m.rest, f.rest.elem, t); err != nil {
			return err
		}
	}
	m.entries = grow(m.entries, k)
	for j := range m.entries {
		m.entries[j] = topEntry{id: m.ids64[j], y: m.y[j]}
	}
	return m.sp.quantize(m.entries, rest[0], m.rest != nil, f.vocab, m.totalBits)
}
