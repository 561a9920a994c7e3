package bench

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/klauspost/compress/fse"
	"github.com/klauspost/compress/huff0"
	"github.com/klauspost/compress/zstd"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
)

// Go benchmarks of every entzip coder and model, with klauspost's huff0,
// fse and zstd (and compress/gzip) beside them in the same run on the same
// data. Every sub-benchmark reports MB/s of input (SetBytes), allocations
// and the coded size as bits/byte; model benchmarks report the model's
// ideal code length (cross-entropy) as bits/byte.
//
//	go test ./bench -run '^$' -bench 'Coders|Models' -benchtime 5x
//
// The inputs are canterbury/alice29.txt and kennedy.xls from the shared
// corpus, or the bundled text when the corpus is missing. (coder/ and
// container/ have their own benchmarks: BenchmarkHuffman, BenchmarkRANSO0
// and BenchmarkRANSO1 beside huff0, BenchmarkPairs for every pair through
// the container.)

// benchInputs returns the benchmark inputs by name.
func benchInputs(b *testing.B) []Input {
	var ins []Input
	for _, name := range []string{"alice29.txt", "kennedy.xls"} {
		if data, err := os.ReadFile(filepath.Join(corpusPath, "canterbury", name)); err == nil {
			ins = append(ins, Input{Name: name, Data: data})
		}
	}
	if len(ins) == 0 {
		ins = append(ins, Input{Name: "alice-ch1-2.txt", Data: alice(b)})
	}
	return ins
}

// codec is one coder's whole-buffer encode and decode.
type codec struct {
	name string
	enc  func(dst, src []byte) ([]byte, error)
	dec  func(dst, src []byte, n int) ([]byte, error)
}

// coderCodecs lists entzip's coders, each with the simplest model that
// drives it, and the peers.
func coderCodecs() []codec {
	cs := []codec{
		{"huffman-o0", func(d, s []byte) ([]byte, error) { return coder.EncodeHuffman(d, s, 0) },
			func(d, s []byte, n int) ([]byte, error) { return coder.DecodeHuffman(d, s, n, 0) }},
		{"huffman-o1", func(d, s []byte) ([]byte, error) { return coder.EncodeHuffman(d, s, 1) },
			func(d, s []byte, n int) ([]byte, error) { return coder.DecodeHuffman(d, s, n, 1) }},
		{"huffman-o2", func(d, s []byte) ([]byte, error) { return coder.EncodeHuffman(d, s, 2) },
			func(d, s []byte, n int) ([]byte, error) { return coder.DecodeHuffman(d, s, n, 2) }},
		{"rans-static-o0", func(d, s []byte) ([]byte, error) { return coder.EncodeRANSO0(d, s), nil }, coder.DecodeRANSO0},
		{"rans-static-o1", func(d, s []byte) ([]byte, error) { return coder.EncodeRANSO1(d, s), nil }, coder.DecodeRANSO1},
		// The adaptive coders, driven by a static order-0 model built from
		// the input's counts (sent for free): the coder's own speed and
		// overhead, with the cheapest model.
		adaptiveSymbolCodec("arith-static-o0", newArith),
		adaptiveSymbolCodec("rans-adaptive-static-o0", newRANS),
		// The adaptive coders with the adaptive order-0 model.
		adaptiveOrder0Codec("arith-order0", newArith),
		adaptiveOrder0Codec("rans-adaptive-order0", newRANS),
		// And with the order-2 bit model, coding 8 bits per byte.
		adaptiveBitCodec("arith-orderk2", 2, newArith),
		adaptiveBitCodec("rans-adaptive-orderk2", 2, newRANS),
	}
	return append(cs, peerCodecs()...)
}

