package container

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/entzip/entzip/model"
	"github.com/stretchr/testify/require"
)

// pair is one working model × coder configuration under test.
type pair struct {
	name string
	opts []WriterOption
}

// workingPairs lists every model × coder pair this version supports.
func workingPairs() []pair {
	ps := []pair{
		{"order0-huffman", []WriterOption{WithModel(Order0), WithCoder(Huffman)}},
		{"order0-arith", []WriterOption{WithModel(Order0), WithCoder(Arith)}},
		{"order0-rans-static", []WriterOption{WithModel(Order0), WithCoder(RANS)}},
		{"order0-rans-adaptive", []WriterOption{WithModel(Order0), WithCoder(RANS), WithStatic(false)}},
		{"orderk1-huffman", []WriterOption{WithModel(OrderK), WithOrder(1), WithCoder(Huffman)}},
		{"orderk2-huffman", []WriterOption{WithModel(OrderK), WithOrder(2), WithCoder(Huffman)}},
		{"orderk1-rans-static", []WriterOption{WithModel(OrderK), WithOrder(1), WithCoder(RANS)}},
	}
	ps = append(ps,
		pair{"cm1-arith", []WriterOption{WithLevel(1), WithModel(CM), WithCoder(Arith)}},
		pair{"cm1-rans", []WriterOption{WithLevel(1), WithModel(CM), WithCoder(RANS)}},
		pair{"order0-arith-solid", []WriterOption{WithModel(Order0), WithCoder(Arith), WithSolid(true)}},
		pair{"orderk3-rans-solid", []WriterOption{WithModel(OrderK), WithOrder(3), WithCoder(RANS), WithStatic(false), WithSolid(true), WithMemBits(model.MinOrderKMemBits)}},
	)
	for _, k := range []int{1, 3, 5, 8} {
		for _, c := range []Coder{Arith, RANS} {
			ps = append(ps, pair{"orderk" + string(rune('0'+k)) + "-" + c.String(),
				[]WriterOption{WithModel(OrderK), WithOrder(k), WithCoder(c), WithStatic(false), WithMemBits(model.MinOrderKMemBits)}})
		}
	}
	return ps
}

// edgeCases returns inputs every pair must round-trip.
func edgeCases() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 10000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	all := make([]byte, 256*3)
	for i := range all {
		all[i] = byte(i)
	}
	text, _ := os.ReadFile("../testdata/alice-ch1-2.txt")
	return map[string][]byte{
		"empty":    {},
		"one-byte": {'x'},
		"repeated": bytes.Repeat([]byte{'a'}, 5000),
		"all-256":  all,
		"random":   random,
		"text":     text,
		// A frame stored raw between two coded ones (solid models must
		// learn from it).
		"stored-between": append(append(append([]byte{}, text[:1<<MinFrameLog]...), random[:1<<MinFrameLog]...), text[1<<MinFrameLog:3<<MinFrameLog]...),
		// Several frames at the smallest frame size.
		"multi-frame": bytes.Repeat(append(append([]byte{}, text[:3000]...), random[:1500]...), 4),
	}
}

func TestRoundTrip(t *testing.T) {
	for _, p := range workingPairs() {
		for name, src := range edgeCases() {
			t.Run(p.name+"/"+name, func(t *testing.T) {
				opts := append([]WriterOption{WithFrameSize(1 << MinFrameLog)}, p.opts...)
				z, err := Compress(nil, src, opts...)
				require.NoError(t, err)
				got, err := Decompress(nil, z)
				require.NoError(t, err)
				require.True(t, bytes.Equal(src, got), "round trip differs: %s", diff(src, got))
			})
		}
	}
}

