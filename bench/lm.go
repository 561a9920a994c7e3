package bench

import (
	"fmt"
	"hash/maphash"
	"math"
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

// lmCoders are the coders model lm is measured with by default.
var lmCoders = []container.Coder{container.Arith, container.RANS, container.Huffman}

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
	m.Ideal = func(src []byte) (float64, float64, error) {
		b, err := LMBits(l, src)
		return b.CrossEntropy, 0, err
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
	if cl.CrossEntropy, err = floatCrossEntropy(f, toks); err != nil {
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

// floatCrossEntropy returns Σ −log2 p(toks[t]) under the rows of f as
// stored (lm.FloatRows).
func floatCrossEntropy(f *lm.File, toks []int32) (float64, error) {
	rows := f.FloatRows()
	defer rows.Close()
	V, K := f.VocabSize(), f.TopK()
	invTemp := 1.0
	if t := f.Temperature(); t != 0 {
		invTemp = 1 / t
	}
	var y []float64
	var ids []int64
	if K == 0 {
		y = make([]float64, V)
	} else {
		y, ids = make([]float64, K), make([]int64, K)
	}
	var bits float64
	for t, tok := range toks {
		rest, hasRest, err := rows.Row(t, y, ids)
		if err != nil {
			return 0, err
		}
		var b float64
		if K == 0 {
			b = denseBits(y, int(tok), invTemp)
		} else {
			b = topKBits(ids, y, rest, hasRest, V, int(tok), invTemp)
		}
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
func topKBits(ids []int64, y []float64, rest float64, hasRest bool, V, tok int, invTemp float64) float64 {
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
