package container

import (
	"os"
	"path/filepath"
	"testing"
)

// benchInputs returns the canterbury text files, or skips without them.
func benchInputs(b *testing.B) map[string][]byte {
	out := map[string][]byte{}
	for _, name := range []string{"alice29.txt", "lcet10.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "canterbury", name))
		if err != nil {
			b.Skipf("corpus not available: %v", err)
		}
		out[name] = data
	}
	return out
}

// BenchmarkPairs measures every working model × coder pair end to end
// through the container: MB/s of raw data and bits/byte of output.
//
//	go test ./container -run '^$' -bench Pairs -benchtime 3x
func BenchmarkPairs(b *testing.B) {
	for name, src := range benchInputs(b) {
		for _, p := range workingPairs() {
			opts := p.opts
			z, err := Compress(nil, src, opts...)
			if err != nil {
				b.Fatal(err)
			}
			bpb := float64(len(z)*8) / float64(len(src))
			b.Run(name+"/"+p.name+"/compress", func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				w, err := NewWriter(nil, opts...)
				if err != nil {
					b.Fatal(err)
				}
				var out appendWriter
				for b.Loop() {
					out.b = out.b[:0]
					w.Reset(&out)
					w.Write(src)
					w.Close()
				}
				b.ReportMetric(bpb, "bits/byte")
			})
			b.Run(name+"/"+p.name+"/decompress", func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				var dst []byte
				for b.Loop() {
					if dst, err = Decompress(dst[:0], z); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(bpb, "bits/byte")
			})
		}
	}
}
