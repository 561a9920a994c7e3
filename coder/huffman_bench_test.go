package coder

import (
	"errors"
	"slices"
	"testing"

	"github.com/klauspost/compress/huff0"
)

// BenchmarkHuffman measures EncodeHuffman and DecodeHuffman at orders 0..2
// beside huff0's Compress4X and Decompress4X on the same data, in the same
// run. bits/byte is the coded size including tables.
func BenchmarkHuffman(b *testing.B) {
	inputs := []struct {
		name string
		data func(testing.TB) []byte
	}{
		{"alice29", func(tb testing.TB) []byte { return corpusFile(tb, "canterbury/alice29.txt") }},
		{"text4M", func(tb testing.TB) []byte { return textBuffer(tb, 4<<20) }},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			src := in.data(b)
			for order := range 3 {
				enc, err := EncodeHuffman(nil, src, order)
				if err != nil {
					b.Fatal(err)
				}
				bpb := float64(8*len(enc)) / float64(len(src))
				name := []string{"o0", "o1", "o2"}[order]
				b.Run(name+"-enc", func(b *testing.B) {
					b.SetBytes(int64(len(src)))
					b.ReportAllocs()
					dst := make([]byte, 0, len(enc)+64)
					for b.Loop() {
						dst, _ = EncodeHuffman(dst[:0], src, order)
					}
					b.ReportMetric(bpb, "bits/byte")
				})
				b.Run(name+"-dec", func(b *testing.B) {
					b.SetBytes(int64(len(src)))
					b.ReportAllocs()
					dst := make([]byte, 0, len(src))
					for b.Loop() {
						var err error
						dst, err = DecodeHuffman(dst[:0], enc, len(src), order)
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(bpb, "bits/byte")
				})
			}
			// huff0 blocks hold at most huff0.BlockSizeMax bytes, so larger
			// inputs are coded as a sequence of such blocks.
			var s huff0.Scratch
			var comp [][]byte
			size := 0
			for c := range slices.Chunk(src, huff0.BlockSizeMax) {
				out, _, err := huff0.Compress4X(c, &s)
				switch {
				case errors.Is(err, huff0.ErrIncompressible):
					out = nil // stored raw by a real container
					size += len(c)
				case err != nil:
					b.Fatal(err)
				default:
					size += len(out)
				}
				comp = append(comp, append([]byte(nil), out...))
			}
			bpb := float64(8*size) / float64(len(src))
			b.Run("huff0-enc", func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				var s huff0.Scratch
				for b.Loop() {
					for c := range slices.Chunk(src, huff0.BlockSizeMax) {
						_, _, err := huff0.Compress4X(c, &s)
						if err != nil && !errors.Is(err, huff0.ErrIncompressible) {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(bpb, "bits/byte")
			})
			b.Run("huff0-dec", func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				var s huff0.Scratch
				for b.Loop() {
					rest := len(src)
					for _, c := range comp {
						n := min(rest, huff0.BlockSizeMax)
						rest -= n
						if c == nil {
							continue
						}
						s2, rem, err := huff0.ReadTable(c, &s)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := s2.Decompress4X(rem, n); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(bpb, "bits/byte")
			})
		})
	}
}
