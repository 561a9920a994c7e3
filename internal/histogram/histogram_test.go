package histogram

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBytes checks Bytes against a plain count, for every length up to a
// few blocks of four (the tail loop) and a long run of one byte.
func TestBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]byte, 1000)
	for i := range src {
		src[i] = byte(r.IntN(7) * 37)
	}
	for _, s := range [][]byte{nil, src[:1], src[:3], src[:4], src[:9], src, make([]byte, 4097)} {
		var want [256]uint32
		for _, b := range s {
			want[b]++
		}
		counts := [256]uint32{1, 2, 3} // overwritten
		Bytes(&counts, s)
		require.Equal(t, want, counts, "len %d", len(s))
	}
}

func BenchmarkBytes(b *testing.B) {
	src := make([]byte, 64<<10)
	for i := range src {
		src[i] = byte(i * i >> 5)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var counts [256]uint32
	for b.Loop() {
		Bytes(&counts, src)
	}
}