func TestOddWritesAreDeterministic(t *testing.T) {
	src := edgeCases()["multi-frame"]
	for _, p := range workingPairs() {
		t.Run(p.name, func(t *testing.T) {
			opts := append([]WriterOption{WithFrameSize(1 << MinFrameLog)}, p.opts...)
			want, err := Compress(nil, src, opts...)
			require.NoError(t, err)
			var buf bytes.Buffer
			w, err := NewWriter(&buf, opts...)
			require.NoError(t, err)
			for rest, n := src, 1; len(rest) > 0; n = n*3 + 1 {
				k := min(n%4099, len(rest))
				_, err := w.Write(rest[:k])
				require.NoError(t, err)
				rest = rest[k:]
			}
			require.NoError(t, w.Close())
			require.Equal(t, want, buf.Bytes())

			// Reading with tiny buffers gives the same bytes.
			r, err := NewReader(bytes.NewReader(want))
			require.NoError(t, err)
			var got []byte
			p := make([]byte, 7)
			for {
				n, err := r.Read(p)
				got = append(got, p[:n]...)
				if err != nil {
					require.ErrorIs(t, err, io.EOF)
					break
				}
			}
			require.True(t, bytes.Equal(src, got))
		})
	}
}

func TestRefusedPairs(t *testing.T) {
	cases := []struct {
		name string
		opts []WriterOption
		hint string
	}{
		{"orderk5-huffman", []WriterOption{WithModel(OrderK), WithOrder(5), WithCoder(Huffman)}, "arith"},
		{"adaptive-huffman", []WriterOption{WithCoder(Huffman), WithStatic(false)}, "arith"},
		{"static-arith", []WriterOption{WithCoder(Arith), WithStatic(true)}, "rans"},
		{"static-rans-order3", []WriterOption{WithModel(OrderK), WithOrder(3), WithCoder(RANS), WithStatic(true)}, "adaptive"},
		{"cm-huffman", []WriterOption{WithModel(CM), WithCoder(Huffman)}, "arith"},
		{"cm-static", []WriterOption{WithModel(CM), WithCoder(RANS), WithStatic(true)}, "adaptive"},
		{"cm-order", []WriterOption{WithModel(CM), WithOrder(3)}, "level"},
		{"lm-static", []WriterOption{WithModel(LM), WithCoder(RANS), WithStatic(true)}, "static"},
		{"lm-order", []WriterOption{WithModel(LM), WithOrder(3)}, "logits"},
		{"lm-solid", []WriterOption{WithModel(LM), WithSolid(true)}, "solid"},
		{"solid-static", []WriterOption{WithModel(Order0), WithCoder(RANS), WithStatic(true), WithSolid(true)}, "adaptive"},
		{"order0-with-order", []WriterOption{WithOrder(3), WithModel(Order0)}, "orderk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewWriter(&bytes.Buffer{}, c.opts...)
			require.ErrorIs(t, err, ErrUnsupported)
			require.Contains(t, err.Error(), c.hint)
		})
	}
}

// TestHuffmanAlone: asking only for Huffman lowers the preset's order to
// one Huffman can serve, while an explicit order stays and is refused.
func TestHuffmanAlone(t *testing.T) {
	w, err := NewWriter(io.Discard, WithCoder(Huffman))
	require.NoError(t, err)
	require.Equal(t, 2, w.Params().Order)
	require.True(t, w.Params().Static)
	_, err = NewWriter(io.Discard, WithOrder(4), WithCoder(Huffman))
	require.ErrorIs(t, err, ErrUnsupported)
}

// TestDefaultCMYields: the default preset's cm makes way for orderk when
// only an order or static tables are asked for, but not when cm is named.
func TestDefaultCMYields(t *testing.T) {
	p, err := Resolve()
	require.NoError(t, err)
	require.Equal(t, CM, p.Model)
	p, err = Resolve(WithOrder(3))
	require.NoError(t, err)
	require.Equal(t, OrderK, p.Model)
	require.Equal(t, 3, p.Order)
	require.False(t, p.Solid)
	p, err = Resolve(WithCoder(RANS), WithStatic(true), WithOrder(1))
	require.NoError(t, err)
	require.Equal(t, OrderK, p.Model)
	_, err = Resolve(WithModel(CM), WithCoder(Huffman))
	require.ErrorIs(t, err, ErrUnsupported)
}

