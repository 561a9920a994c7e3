package lm

import (
	"fmt"
	"math"
	"testing"

	"github.com/entzip/entzip/coder"
)

// BenchmarkModel measures the cost per token of reading, quantizing and
// coding one row: encode (Interval) and decode (Find) with the range coder,
// the logits in memory (a stored .npz).
func BenchmarkModel(b *testing.B) {
	for _, c := range []struct {
		name string
		v, k int
		rows int
	}{
		{"dense-V256", 256, 0, 4096},
		{"dense-V50257", 50257, 0, 32},
		{"top64-V50257", 50257, 64, 4096},
		{"top1024-V50257", 50257, 1024, 512},
	} {
		h := NPZHeader{Rows: c.rows, VocabSize: c.v, TopK: c.k}
		if c.v != 256 {
			h.Vocab = bigVocab(c.v)
		}
		var data []byte
		var toks []int32
		if c.k == 0 {
			var rows [][]float32
			rows, toks = zipfRows(c.rows, c.v, 1.5, 5)
			data = writeNPZ(b, h, func(i int, r *Row) error {
				copy(r.Logits, rows[i])
				return nil
			})
		} else {
			ids, logits, tk := topKFixture(c.rows, c.v, c.k)
			toks = tk
			data = writeNPZ(b, h, func(i int, r *Row) error {
				copy(r.IDs, ids[i])
				copy(r.Logits, logits[i])
				return nil
			})
		}
		f := openBytes(b, data)
		for _, mode := range []string{"encode", "decode"} {
			b.Run(fmt.Sprintf("%s/%s", c.name, mode), func(b *testing.B) {
				m, err := NewModel(f)
				if err != nil {
					b.Fatal(err)
				}
				enc := coder.NewArithEncoder()
				for i := range toks {
					enc.EncodeFreq(m.Interval(int(toks[i])))
					m.Update(0)
				}
				if m.Err() != nil {
					b.Fatal(m.Err())
				}
				payload := enc.Finish(nil)
				dec := coder.NewArithDecoder(payload)
				m.Reset()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					if i == len(toks) {
						i = 0
						m.Reset()
						enc.Reset()
						dec.Reset(payload)
					}
					if mode == "encode" {
						enc.EncodeFreq(m.Interval(int(toks[i])))
					} else {
						total := m.Total()
						s, start, freq := m.Find(dec.DecodeFreq(total))
						dec.Consume(start, freq, total)
						if s != int(toks[i]) {
							b.Fatalf("decoded %d, want %d", s, toks[i])
						}
					}
					m.Update(0)
				}
				if m.Err() != nil {
					b.Fatal(m.Err())
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/token")
			})
		}
	}
}

// topKFixture returns n top-k rows of K distinct ids (scattered over V, in
// no particular order) with Zipf-like logits, and a listed token per row.
func topKFixture(n, v, k int) ([][]int32, [][]float32, []int32) {
	r := rng(11)
	ids := make([][]int32, n)
	logits := make([][]float32, n)
	toks := make([]int32, n)
	for t := range ids {
		a, b := coprime(&r, v), r.intn(v)
		ids[t], logits[t] = make([]int32, k), make([]float32, k)
		for j := range k {
			ids[t][j] = int32((int64(j)*int64(a) + int64(b)) % int64(v))
			logits[t][j] = float32(-1.5*math.Log(float64(j+1)) + 0.5*float64(r.float()))
		}
		toks[t] = ids[t][r.intn(min(k, 8))]
	}
	return ids, logits, toks
}

// coprime returns a random multiplier a coprime to v, so that
// i → (i·a + b) mod v is a permutation.
func coprime(r *rng, v int) int {
	for {
		a := 7919 + r.intn(100000)
		x, y := a, v
		for y != 0 {
			x, y = y, x%y
		}
		if x == 1 {
			return a
		}
	}
}
