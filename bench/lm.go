package bench

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"sync"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model/lm"
)

// Logits are the logits file of model lm (see package lm) for the one
// input they were made for. LMBits remembers its last result, so the
// methods of several coders read the file for it once.
type Logits struct {
	// Path is the file's name, from which the float rows are read.
	Path string
	// File is the file opened with lm.Open(Path). It must stay open while
	// the methods using it run.
	File *lm.File

	mu    sync.Mutex
	last  uint64 // maphash of the input of lastC, with its length
	lastN int
	lastC LMCodeLengths
}

// LMCoders are the coders model lm is measured with by default.
var LMCoders = []container.Coder{container.Arith, container.RANS, container.Huffman}

// LMMethod returns the method coding its input with model lm, the logits
// l and coder c (entzip -m lm --logits), named lm-CODER. It round-trips like every other
// method; its ideal code length is the float cross-entropy of the logits
// (LMBits), so its overhead is what quantizing the rows and coding add.
// It fits only the input the logits were made for: on any other,
// Compress fails (lm.ErrTokens or lm.ErrRows).
func LMMethod(l *Logits, c container.Coder) Method {
	// The container resolves the frame size and the logits' header fields
	// once it has the logits.
	p := container.Params{Model: container.LM, Coder: c}
	wopts := []container.WriterOption{container.WithParams(p), container.WithLogits(l.File)}
	ropts := []container.ReaderOption{container.WithDecoderLogits(l.File)}
	m := Method{
		Name:    "lm-" + c.String(),
		Kind:    KindEntzip,
		Version: fmt.Sprintf("format %d", container.Version),
		Command: fmt.Sprintf("entzip -m lm -e %s --logits %s", c, l.Path),
		Params:  &p,
		Compress: func(dst, src []byte) ([]byte, error) {
			return container.Compress(dst, src, wopts...)
		},
		Decompress: func(dst, src []byte, n int) ([]byte, error) {
			return container.Decompress(dst, src, ropts...)
		},
		lm: l,
	}
	m.Ideal = func(src []byte) (float64, error) {
		b, err := LMBits(l, src)
		return b.CrossEntropy, err
	}
	return m
}

// LMCodeLengths are the ideal code lengths of an input under a logits
// file, in bits.
type LMCodeLengths struct {
	// Tokens is the number of rows that code the input (one per token,
	// padding and end tokens included).
	Tokens int64
	// CrossEntropy is Σ_t −log2 softmax(row_t / temperature)[token_t] in
	// float64 on the logits as stored; top-k rows give the unlisted tokens
	// the rest logit, or without one the package lm rest rule.
	CrossEntropy float64
	// Quantized is Σ_t log2(total/freq_t) under the rows quantized as the
	// coder gets them (lm.Model): what an exact arithmetic coder would
	// reach.
	Quantized float64
}

// LMBits returns the ideal code lengths of data under the logits l: the
// float cross-entropy and that of the quantized rows. It reads the file
// sequentially (every row once for each), in memory O(V + K) besides the
// tokens, unless it has just done so for the same data. Floats are fine
// here: nothing of it feeds a coder. It is safe for concurrent use.
func LMBits(l *Logits, data []byte) (LMCodeLengths, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := maphash.Bytes(lmSeed, data)
	if l.lastN > 0 && l.lastN == len(data) && l.last == h {
		return l.lastC, nil
	}
	cl, err := lmBits(l, data)
	if err == nil {
		l.last, l.lastN, l.lastC = h, len(data), cl
	}
	return cl, err
}

var lmSeed = maphash.MakeSeed()

func lmBits(l *Logits, data []byte) (LMCodeLengths, error) {
	f := l.File
	toks, err := f.InputTokens(data)
	if err != nil {
		return LMCodeLengths{}, err
	}
	cl := LMCodeLengths{Tokens: int64(len(toks))}
	if cl.CrossEntropy, err = floatCrossEntropy(l.Path, f, toks); err != nil {
		return cl, fmt.Errorf("bench: %s: %w", l.Path, err)
	}
	m, err := lm.NewModel(f)
	if err != nil {
		return cl, err
	}
	defer m.Close()
	for _, t := range toks {
		_, freq, total := m.Interval(int(t))
		cl.Quantized += math.Log2(float64(total)) - math.Log2(float64(freq))
		m.Update(int(t))
	}
	return cl, m.Err()
}

