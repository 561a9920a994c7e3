package lm_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model/lm"
)

// Code a string with the predictions of a (tiny, made-up) language model
// saved as an .npz file, then decode it using only the logits and the
// vocabulary.
func Example() {
	vocab := lm.NewVocab([][]byte{[]byte("to"), []byte(" be"), []byte(" or"), []byte(" not"), []byte(" to")})
	tokens := []int32{0, 1, 2, 3, 4, 1} // "to be or not to be"
	// The "LM": confident, and right except at position 3.
	predicted := []int32{0, 1, 2, 1, 4, 1}
	var npz bytes.Buffer
	err := lm.WriteNPZ(&npz, lm.NPZHeader{Rows: len(tokens), VocabSize: vocab.Len(), Vocab: vocab, Tokens: tokens},
		func(t int, row *lm.Row) error {
			for i := range row.Logits {
				row.Logits[i] = 0
			}
			row.Logits[predicted[t]] = 3
			return nil
		})
	if err != nil {
		panic(err)
	}
	f, err := lm.NewFile(bytes.NewReader(npz.Bytes()), int64(npz.Len()))
	if err != nil {
		panic(err)
	}

	// Encoder: the file's tokens must reproduce the input.
	toks, err := f.InputTokens([]byte("to be or not to be"))
	if err != nil {
		panic(err)
	}
	m, _ := lm.NewModel(f)
	enc := coder.NewArithEncoder()
	bits := 0.0
	for _, s := range toks {
		start, freq, total := m.Interval(int(s))
		enc.EncodeFreq(start, freq, total)
		bits += math.Log2(float64(total) / float64(freq))
		m.Update(int(s))
	}
	payload := enc.Finish(nil)

	// Decoder: a fresh Model over the same logits; no tokens needed.
	m, _ = lm.NewModel(f)
	dec := coder.NewArithDecoder(payload)
	out := make([]int32, f.Rows())
	for i := range out {
		s, start, freq := m.Find(dec.DecodeFreq(m.Total()))
		dec.Consume(start, freq, m.Total())
		m.Update(s)
		out[i] = int32(s)
	}
	text, _ := f.Vocab().Detokenize(out)
	fmt.Printf("%q in %.1f bits (%d bytes)\n", text, bits, len(payload))
	// Output: "to be or not to be" in 5.9 bits (1 bytes)
}
