// Package lmfixture builds small logits files (see package lm) for tests
// of the lm model: byte-level or token-level with a made-up vocabulary,
// dense or top-k, whose rows are the predictions of a bigram model fitted
// to the data itself, so that they compress it well.
package lmfixture

import (
	"bytes"
	"math"
	"slices"
	"strings"

	"github.com/entzip/entzip/model/lm"
)

// Options select the kind of file Build writes.
type Options struct {
	// Tokens makes token-level logits: a vocabulary of an empty padding
	// token (id 0, inserted after every 40th token), the 256 single bytes
	// (id b+1) and some English words, the data tokenized greedily. Without
	// it the logits are byte-level (V = 256).
	Tokens bool
	// EndToken makes byte-level logits with V = 257 and one more row,
	// predicting the end token 256.
	EndToken bool
	// TopK, if not 0, writes top-k rows of K tokens instead of dense ones;
	// RestLogit adds the rest_logit array.
	TopK      int
	RestLogit bool
	// Deflate compresses the members (np.savez_compressed).
	Deflate bool
	// OmitTokens leaves the tokens array out (what a decoder may be given).
	// Token-level files always need it to encode.
	OmitTokens bool
	// Alter changes the last row a little: logits that differ from the
	// unaltered file's in one row only.
	Alter bool
}

// Fixture is a built logits file.
type Fixture struct {
	NPZ    []byte
	Vocab  *lm.Vocab // nil for byte-level files
	Tokens []int32   // one per row
	// CrossEntropy is Σ −log2 p(token_t) under the float rows (top-k rows
	// with the package's rest rule): the ideal code length in bits.
	CrossEntropy float64
}

var words = strings.Fields("the and to of a she was it in that you said Alice I as her at on had with all be for so not very but little they out down what")

// vocab returns the made-up vocabulary: "", the 256 bytes, the words with
// a trailing space, and " the".
func vocab() [][]byte {
	v := [][]byte{{}}
	for b := range 256 {
		v = append(v, []byte{byte(b)})
	}
	for _, w := range words {
		v = append(v, []byte(w+" "))
	}
	return append(v, []byte(" the"))
}

// tokenize cuts data greedily into the longest tokens of voc, with the
// padding token 0 after every 40th.
func tokenize(voc [][]byte, data []byte) []int32 {
	var toks []int32
	for len(data) > 0 {
		best, n := int32(data[0])+1, 1
		for id := 257; id < len(voc); id++ {
			if len(voc[id]) > n && bytes.HasPrefix(data, voc[id]) {
				best, n = int32(id), len(voc[id])
			}
		}
		toks = append(toks, best)
		data = data[n:]
		if len(toks)%41 == 40 {
			toks = append(toks, 0)
		}
	}
	return toks
}

// Build writes the logits file o describes for data.
func Build(data []byte, o Options) (Fixture, error) {
	var fx Fixture
	var V int
	if o.Tokens {
		voc := vocab()
		fx.Vocab = lm.NewVocab(voc)
		fx.Tokens = tokenize(voc, data)
		V = len(voc)
	} else {
		V = 256
		for _, b := range data {
			fx.Tokens = append(fx.Tokens, int32(b))
		}
		if o.EndToken {
			V = 257
			fx.Tokens = append(fx.Tokens, 256)
		}
	}
	if fx.Tokens == nil {
		fx.Tokens = []int32{}
	}
	// Bigram counts; the first row is predicted from the state V.
	counts := make([]float64, (V+1)*V)
	prev := V
	for _, t := range fx.Tokens {
		counts[prev*V+int(t)]++
		prev = int(t)
	}
	// One row per state (the previous token), shared by the rows that
	// follow the same token.
	T := len(fx.Tokens)
	table := make([][]float32, V+1)
	rows := make([][]float32, T)
	prev = V
	for t := range rows {
		if table[prev] == nil {
			row := make([]float32, V)
			for id := range row {
				row[id] = float32(math.Log(counts[prev*V+id] + 0.05))
			}
			table[prev] = row
		}
		rows[t] = table[prev]
		if o.Alter && t == T-1 {
			row := slices.Clone(rows[t])
			row[0] += 0.5
			rows[t] = row
		}
		prev = int(fx.Tokens[t])
	}

	h := lm.NPZHeader{Rows: T, VocabSize: V, TopK: o.TopK, RestLogit: o.RestLogit, Vocab: fx.Vocab, Deflate: o.Deflate}
	if !o.OmitTokens {
		h.Tokens = fx.Tokens
	}
	ids := make([][]int32, T)
	rest := make([]float32, T)
	if o.TopK > 0 {
		type top struct {
			ids  []int32
			rest float32
		}
		tops := make(map[*float32]top)
		for t, row := range rows {
			tp, ok := tops[&row[0]]
			if !ok {
				tp.ids, tp.rest = topK(row, o.TopK)
				tops[&row[0]] = tp
			}
			ids[t], rest[t] = tp.ids, tp.rest
		}
	}
	for t, row := range rows {
		var r *float32
		if o.RestLogit {
			r = &rest[t]
		}
		var id []int32
		if o.TopK > 0 {
			id = ids[t]
		}
		fx.CrossEntropy += crossEntropy(row, fx.Tokens[t], id, r)
	}
	var buf bytes.Buffer
	err := lm.WriteNPZ(&buf, h, func(t int, r *lm.Row) error {
		if o.TopK == 0 {
			copy(r.Logits, rows[t])
			return nil
		}
		for j, id := range ids[t] {
			r.IDs[j], r.Logits[j] = id, rows[t][id]
		}
		r.Rest = rest[t]
		return nil
	})
	fx.NPZ = buf.Bytes()
	return fx, err
}

// topK returns row's K most likely ids (most likely first) and the rest
// logit that keeps the unlisted mass: logsumexp(unlisted) − ln(V−K).
func topK(row []float32, k int) ([]int32, float32) {
	order := make([]int32, len(row))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch {
		case row[a] > row[b]:
			return -1
		case row[a] < row[b]:
			return 1
		}
		return 0
	})
	var rest float32
	if k < len(row) {
		var z float64
		for _, id := range order[k:] {
			z += math.Exp(float64(row[id]))
		}
		rest = float32(math.Log(z) - math.Log(float64(len(row)-k)))
	}
	return order[:k], rest
}

// crossEntropy is −log2 p(tok) under row: dense (ids nil) or the top-k
// row of ids, with the rest logit or the default rest rule.
func crossEntropy(row []float32, tok int32, ids []int32, rest *float32) float64 {
	V := len(row)
	if ids == nil {
		var z float64
		for _, y := range row {
			z += math.Exp(float64(y))
		}
		return -math.Log2(math.Exp(float64(row[tok])) / z)
	}
	var z float64
	listed := false
	yMin := math.Inf(1)
	for _, id := range ids {
		y := float64(row[id])
		z += math.Exp(y)
		yMin = min(yMin, y)
		listed = listed || id == tok
	}
	rem := float64(V - len(ids))
	var pRest float64 // of each unlisted token, unnormalized
	if rest != nil {
		z += rem * math.Exp(float64(*rest))
		pRest = math.Exp(float64(*rest))
	} else if rem > 0 {
		z += math.Exp(yMin)
		pRest = math.Exp(yMin) / rem
	}
	if listed {
		return -math.Log2(math.Exp(float64(row[tok])) / z)
	}
	return -math.Log2(pRest / z)
}
