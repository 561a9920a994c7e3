package lm_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/bench"
	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model/lm"
)

// TestBigTopKStreaming writes a ~1 GB stored top-k logits file of a
// GPT-2-sized made-up vocabulary (T = 2^21 rows, K = 64, V = 50257: two
// [T, K] arrays of 4-byte elements), then compresses the input its tokens
// detokenize to through a container Writer with model lm, decompresses it
// through a Reader, checks the round trip, and runs bench.LMBits over it,
// reporting the time of each phase, the process's peak RSS
// (getrusage ru_maxrss, a high-water mark: each figure covers the phases
// before it) and the peak live Go heap sampled during each phase. The
// logits file is read row by row: memory is O(V + K) plus the tokens array
// and the input (4 and ~6 bytes per token), not O(file).
//
// It takes minutes and a GB of disk, so it runs only with ENTZIP_BIG_LM=1;
// ENTZIP_BIG_LM_ROWS sets T.
func TestBigTopKStreaming(t *testing.T) {
	if os.Getenv("ENTZIP_BIG_LM") != "1" {
		t.Skip("set ENTZIP_BIG_LM=1 to write and code a 1 GB logits file")
	}
	const (
		V      = 50257
		K      = 64
		stride = 785 // K·stride < V: base + j·stride (mod V) are distinct
	)
	T := 1 << 21
	if s := os.Getenv("ENTZIP_BIG_LM_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		T = n
	}

	// Row t lists ids base_t + j·stride, logits falling with j; its token is
	// the listed id of a geometric rank, or an unlisted one (base_t + 1).
	rowSeed := func(i int) uint64 { return splitmix(uint64(i) + 0x5EED) }
	tokenOf := func(i int) int32 {
		h := rowSeed(i)
		base := int(h % V)
		r := 0
		for u := h >> 20; u&3 == 0 && r < K; u >>= 2 {
			r++ // P(rank r) = 3/4 · (1/4)^r
		}
		if r >= K || h>>60 == 0 { // ~1/16 unlisted
			return int32((base + 1) % V)
		}
		return int32((base + r*stride) % V)
	}
	fill := func(i int, row *lm.Row) error {
		h := rowSeed(i)
		base := int(h % V)
		g := h
		for j := range row.IDs {
			g = splitmix(g)
			row.IDs[j] = int32((base + j*stride) % V)
			row.Logits[j] = -1.4*float32(j) + float32(g>>40)/float32(1<<24)
		}
		row.Rest = -12 // each unlisted token: about 2^-18
		return nil
	}
	voc := make([][]byte, V)
	for i := range voc {
		voc[i] = []byte(" w" + strconv.FormatInt(int64(i), 36))
	}
	toks := make([]int32, T)
	for i := range toks {
		toks[i] = tokenOf(i)
	}

	mon := startHeapMonitor()
	defer mon.stop()
	phase := func(name string, start time.Time, extra string) {
		t.Logf("%-34s %8v  peak RSS so far %6.1f MiB, peak live heap in phase %6.1f MiB%s",
			name, time.Since(start).Round(10*time.Millisecond), float64(maxRSS())/(1<<20), float64(mon.reset())/(1<<20), extra)
	}

	path := filepath.Join(t.TempDir(), "big.npz")
	start := time.Now()
	out, err := os.Create(path)
	require.NoError(t, err)
	bw := bufio.NewWriterSize(out, 1<<20)
	h := lm.NPZHeader{Rows: T, VocabSize: V, TopK: K, RestLogit: true, Vocab: lm.NewVocab(voc), Tokens: toks}
	require.NoError(t, lm.WriteNPZ(bw, h, fill))
	require.NoError(t, bw.Flush())
	require.NoError(t, out.Close())
	st, err := os.Stat(path)
	require.NoError(t, err)
	phase("write .npz", start, fmt.Sprintf("  (%.3f GB, T = %d, K = %d, V = %d)", float64(st.Size())/1e9, T, K, V))

	var input []byte
	for _, tok := range toks {
		input = append(input, voc[tok]...)
	}
	toks, voc = nil, nil
	runtime.GC()
	mon.reset()

	f, err := lm.Open(path)
	require.NoError(t, err)
	defer f.Close()
	start = time.Now()
	var z bytes.Buffer
	w, err := container.NewWriter(&z, container.WithParams(container.Params{Model: container.LM, Coder: container.Arith}), container.WithLogits(f))
	require.NoError(t, err)
	for rest := input; len(rest) > 0; {
		n := min(len(rest), 64<<10)
		_, err := w.Write(rest[:n])
		require.NoError(t, err)
		rest = rest[n:]
	}
	require.NoError(t, w.Close())
	phase("compress (container, arith)", start, fmt.Sprintf("  (%d input bytes -> %d, %.3f bits/token)", len(input), z.Len(), 8*float64(z.Len())/float64(T)))

	start = time.Now()
	r, err := container.NewReader(bytes.NewReader(z.Bytes()), container.WithDecoderLogits(f))
	require.NoError(t, err)
	cmp := &compareWriter{want: input}
	_, err = io.Copy(cmp, r)
	require.NoError(t, err)
	require.NoError(t, cmp.err)
	require.Equal(t, len(input), cmp.n, "decompressed length")
	phase("decompress + compare", start, "")

	start = time.Now()
	cl, err := bench.LMBits(&bench.Logits{Path: path, File: f}, input)
	require.NoError(t, err)
	phase("bench.LMBits (float + quantized)", start, fmt.Sprintf("  (float CE %.4f bits/token, quantized +%.4f%%, coded +%.4f%%)",
		cl.CrossEntropy/float64(cl.Tokens), 100*(cl.Quantized-cl.CrossEntropy)/cl.CrossEntropy, 100*(8*float64(z.Len())-cl.CrossEntropy)/cl.CrossEntropy))

	// The bound: the runtime and the test binary, then per token the
	// tokens array (4 B) and the input (~5 B, held once by the test and
	// briefly grown while built); nothing per byte of the logits file.
	require.Less(t, maxRSS(), int64(64<<20+16*T), "peak RSS must not grow with the logits file")
}

// splitmix is the SplitMix64 finalizer.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

// maxRSS returns the peak resident set size of this process in bytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) << 10 // KiB on Linux
}

// heapMonitor samples the live Go heap every few milliseconds.
type heapMonitor struct {
	mu   sync.Mutex
	peak uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func startHeapMonitor() *heapMonitor {
	m := &heapMonitor{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-tick.C:
				metrics.Read(s)
				m.mu.Lock()
				m.peak = max(m.peak, s[0].Value.Uint64())
				m.mu.Unlock()
			}
		}
	}()
	return m
}

// reset returns the peak since the last reset and starts a new one.
func (m *heapMonitor) reset() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.peak
	m.peak = 0
	return p
}

func (m *heapMonitor) stop() { close(m.done); m.wg.Wait() }

// compareWriter checks what is written against want.
type compareWriter struct {
	want []byte
	n    int
	err  error
}

func (c *compareWriter) Write(p []byte) (int, error) {
	if c.err == nil && (c.n+len(p) > len(c.want) || !bytes.Equal(p, c.want[c.n:c.n+len(p)])) {
		c.err = fmt.Errorf("output differs from the input within bytes [%d, %d)", c.n, c.n+len(p))
	}
	c.n += len(p)
	return len(p), nil
}
