package coder

import (
	"testing"

	"github.com/klauspost/compress/huff0"
)

// ransBenchInputs are the benchmark data sets, read lazily so a missing
// corpus only skips.
var ransBenchInputs = []struct {
	name string
	get  func(testing.TB) []byte
}{
	{"alice29", func(tb testing.TB) []byte { return corpusFile(tb, "canterbury/alice29.txt") }},
	{"text4M", func(tb testing.TB) []byte { return textBuffer(tb, 4<<20) }},
}

// huff0Block is the block size used for huff0, whose blocks are limited to
// huff0.BlockSizeMax; zstd uses the same 128 KiB.
const huff0Block = 128 << 10

// huff0Enc compresses src in huff0Block blocks and returns the coded size;
// it appends copies of the blocks to *keep when keep is not nil.
func huff0Enc(tb testing.TB, s *huff0.Scratch, src []byte, keep *[][]byte) int {
	size := 0
	for len(src) > 0 {
		blk := src[:min(len(src), huff0Block)]
		src = src[len(blk):]
		s.Reuse = huff0.ReusePolicyNone
		c, _, err := huff0.Compress4X(blk, s)
		if err != nil {
			tb.Fatal(err)
		}
		size += len(c)
		if keep != nil {
			*keep = append(*keep, append([]byte(nil), c...))
		}
	}
	return size
}

func BenchmarkRANSO0(b *testing.B) {
	for _, in := range ransBenchInputs {
		b.Run(in.name, func(b *testing.B) {
			src := in.get(b)
			benchStatic(b, src, EncodeRANSO0, DecodeRANSO0)
			var s huff0.Scratch
			var blocks [][]byte
			size := huff0Enc(b, &s, src, &blocks)
			b.Run("huff0-enc", func(b *testing.B) {
				var s huff0.Scratch
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				for b.Loop() {
					huff0Enc(b, &s, src, nil)
				}
				b.ReportMetric(float64(8*size)/float64(len(src)), "bits/byte")
			})
			b.Run("huff0-dec", func(b *testing.B) {
				var s huff0.Scratch
				dst := make([]byte, 0, huff0Block)
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				for b.Loop() {
					for j, c := range blocks {
						s2, rest, err := huff0.ReadTable(c, &s)
						if err != nil {
							b.Fatal(err)
						}
						n := min(huff0Block, len(src)-j*huff0Block)
						if _, err := s2.Decoder().Decompress4X(dst[:0:n], rest); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(8*size)/float64(len(src)), "bits/byte")
			})
		})
	}
}

func BenchmarkRANSO1(b *testing.B) {
	for _, in := range ransBenchInputs {
		b.Run(in.name, func(b *testing.B) {
			benchStatic(b, in.get(b), EncodeRANSO1, DecodeRANSO1)
		})
	}
}

// benchStatic runs the rans-enc and rans-dec sub-benchmarks of a static
// codec on src.
func benchStatic(b *testing.B, src []byte,
	enc func(dst, src []byte) []byte,
	dec func(dst, src []byte, n int) ([]byte, error),
) {
	coded := enc(nil, src)
	bpb := float64(8*len(coded)) / float64(len(src))
	b.Run("rans-enc", func(b *testing.B) {
		dst := enc(make([]byte, 0, len(src)+1024), src) // warm up: pools, capacity
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			dst = enc(dst[:0], src)
		}
		b.ReportMetric(bpb, "bits/byte")
	})
	b.Run("rans-dec", func(b *testing.B) {
		dst, err := dec(make([]byte, 0, len(src)), coded, len(src)) // warm up
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if dst, err = dec(dst[:0], coded, len(src)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(bpb, "bits/byte")
	})
}

func BenchmarkRANSAdaptive(b *testing.B) {
	src := corpusFile(b, "canterbury/alice29.txt")
	// A simple adaptive order-0 model over bits (a binary tree of 255
	// counters) is enough to measure the coder itself.
	type bitModel struct{ p [256]uint32 }
	reset := func(m *bitModel) {
		for i := range m.p {
			m.p[i] = 1 << 15
		}
	}
	update := func(p *uint32, bit int) {
		if bit != 0 {
			*p += (1<<16 - *p) >> 4
		} else {
			*p -= *p >> 4
		}
		*p = min(max(*p, 1), 1<<16-1)
	}
	var m bitModel
	e := NewRANSEncoder()
	reset(&m)
	for _, c := range src {
		ctx := 1
		for i := 7; i >= 0; i-- {
			bit := int(c>>i) & 1
			e.EncodeBit(m.p[ctx], bit)
			update(&m.p[ctx], bit)
			ctx = ctx<<1 | bit
		}
	}
	coded := e.Finish(nil)
	bpb := float64(8*len(coded)) / float64(len(src))
	b.Run("alice29/bits-enc", func(b *testing.B) {
		dst := make([]byte, 0, 2*len(coded))
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			reset(&m)
			e.Reset()
			for _, c := range src {
				ctx := 1
				for i := 7; i >= 0; i-- {
					bit := int(c>>i) & 1
					e.EncodeBit(m.p[ctx], bit)
					update(&m.p[ctx], bit)
					ctx = ctx<<1 | bit
				}
			}
			dst = e.Finish(dst[:0])
		}
		b.ReportMetric(bpb, "bits/byte")
	})
	b.Run("alice29/bits-dec", func(b *testing.B) {
		d := NewRANSDecoder(nil)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			reset(&m)
			d.Reset(coded)
			for range src {
				ctx := 1
				for range 8 {
					bit := d.DecodeBit(m.p[ctx])
					update(&m.p[ctx], bit)
					ctx = ctx<<1 | bit
				}
			}
			if err := d.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(bpb, "bits/byte")
	})
}