func TestLevels(t *testing.T) {
	text := edgeCases()["text"]
	for l := MinLevel; l <= MaxLevel; l++ {
		if p, _ := LevelParams(l); testing.Short() && p.DecoderMemory() > 512<<20 {
			t.Logf("level %d needs %d MiB: skipped in -short mode", l, p.DecoderMemory()>>20)
			continue
		}
		p, err := LevelParams(l)
		require.NoError(t, err)
		z, err := Compress(nil, text, WithLevel(l))
		require.NoError(t, err, "level %d (%v)", l, p)
		got, err := Decompress(nil, z)
		require.NoError(t, err)
		require.Equal(t, text, got)
	}
	_, err := LevelParams(0)
	require.ErrorIs(t, err, ErrUnsupported)
}

func TestConcatenatedStreams(t *testing.T) {
	a, err := Compress(nil, []byte("hello, "))
	require.NoError(t, err)
	b, err := Compress(nil, []byte("world"), WithLevel(1))
	require.NoError(t, err)
	got, err := Decompress(nil, append(a, b...))
	require.NoError(t, err)
	require.Equal(t, "hello, world", string(got))

	info, err := Inspect(bytes.NewReader(append(a, b...)))
	require.NoError(t, err)
	require.Equal(t, 2, info.Streams)
	require.Equal(t, uint64(12), info.RawSize)
}

func TestTrailingGarbage(t *testing.T) {
	z, err := Compress(nil, []byte("data"))
	require.NoError(t, err)
	for _, junk := range [][]byte{{0}, []byte("junk"), []byte("EZ"), []byte("more junk after")} {
		_, err := Decompress(nil, append(append([]byte{}, z...), junk...))
		require.ErrorIs(t, err, ErrTrailing, "junk %q", junk)
	}
}

func TestNotAStream(t *testing.T) {
	_, err := Decompress(nil, nil)
	require.ErrorIs(t, err, ErrFormat)
	_, err = Decompress(nil, []byte("PK\x03\x04 a zip file"))
	require.ErrorIs(t, err, ErrFormat)
	z, err := Compress(nil, []byte("data"))
	require.NoError(t, err)
	z[4] = 99
	_, err = Decompress(nil, z)
	require.ErrorIs(t, err, ErrVersion)
}

func TestMemoryLimit(t *testing.T) {
	z, err := Compress(nil, []byte("data"), WithModel(OrderK), WithMemBits(24))
	require.NoError(t, err)
	_, err = Decompress(nil, z, WithMaxMemory(16<<20))
	require.ErrorIs(t, err, ErrLimit)
	_, err = Decompress(nil, z, WithMaxMemory(64<<20))
	require.NoError(t, err)
}

func TestFrameErrorLocates(t *testing.T) {
	src := bytes.Repeat([]byte("abcdefgh"), 2000)
	z, err := Compress(nil, src, WithFrameSize(1<<MinFrameLog), WithLevel(1))
	require.NoError(t, err)
	z[len(z)-20] ^= 0xFF
	_, err = Decompress(nil, z)
	var fe *FrameError
	require.True(t, errors.As(err, &fe), "error %v", err)
	require.Greater(t, fe.Offset, int64(headerSize))
}

var update = os.Getenv("ENTZIP_UPDATE_GOLDEN") != ""

// TestGolden pins format version 1: compressing the bundled text with every
// pair must give exactly the stored bytes, and the stored bytes must decode.
// Regenerate with ENTZIP_UPDATE_GOLDEN=1 go test ./container -run Golden
// only when the format version changes.
func TestGolden(t *testing.T) {
	src := edgeCases()["text"][:4000]
	for _, p := range workingPairs() {
		t.Run(p.name, func(t *testing.T) { checkGolden(t, p.name, src, p.opts...) })
	}
}

// checkGolden requires that src compressed with opts is exactly
// testdata/golden/NAME.ez (written first with ENTZIP_UPDATE_GOLDEN) and
// that the stored bytes decode to src.
func checkGolden(t *testing.T, name string, src []byte, opts ...WriterOption) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", name+".ez")
	z, err := Compress(nil, src, opts...)
	require.NoError(t, err)
	if update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, z, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, z), "output differs from %s: %s", path, diff(want, z))
	got, err := Decompress(nil, want)
	require.NoError(t, err)
	require.True(t, bytes.Equal(src, got))
}

