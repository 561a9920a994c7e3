package cm

import (
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