// peerCodecs are the klauspost coders and compressors and compress/gzip.
func peerCodecs() []codec {
	var hs huff0.Scratch
	var fs fse.Scratch
	cs := []codec{
		{"peer-huff0-4x", func(dst, src []byte) ([]byte, error) {
			// huff0 codes blocks of at most BlockSizeMax bytes; each block
			// is stored here behind its coded and raw sizes (coded size 0:
			// a raw block, which huff0 asks for with ErrIncompressible or
			// ErrUseRLE).
			for c := range slices.Chunk(src, huff0.BlockSizeMax) {
				hs.Reuse = huff0.ReusePolicyNone
				out, _, err := huff0.Compress4X(c, &hs)
				if errors.Is(err, huff0.ErrIncompressible) || errors.Is(err, huff0.ErrUseRLE) {
					out, err = nil, nil
				}
				if err != nil {
					return dst, err
				}
				dst = append(dst, byte(len(out)), byte(len(out)>>8), byte(len(out)>>16), byte(len(c)), byte(len(c)>>8), byte(len(c)>>16))
				if out == nil {
					dst = append(dst, c...)
				}
				dst = append(dst, out...)
			}
			return dst, nil
		}, func(dst, src []byte, n int) ([]byte, error) {
			for len(src) >= 6 {
				size := int(src[0]) | int(src[1])<<8 | int(src[2])<<16
				raw := int(src[3]) | int(src[4])<<8 | int(src[5])<<16
				src = src[6:]
				if size == 0 {
					dst = append(dst, src[:raw]...)
					src = src[raw:]
					continue
				}
				s, rest, err := huff0.ReadTable(src[:size], &hs)
				if err != nil {
					return dst, err
				}
				dst = slices.Grow(dst, raw)
				out, err := s.Decoder().Decompress4X(dst[len(dst):len(dst):len(dst)+raw], rest)
				if err != nil {
					return dst, err
				}
				dst = append(dst, out...)
				src = src[size:]
			}
			return dst, nil
		}},
		{"peer-fse", func(dst, src []byte) ([]byte, error) {
			out, err := fse.Compress(src, &fs)
			if errors.Is(err, fse.ErrIncompressible) || errors.Is(err, fse.ErrUseRLE) {
				return append(append(dst, 0), src...), nil
			}
			return append(append(dst, 1), out...), err
		}, func(dst, src []byte, n int) ([]byte, error) {
			if src[0] == 0 {
				return append(dst, src[1:]...), nil
			}
			fs.DecompressLimit = n
			out, err := fse.Decompress(src[1:], &fs)
			return append(dst, out...), err
		}},
	}
	for _, l := range []struct {
		name  string
		level zstd.EncoderLevel
	}{{"fastest", zstd.SpeedFastest}, {"default", zstd.SpeedDefault}, {"best", zstd.SpeedBestCompression}} {
		enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(l.level), zstd.WithEncoderConcurrency(1))
		dec, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		cs = append(cs, codec{"peer-zstd-" + l.name,
			func(dst, src []byte) ([]byte, error) { return enc.EncodeAll(src, dst), nil },
			func(dst, src []byte, n int) ([]byte, error) { return dec.DecodeAll(src, dst) }})
	}
	gz := libraryMethods(false)
	return append(cs, codec{"peer-gzip-9", gz[len(gz)-1].Compress, gz[len(gz)-1].Decompress})
}

type coderPair struct {
	enc coder.AdaptiveEncoder
	dec coder.AdaptiveDecoder
}

func newArith() coderPair {
	return coderPair{coder.NewArithEncoder(), coder.NewArithDecoder(nil)}
}

func newRANS() coderPair {
	return coderPair{coder.NewRANSEncoder(), coder.NewRANSDecoder(nil)}
}

// adaptiveSymbolCodec codes with a static order-0 model of the input's
// counts, which the decoder is given (not stored).
func adaptiveSymbolCodec(name string, newCoder func() coderPair) codec {
	c := newCoder()
	var m *model.StaticOrder0
	return codec{name,
		func(dst, src []byte) ([]byte, error) {
			var counts [256]uint32
			for _, b := range src {
				counts[b]++
			}
			m = model.NewStaticOrder0(&counts)
			c.enc.Reset()
			codeSymbols(m, c.enc, src)
			return c.enc.Finish(dst), nil
		},
		func(dst, src []byte, n int) ([]byte, error) {
			c.dec.Reset(src)
			return decodeSymbols(m, c.dec, dst, n)
		}}
}

// adaptiveOrder0Codec codes with the adaptive order-0 model.
func adaptiveOrder0Codec(name string, newCoder func() coderPair) codec {
	c := newCoder()
	m := model.NewOrder0()
	return codec{name,
		func(dst, src []byte) ([]byte, error) {
			m.Reset()
			c.enc.Reset()
			codeSymbols(m, c.enc, src)
			return c.enc.Finish(dst), nil
		},
		func(dst, src []byte, n int) ([]byte, error) {
			m.Reset()
			c.dec.Reset(src)
			return decodeSymbols(m, c.dec, dst, n)
		}}
}