// TestGoldenOptions pins streams that writers make only on request:
// orderk coding each byte as its 8 bits (no codewords flag), and a solid
// codewords stream whose frames keep or renew their code around a frame
// stored raw.
func TestGoldenOptions(t *testing.T) {
	text := edgeCases()["text"][:4000]
	orderk3 := []WriterOption{WithModel(OrderK), WithOrder(3), WithStatic(false), WithMemBits(model.MinOrderKMemBits)}
	for _, tc := range []struct {
		name string
		src  []byte
		opts []WriterOption
	}{
		{"orderk3-arith-bytes", text, append(orderk3, WithCoder(Arith), WithCodewords(false))},
		{"orderk3-rans-bytes", text, append(orderk3, WithCoder(RANS), WithCodewords(false))},
		{"orderk3-arith-solid-codewords", edgeCases()["stored-between"], append(orderk3, WithCoder(Arith), WithSolid(true), WithCodewords(true), WithFrameSize(1<<MinFrameLog))},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.src, tc.opts...) })
	}
}

// diff describes where two byte slices first differ, without dumping them.
func diff(want, got []byte) string {
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			return "first difference at byte " + strconv.Itoa(i)
		}
	}
	return "lengths " + strconv.Itoa(len(want)) + " and " + strconv.Itoa(len(got))
}

// TestSolid: a solid model learns across frames (smaller output), and a
// frame stored raw in between still trains it on both sides.
func TestSolid(t *testing.T) {
	cases := edgeCases()
	text, mixed := cases["text"], cases["stored-between"]
	opts := []WriterOption{WithFrameSize(1 << MinFrameLog), WithModel(OrderK), WithOrder(3)}
	fresh, err := Compress(nil, text, opts...)
	require.NoError(t, err)
	solid, err := Compress(nil, text, append(opts, WithSolid(true))...)
	require.NoError(t, err)
	require.Less(t, len(solid), len(fresh)*9/10)

	info := storedRoundTrip(t, mixed, append(opts, WithSolid(true))...)
	require.True(t, info.Params.Solid)
}

// storedRoundTrip compresses src, which has one frame that must be stored
// raw, with opts, checks that one frame is stored and that the archive
// decodes to src, and returns what Inspect says of it.
func storedRoundTrip(t *testing.T, src []byte, opts ...WriterOption) Info {
	t.Helper()
	z, err := Compress(nil, src, opts...)
	require.NoError(t, err)
	info, err := Inspect(bytes.NewReader(z))
	require.NoError(t, err)
	require.Equal(t, int64(1), info.StoredFrames)
	got, err := Decompress(nil, z)
	require.NoError(t, err)
	require.True(t, bytes.Equal(src, got))
	return info
}

// TestCodewordsParams: adaptive orderk codes codewords unless asked
// otherwise; other models and static codes refuse them; a solid stream
// with codewords and a stored frame in between round-trips.
func TestCodewordsParams(t *testing.T) {
	for _, tc := range []struct {
		opts []WriterOption
		want bool
	}{
		{[]WriterOption{WithLevel(5)}, true},
		{[]WriterOption{WithModel(OrderK)}, true},
		{[]WriterOption{WithModel(OrderK), WithCoder(RANS), WithStatic(false)}, true},
		{[]WriterOption{WithModel(OrderK), WithSolid(true)}, false},
		{[]WriterOption{WithModel(OrderK), WithCodewords(false)}, false},
		{[]WriterOption{WithLevel(2)}, false},
		{[]WriterOption{WithLevel(6)}, false},
		{[]WriterOption{WithModel(Order0), WithCoder(Arith)}, false},
	} {
		p, err := Resolve(tc.opts...)
		require.NoError(t, err)
		require.Equal(t, tc.want, p.Codewords, "%s", p)
	}
	for _, opts := range [][]WriterOption{
		{WithModel(CM), WithCodewords(true)},
		{WithLevel(2), WithCodewords(true)},
		{WithModel(Order0), WithCoder(Arith), WithCodewords(true)},
	} {
		_, err := Resolve(opts...)
		require.ErrorIs(t, err, ErrUnsupported)
	}

	info := storedRoundTrip(t, edgeCases()["stored-between"], WithFrameSize(1<<MinFrameLog), WithModel(OrderK), WithOrder(3), WithSolid(true), WithCodewords(true))
	require.True(t, info.Params.Codewords)
}