// floatCrossEntropy reads the rows of the logits file at path (whose
// shapes f gives) and returns Σ −log2 p(toks[t]) under them.
func floatCrossEntropy(path string, f *lm.File, toks []int32) (float64, error) {
	arrays, closeAll, err := openArrays(path)
	if err != nil {
		return 0, err
	}
	defer closeAll()
	V, K := f.VocabSize(), f.TopK()
	invTemp := 1.0
	if t := f.Temperature(); t != 0 {
		invTemp = 1 / t
	}
	row := func(name string, n int) (*npyRows, error) {
		a := arrays[name]
		if a == nil {
			return nil, fmt.Errorf("%w: no %s array", lm.ErrMissing, name)
		}
		return newNPYRows(a, n)
	}
	var bits float64
	if K == 0 {
		logits, err := row("logits", V)
		if err != nil {
			return 0, err
		}
		y := make([]float64, V)
		for t, tok := range toks {
			if err := logits.next(y); err != nil {
				return 0, err
			}
			b := denseBits(y, int(tok), invTemp)
			if math.IsInf(b, 0) || math.IsNaN(b) {
				return 0, fmt.Errorf("row %d gives token %d probability 0", t, tok)
			}
			bits += b
		}
		return bits, nil
	}
	idsR, err := row("topk_ids", K)
	if err != nil {
		return 0, err
	}
	logitsR, err := row("topk_logits", K)
	if err != nil {
		return 0, err
	}
	var restR *npyRows
	if arrays["rest_logit"] != nil {
		if restR, err = row("rest_logit", 1); err != nil {
			return 0, err
		}
	}
	ids, y, rest := make([]float64, K), make([]float64, K), make([]float64, 1)
	for t, tok := range toks {
		if err := idsR.next(ids); err != nil {
			return 0, err
		}
		if err := logitsR.next(y); err != nil {
			return 0, err
		}
		hasRest := restR != nil
		if hasRest {
			if err := restR.next(rest); err != nil {
				return 0, err
			}
		}
		b := topKBits(ids, y, rest[0], hasRest, V, int(tok), invTemp)
		if math.IsInf(b, 0) || math.IsNaN(b) {
			return 0, fmt.Errorf("row %d gives token %d probability 0", t, tok)
		}
		bits += b
	}
	return bits, nil
}

// denseBits is −log2 softmax(y·invTemp)[tok].
func denseBits(y []float64, tok int, invTemp float64) float64 {
	mx := math.Inf(-1)
	for _, v := range y {
		mx = max(mx, v*invTemp)
	}
	var z float64
	for _, v := range y {
		z += math.Exp(v*invTemp - mx)
	}
	return (math.Log(z) + mx - y[tok]*invTemp) / math.Ln2
}

// topKBits is −log2 p(tok) under the top-k row (ids, y) of V tokens: the
// unlisted tokens have logit rest each when hasRest, else together the
// weight of the least likely listed token (package lm's rest rule).
func topKBits(ids, y []float64, rest float64, hasRest bool, V, tok int, invTemp float64) float64 {
	rem := float64(V - len(ids))
	rest *= invTemp
	mx, yMin := math.Inf(-1), math.Inf(1)
	listed := -1
	for j := range y {
		v := y[j] * invTemp
		mx, yMin = max(mx, v), min(yMin, v)
		if int(ids[j]) == tok {
			listed = j
		}
	}
	if hasRest && rem > 0 {
		mx = max(mx, rest)
	}
	var z float64
	for _, v := range y {
		z += math.Exp(v*invTemp - mx)
	}
	var lnRest float64 // ln of one unlisted token's unnormalized weight
	switch {
	case rem == 0:
	case hasRest:
		z += rem * math.Exp(rest-mx)
		lnRest = rest
	default:
		z += math.Exp(yMin - mx)
		lnRest = yMin - math.Log(rem)
	}
	lnP := lnRest
	if listed >= 0 {
		lnP = y[listed] * invTemp
	} else if rem == 0 {
		lnP = math.Inf(-1)
	}
	return (math.Log(z) + mx - lnP) / math.Ln2
}