// adaptiveBitCodec codes with the order-k bit model.
func adaptiveBitCodec(name string, order int, newCoder func() coderPair) codec {
	c := newCoder()
	m, err := model.NewOrderK(order, model.DefaultOrderKMemBits)
	if err != nil {
		panic(err)
	}
	return codec{name,
		func(dst, src []byte) ([]byte, error) {
			m.Reset()
			c.enc.Reset()
			for _, b := range src {
				for i := 7; i >= 0; i-- {
					bit := int(b>>uint(i)) & 1
					c.enc.EncodeBit(m.P1(), bit)
					m.Update(bit)
				}
			}
			return c.enc.Finish(dst), nil
		},
		func(dst, src []byte, n int) ([]byte, error) {
			m.Reset()
			c.dec.Reset(src)
			for range n {
				x := 0
				for range 8 {
					bit := c.dec.DecodeBit(m.P1())
					m.Update(bit)
					x = x<<1 | bit
				}
				dst = append(dst, byte(x))
			}
			return dst, c.dec.Close()
		}}
}

func codeSymbols[M model.SymbolModel](m M, e coder.AdaptiveEncoder, src []byte) {
	for _, b := range src {
		start, freq, total := m.Interval(int(b))
		e.EncodeFreq(start, freq, total)
		m.Update(int(b))
	}
}

func decodeSymbols[M model.SymbolModel](m M, d coder.AdaptiveDecoder, dst []byte, n int) ([]byte, error) {
	for range n {
		total := m.Total()
		s, start, freq := m.Find(d.DecodeFreq(total))
		d.Consume(start, freq, total)
		m.Update(s)
		dst = append(dst, byte(s))
	}
	return dst, d.Close()
}

// BenchmarkCoders measures each coder (entzip's and the peers') on each
// input, encode and decode, after checking the round trip.
func BenchmarkCoders(b *testing.B) {
	for _, in := range benchInputs(b) {
		src := in.Data
		for _, c := range coderCodecs() {
			coded := roundTrip(b, c, src)
			var err error
			bpb := 8 * float64(len(coded)) / float64(len(src))
			b.Run(in.Name+"/"+c.name+"/enc", func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				dst := make([]byte, 0, len(coded)+1024)
				for b.Loop() {
					if dst, err = c.enc(dst[:0], src); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(bpb, "bits/byte")
			})
			b.Run(in.Name+"/"+c.name+"/dec", func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				dst := make([]byte, 0, len(src))
				for b.Loop() {
					if dst, err = c.dec(dst[:0], coded, len(src)); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(bpb, "bits/byte")
			})
		}
	}
}

// BenchmarkModels measures each model alone (predict and update, no
// coder) and reports its ideal code length, so that a model's cost and
// the coder's can be told apart.
func BenchmarkModels(b *testing.B) {
	for _, in := range benchInputs(b) {
		src := in.Data
		b.Run(in.Name+"/order0", func(b *testing.B) {
			m := model.NewOrder0()
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			var bits float64
			for b.Loop() {
				m.Reset()
				bits = SymbolModelBits(m, src)
			}
			b.ReportMetric(bits/float64(len(src)), "bits/byte")
		})
		for k := 1; k <= model.MaxOrderK; k++ {
			b.Run(in.Name+"/orderk"+string(rune('0'+k)), func(b *testing.B) {
				m, err := model.NewOrderK(k, model.DefaultOrderKMemBits)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				var bits float64
				for b.Loop() {
					m.Reset()
					bits = BitModelBits(m, src)
				}
				b.ReportMetric(bits/float64(len(src)), "bits/byte")
			})
		}
	}
}

// roundTrip codes src with c, checks that it decodes back and returns the
// coded bytes.
func roundTrip(tb testing.TB, c codec, src []byte) []byte {
	tb.Helper()
	coded, err := c.enc(nil, src)
	if err != nil {
		tb.Fatalf("%s: %v", c.name, err)
	}
	got, err := c.dec(nil, coded, len(src))
	if err != nil || !bytes.Equal(got, src) {
		tb.Fatalf("%s: round trip failed: %v", c.name, err)
	}
	return coded
}

// TestCoderCodecsRoundTrip keeps the benchmark codecs honest in ordinary
// test runs.
func TestCoderCodecsRoundTrip(t *testing.T) {
	src := alice(t)[:6000]
	for _, c := range coderCodecs() {
		coded := roundTrip(t, c, src)
		if len(coded) >= len(src) {
			t.Errorf("%s: %d bytes from %d", c.name, len(coded), len(src))
		}
	}
	r, err := gzip.NewReader(bytes.NewReader(must(peerCodecs()[len(peerCodecs())-1].enc(nil, src))))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, src) {
		t.Fatal("gzip peer is not gzip")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