// TestConcurrencyIsInvisible: the bytes written and read do not depend on
// how many frames are coded at once, and errors still surface in order.
func TestConcurrencyIsInvisible(t *testing.T) {
	src := edgeCases()["multi-frame"]
	for _, p := range workingPairs() {
		t.Run(p.name, func(t *testing.T) {
			opts := append([]WriterOption{WithFrameSize(1 << MinFrameLog)}, p.opts...)
			want, err := Compress(nil, src, opts...)
			require.NoError(t, err)
			for _, n := range []int{2, 3, 0} {
				got, err := Compress(nil, src, append(opts, WithConcurrency(n))...)
				require.NoError(t, err)
				require.True(t, bytes.Equal(want, got), "concurrency %d: %s", n, diff(want, got))
				out, err := Decompress(nil, want, WithDecoderConcurrency(n))
				require.NoError(t, err)
				require.True(t, bytes.Equal(src, out))
			}
			// Damage the last coded frame: every frame before it is still
			// returned, then the error.
			bad := append([]byte{}, want...)
			bad[len(bad)-20] ^= 0x10
			r, err := NewReader(bytes.NewReader(bad), WithDecoderConcurrency(3))
			require.NoError(t, err)
			out, err := io.ReadAll(r)
			require.Error(t, err)
			require.True(t, isFormatError(err), "%v", err)
			require.True(t, bytes.HasPrefix(src, out))
		})
	}
}

// TestHostileFrameHeader: a stream that promises the largest frame but
// ends at once fails as truncated without allocating the promised size.
func TestHostileFrameHeader(t *testing.T) {
	p := Params{Model: Order0, Coder: Arith, FrameSize: 1 << MaxFrameLog}.withDefaults()
	z := appendHeader(nil, p)
	z = appendFrameHeader(z, frameHeader{kind: kindCoded, rawLen: 1<<MaxFrameLog - 1, codedLen: 1<<MaxFrameLog - 2})
	z = append(z, "only a few bytes"...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decompress(nil, z)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrTruncated)
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "allocated %d bytes", after.TotalAlloc-before.TotalAlloc)
}

// TestWriteSizesAndProcsAreInvisible: the bytes written do not depend on
// the sizes of the Write calls nor on GOMAXPROCS (with WithConcurrency(0),
// one frame worker per processor).
func TestWriteSizesAndProcsAreInvisible(t *testing.T) {
	src := edgeCases()["multi-frame"]
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, p := range workingPairs() {
		t.Run(p.name, func(t *testing.T) {
			opts := append([]WriterOption{WithFrameSize(1 << MinFrameLog)}, p.opts...)
			want, err := Compress(nil, src, opts...)
			require.NoError(t, err)
			procsList, chunks := []int{1, 2, 3}, []int{1, 13, 1<<MinFrameLog + 3, len(src)}
			if testing.Short() {
				procsList, chunks = []int{1, 2}, []int{1<<MinFrameLog + 3}
			}
			for _, procs := range procsList {
				runtime.GOMAXPROCS(procs)
				for _, chunk := range chunks {
					if chunk == 1 && procs > 1 {
						continue // byte by byte once is enough
					}
					var z bytes.Buffer
					w, err := NewWriter(&z, append(opts, WithConcurrency(0))...)
					require.NoError(t, err)
					for rest := src; len(rest) > 0; {
						n := min(chunk, len(rest))
						_, err := w.Write(rest[:n])
						require.NoError(t, err)
						rest = rest[n:]
					}
					require.NoError(t, w.Close())
					require.True(t, bytes.Equal(want, z.Bytes()), "GOMAXPROCS %d, writes of %d: %s", procs, chunk, diff(want, z.Bytes()))
				}
			}
		})
	}
}
