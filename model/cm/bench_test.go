package cm

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkCM runs the default level over the first 256 KiB of alice29.txt
// (or the synthetic test input without the corpus) and reports bits/byte.
func BenchmarkCM(b *testing.B) {
	data := testInput(1 << 18)
	if d, err := readCorpusFile("canterbury/alice29.txt"); err == nil {
		data = d
	}
	m, err := New(DefaultLevel)
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var bits float64
	for range b.N {
		b.StopTimer()
		m.Reset() // clears the tables in place: not part of the per-byte cost
		b.StartTimer()
		bits = idealBits(m, data)
	}
	b.ReportMetric(bits/float64(len(data)), "bits/byte")
}

// BenchmarkByteDist runs ByteDist and the model over the first 16 KiB of
// the benchmark input, at the default level and the full configuration.
func BenchmarkByteDist(b *testing.B) {
	data := testInput(1 << 14)
	if d, err := readCorpusFile("canterbury/alice29.txt"); err == nil {
		data = d[:1<<14]
	}
	for _, level := range []int{DefaultLevel, fullLevel} {
		b.Run(fmt.Sprintf("level=%d", level), func(b *testing.B) {
			m, err := New(level)
			require.NoError(b, err)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				m.Reset()
				distGap(m, data)
			}
		})
	}
}