// npyArray is one array of a logits file, read sequentially.
type npyArray struct {
	open func() (io.ReadCloser, error)
}

// openArrays returns the arrays of the .npz or .npy file at path by name
// (a .npy file's array is "logits").
func openArrays(path string) (map[string]*npyArray, func(), error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	magic := make([]byte, 6)
	_, err = io.ReadFull(fh, magic)
	fh.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("not a logits file: %w", err)
	}
	if string(magic) == "\x93NUMPY" {
		a := &npyArray{open: func() (io.ReadCloser, error) { return os.Open(path) }}
		return map[string]*npyArray{"logits": a}, func() {}, nil
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, err
	}
	arrays := map[string]*npyArray{}
	for _, zf := range zr.File {
		if name, ok := cutSuffix(zf.Name, ".npy"); ok {
			arrays[name] = &npyArray{open: zf.Open}
		}
	}
	return arrays, func() { zr.Close() }, nil
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// npyRows reads the rows of n elements of one array in order.
type npyRows struct {
	r    *bufio.Reader
	rc   io.ReadCloser
	elem int
	dec  func([]byte) float64
	buf  []byte
}

var descrRE = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)

// newNPYRows opens a and reads its .npy header.
func newNPYRows(a *npyArray, n int) (*npyRows, error) {
	rc, err := a.open()
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(rc, 256<<10)
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		rc.Close()
		return nil, err
	}
	var hlen int
	switch pre[6] {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(pre[8:]))
	default:
		var more [2]byte
		if _, err := io.ReadFull(r, more[:]); err != nil {
			rc.Close()
			return nil, err
		}
		hlen = int(binary.LittleEndian.Uint32(append(pre[8:10:10], more[:]...)))
	}
	if hlen > 1<<20 {
		rc.Close()
		return nil, errors.New("npy header too long")
	}
	h := make([]byte, hlen)
	if _, err := io.ReadFull(r, h); err != nil {
		rc.Close()
		return nil, err
	}
	m := descrRE.FindSubmatch(h)
	if m == nil {
		rc.Close()
		return nil, fmt.Errorf("npy header without descr: %q", bytes.TrimSpace(h))
	}
	size, dec, err := elemDecoder(string(m[1]))
	if err != nil {
		rc.Close()
		return nil, err
	}
	return &npyRows{r: r, rc: rc, elem: size, dec: dec, buf: make([]byte, n*size)}, nil
}

