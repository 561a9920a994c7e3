package lm

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/entzip/entzip/coder"
	"github.com/stretchr/testify/require"
)

// TestStreamingMemory writes a ~100 MB top-k logits file (V = 50257,
// K = 64, T = 200000), codes a token per row with it and fingerprints it,
// checking that the heap stays bounded: rows are read one at a time, never
// the whole array.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100 MB file")
	}
	const (
		T = 200000
		V = 50257
		K = 64
	)
	fill := func(i int, r *Row) error {
		g := rng(uint64(i)*0x9E3779B97F4A7C15 + 1)
		base := g.intn(V - K*700)
		for j := range r.IDs {
			r.IDs[j] = int32(base + j*700 + g.intn(700))
			r.Logits[j] = 10*g.float() - float32(j)/4
		}
		r.Rest = -20
		return nil
	}
	for _, deflate := range []bool{false, true} {
		T := T
		if deflate {
			T /= 4 // deflating 100 MB takes seconds; the bound is the same
		}
		path := filepath.Join(t.TempDir(), "big.npz")
		out, err := os.Create(path)
		require.NoError(t, err)
		bw := bufio.NewWriter(out)
		start := time.Now()
		require.NoError(t, WriteNPZ(bw, NPZHeader{Rows: T, VocabSize: V, TopK: K, RestLogit: true, Vocab: bigVocab(V), Deflate: deflate}, fill))
		require.NoError(t, bw.Flush())
		require.NoError(t, out.Close())
		st, err := os.Stat(path)
		require.NoError(t, err)
		t.Logf("deflate=%v: wrote %.1f MB in %v", deflate, float64(st.Size())/1e6, time.Since(start).Round(time.Millisecond))

		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		peak := uint64(0)
		sample := func() {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(ms.HeapAlloc, base))
		}

		f, err := Open(path)
		require.NoError(t, err)
		m, err := NewModel(f)
		require.NoError(t, err)
		enc := coder.NewArithEncoder()
		var row Row
		row.IDs, row.Logits = make([]int32, K), make([]float32, K)
		start = time.Now()
		for i := range T {
			require.NoError(t, fill(i, &row))
			s := int(row.IDs[i%K])
			enc.EncodeFreq(m.Interval(s))
			m.Update(s)
			if i%20000 == 0 {
				sample()
				enc.Reset() // the coded bytes are not what is measured
			}
		}
		require.NoError(t, m.Err())
		el := time.Since(start)
		start = time.Now()
		_, err = f.Fingerprint()
		require.NoError(t, err)
		fpTime := time.Since(start)
		sample()
		require.NoError(t, m.Close())
		require.NoError(t, f.Close())
		t.Logf("deflate=%v: coded %d tokens in %v (%.0f ns/token), full fingerprint %v (%.0f MB/s), peak heap above baseline %.1f MB",
			deflate, T, el.Round(time.Millisecond), float64(el.Nanoseconds())/float64(T), fpTime.Round(time.Millisecond),
			float64(st.Size())/1e6/fpTime.Seconds(), float64(peak)/1e6)
		require.Less(t, peak, uint64(16<<20), "heap must stay bounded")
	}
}

// bigVocab returns a made-up vocabulary of v tokens (token i is the
// decimal digits of i and a space).
func bigVocab(v int) *Vocab {
	t := make([][]byte, v)
	for i := range t {
		t[i] = append([]byte(nil), []byte(itoa(i)+" ")...)
	}
	return NewVocab(t)
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}