// next reads the next row into dst.
func (a *npyRows) next(dst []float64) error {
	if _, err := io.ReadFull(a.r, a.buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	for i := range dst {
		dst[i] = a.dec(a.buf[i*a.elem:])
	}
	return nil
}

// elemDecoder returns the size and decoder of a little-endian numpy dtype
// (floats, bfloat16 as '<u2' or '|V2' bits where floats are expected — the
// only 2-byte unsigned array a logits file has in a float role — and
// integers).
func elemDecoder(descr string) (int, func([]byte) float64, error) {
	if len(descr) < 3 || descr[0] == '>' {
		return 0, nil, fmt.Errorf("%w: dtype %q", lm.ErrDtype, descr)
	}
	kind := descr[1]
	size, err := strconv.Atoi(descr[2:])
	if err != nil {
		return 0, nil, fmt.Errorf("%w: dtype %q", lm.ErrDtype, descr)
	}
	le := binary.LittleEndian
	switch {
	case kind == 'f' && size == 4:
		return 4, func(b []byte) float64 { return float64(math.Float32frombits(le.Uint32(b))) }, nil
	case kind == 'f' && size == 8:
		return 8, func(b []byte) float64 { return math.Float64frombits(le.Uint64(b)) }, nil
	case kind == 'f' && size == 2:
		return 2, func(b []byte) float64 { return half(le.Uint16(b)) }, nil
	case (kind == 'u' || kind == 'V') && size == 2:
		return 2, func(b []byte) float64 { return float64(math.Float32frombits(uint32(le.Uint16(b)) << 16)) }, nil
	case kind == 'i' && size == 1:
		return 1, func(b []byte) float64 { return float64(int8(b[0])) }, nil
	case kind == 'u' && size == 1:
		return 1, func(b []byte) float64 { return float64(b[0]) }, nil
	case kind == 'i' && size == 2:
		return 2, func(b []byte) float64 { return float64(int16(le.Uint16(b))) }, nil
	case kind == 'i' && size == 4:
		return 4, func(b []byte) float64 { return float64(int32(le.Uint32(b))) }, nil
	case kind == 'u' && size == 4:
		return 4, func(b []byte) float64 { return float64(le.Uint32(b)) }, nil
	case kind == 'i' && size == 8:
		return 8, func(b []byte) float64 { return float64(int64(le.Uint64(b))) }, nil
	case kind == 'u' && size == 8:
		return 8, func(b []byte) float64 { return float64(le.Uint64(b)) }, nil
	}
	return 0, nil, fmt.Errorf("%w: dtype %q", lm.ErrDtype, descr)
}

// half converts IEEE 754 binary16 bits to a float64.
func half(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	e, m := int(h>>10&0x1f), float64(h&0x3ff)
	switch e {
	case 0:
		return sign * math.Ldexp(m, -24)
	case 0x1f:
		if m != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * math.Ldexp(1024+m, e-25)
}

// LMResult is what a method of model lm reaches per token, next to the
// language model's own float cross-entropy.
type LMResult struct {
	// Tokens is the number of logits rows that coded the input.
	Tokens int64 `json:"tokens"`
	// BitsPerToken is 8·compressed/tokens.
	BitsPerToken float64 `json:"bits_per_token"`
	// CrossEntropyBits is the float cross-entropy of the logits on the
	// input, Σ −log2 softmax(row_t)[token_t] (the method's Ideal.Bits),
	// and CrossEntropyBitsPerToken that over Tokens.
	CrossEntropyBits         float64 `json:"cross_entropy_bits"`
	CrossEntropyBitsPerToken float64 `json:"cross_entropy_bits_per_token"`
	// Perplexity is 2^CrossEntropyBitsPerToken.
	Perplexity float64 `json:"perplexity"`
	// QuantizedBits is the ideal code length under the quantized rows the
	// coder is given.
	QuantizedBits float64 `json:"quantized_bits"`
	// QuantizationOverheadBits is QuantizedBits − CrossEntropyBits (what
	// the integer frequencies cost), QuantizationOverheadPct it as a
	// percentage of CrossEntropyBits.
	QuantizationOverheadBits float64 `json:"quantization_overhead_bits"`
	QuantizationOverheadPct  float64 `json:"quantization_overhead_pct"`
	// CodingOverheadBits is 8·compressed − QuantizedBits: the coder and
	// the container's framing.
	CodingOverheadBits float64 `json:"coding_overhead_bits"`
	// OverheadBitsPerToken is (8·compressed − CrossEntropyBits)/tokens:
	// quantization and coding together.
	OverheadBitsPerToken float64 `json:"overhead_bits_per_token"`
}

// newLMResult describes c compressed bytes coded with code lengths cl.
func newLMResult(cl LMCodeLengths, c int64) *LMResult {
	r := &LMResult{
		Tokens:                   cl.Tokens,
		CrossEntropyBits:         cl.CrossEntropy,
		QuantizedBits:            cl.Quantized,
		QuantizationOverheadBits: cl.Quantized - cl.CrossEntropy,
		CodingOverheadBits:       8*float64(c) - cl.Quantized,
	}
	if n := float64(cl.Tokens); n > 0 {
		r.BitsPerToken = 8 * float64(c) / n
		r.CrossEntropyBitsPerToken = cl.CrossEntropy / n
		r.Perplexity = math.Exp2(r.CrossEntropyBitsPerToken)
		r.OverheadBitsPerToken = (8*float64(c) - cl.CrossEntropy) / n
	}
	if cl.CrossEntropy > 0 {
		r.QuantizationOverheadPct = 100 * r.QuantizationOverheadBits / cl.CrossEntropy
	}
	return r
}
