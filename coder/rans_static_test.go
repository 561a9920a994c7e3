package coder

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// ransCodec is a static rANS codec under test.
type ransCodec struct {
	name string
	enc  func(dst, src []byte) []byte
	dec  func(dst, src []byte, n int) ([]byte, error)
}

var ransCodecs = []ransCodec{
	{"o0", EncodeRANSO0, DecodeRANSO0},
	{"o1", EncodeRANSO1, DecodeRANSO1},
}

// ransInputs returns the named edge-case and corpus inputs.
func ransInputs(t *testing.T) map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	skewed := func(n int) []byte { // geometric-ish, a few very rare bytes
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(bits.LeadingZeros32(rng.Uint32()|1) * 7)
		}
		return b
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	in := map[string][]byte{
		"empty":      {},
		"one":        {'x'},
		"two":        {'x', 'y'},
		"repeated":   bytes.Repeat([]byte{'a'}, 1000),
		"repeated7":  bytes.Repeat([]byte{'a'}, 7),
		"almostsame": append(bytes.Repeat([]byte{'a'}, 5000), 'b'),
		"all256":     all,
		"all256x40":  bytes.Repeat(all, 40),
		"random":     random(100_000),
		"skewed":     skewed(50_001),
		"text":       []byte("It was the best of times, it was the worst of times."),
	}
	for n := 1; n <= 40; n++ {
		in[fmt.Sprintf("small%02d", n)] = skewed(n)
	}
	for _, name := range []string{"alice29.txt", "kennedy.xls", "ptt5", "sum", "xargs.1", "grammar.lsp", "fields.c"} {
		if b := ransCorpus(name); b != nil {
			in[name] = b
		}
	}
	return in
}

// ransCorpus returns a canterbury corpus file, or nil when it is absent.
func ransCorpus(name string) []byte {
	b, err := os.ReadFile(filepath.Join(corpusDir, "canterbury", name))
	if err != nil {
		return nil
	}
	return b
}

func TestRANSStaticRoundTrip(t *testing.T) {
	inputs := ransInputs(t)
	for _, c := range ransCodecs {
		for name, src := range inputs {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				prefix := []byte("prefix")
				enc := c.enc(append([]byte(nil), prefix...), src)
				require.Equal(t, prefix, enc[:len(prefix)], "dst prefix kept")
				enc = enc[len(prefix):]
				require.LessOrEqual(t, len(enc), len(src)+1, "never more than stored")
				dec, err := c.dec(append([]byte(nil), prefix...), enc, len(src))
				require.NoError(t, err)
				require.Equal(t, prefix, dec[:len(prefix)])
				require.True(t, bytes.Equal(src, dec[len(prefix):]), "round trip")
				// Same output when called again (pooled scratch reused).
				require.Equal(t, enc, c.enc(nil, src))
				// The wrong length never panics; it is an error except
				// where the extra or missing bytes cost nothing: a
				// single-symbol block, or order-1 rows with one symbol.
				for _, n := range []int{len(src) + 1, len(src) - 1} {
					_, err = c.dec(nil, enc, n)
					if c.name == "o0" && enc[0]>>4 != ransKindSingle || n < 0 {
						require.ErrorIs(t, err, ErrCorrupt, "n=%d", n)
					}
				}
			})
		}
	}
}

// ransH0 returns n·H0(src) in bits, computed from the byte counts.
func ransH0(src []byte) float64 {
	var cnt [256]int
	for _, c := range src {
		cnt[c]++
	}
	bits := 0.0
	for _, c := range cnt {
		if c > 0 {
			bits -= float64(c) * math.Log2(float64(c)/float64(len(src)))
		}
	}
	return bits
}

func TestRANSO0Entropy(t *testing.T) {
	inputs := ransInputs(t)
	inputs["text1M"] = textBuffer(t, 1<<20)
	for name, src := range inputs {
		if len(src) < 1000 {
			continue
		}
		enc := EncodeRANSO0(nil, src)
		if enc[0]>>4 != ransKindRANS {
			continue
		}
		var syms [256]byte
		var freq [256]uint32
		_, p, err := readRANSTable(enc[1:], 0, uint(enc[0]&15), &syms, &freq)
		require.NoError(t, err)
		table := 1 + p
		stream := len(enc) - table - 8*ransStates
		ideal := ransH0(src) / 8
		t.Logf("%-12s n=%8d  n·H0=%10.1f  table=%4d  stream=%8d  (%+.3f%%)", name, len(src), ideal, table, stream, 100*(float64(stream)/ideal-1))
		require.LessOrEqual(t, float64(stream), ideal*1.005+8, name)
	}
}

func TestRANSO1Entropy(t *testing.T) {
	src := textBuffer(t, 1<<20)
	// n·H1 with the segment contexts the codec uses.
	var cnt [256][256]int
	m := len(src) / 4
	for j := range 4 {
		ctx := byte(0)
		end := (j + 1) * m
		if j == 3 {
			end = len(src)
		}
		for _, c := range src[j*m : end] {
			cnt[ctx][c]++
			ctx = c
		}
	}
	h1 := 0.0
	for _, row := range cnt {
		sum := 0
		for _, c := range row {
			sum += c
		}
		for _, c := range row {
			if c > 0 {
				h1 -= float64(c) * math.Log2(float64(c)/float64(sum))
			}
		}
	}
	enc := EncodeRANSO1(nil, src)
	t.Logf("n=%d n·H1=%.0f bytes, coded %d (%.3f bits/byte)", len(src), h1/8, len(enc), 8*float64(len(enc))/float64(len(src)))
	require.Less(t, float64(len(enc)), h1/8*1.02+8000)
	require.Less(t, len(enc), len(EncodeRANSO0(nil, src)))
}

func TestRANSNormalize(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lg := ransLog2()
	for range 200 {
		var count, norm [256]uint32
		var syms []byte
		n := uint64(0)
		k := 2 + rng.IntN(255)
		for s := range 256 {
			if len(syms) < k && rng.IntN(2) == 0 {
				count[s] = 1 + uint32(rng.ExpFloat64()*float64(rng.IntN(5000)))
				syms = append(syms, byte(s))
				n += uint64(count[s])
			}
		}
		if len(syms) < 2 {
			continue
		}
		ransNormalize(&norm, &count, syms, n, ransO0Scale)
		sum := uint32(0)
		for _, s := range syms {
			require.GreaterOrEqual(t, norm[s], uint32(1))
			sum += norm[s]
		}
		require.Equal(t, uint32(1<<ransO0Scale), sum)
		// No move of one unit from b to a lowers Σ count·(log T - log f).
		for _, a := range syms {
			for _, b := range syms {
				if a == b || norm[b] == 1 {
					continue
				}
				gain := uint64(count[a]) * (lg[norm[a]+1] - lg[norm[a]])
				loss := uint64(count[b]) * (lg[norm[b]] - lg[norm[b]-1])
				if gain > loss {
					t.Fatalf("moving a unit from %d to %d improves the cost", b, a)
				}
			}
		}
	}
}

func TestRANSStaticCorrupt(t *testing.T) {
	src := textBuffer(t, 64<<10)
	for _, c := range ransCodecs {
		t.Run(c.name, func(t *testing.T) {
			enc := c.enc(nil, src)
			// Every truncation is an error.
			for l := range len(enc) {
				if l > 300 && l < len(enc)-300 && l%97 != 0 {
					continue
				}
				_, err := c.dec(nil, enc[:l], len(src))
				require.ErrorIs(t, err, ErrCorrupt, "truncated to %d", l)
			}
			_, err := c.dec(nil, append(enc, 0), len(src))
			require.ErrorIs(t, err, ErrCorrupt, "trailing byte")
			// Flipped bits: never a panic, nearly always an error.
			rng := rand.New(rand.NewPCG(5, 6))
			missed := 0
			tries := 2000
			if testing.Short() {
				tries = 300
			}
			bad := make([]byte, len(enc))
			var out []byte
			for range tries {
				copy(bad, enc)
				i := rng.IntN(len(bad))
				bad[i] ^= 1 << rng.IntN(8)
				out, err = c.dec(out[:0], bad, len(src))
				if err == nil {
					missed++
				} else {
					require.ErrorIs(t, err, ErrCorrupt)
				}
			}
			t.Logf("undetected bit flips: %d of %d", missed, tries)
			require.Less(t, missed, tries/100)
		})
	}
}

func TestRANSStaticHostile(t *testing.T) {
	// Hand-made blocks; each must fail cleanly.
	states := bytes.Repeat([]byte{0, 0, 0, 0x80, 0, 0, 0, 0}, 4) // x_j = L
	cases := []struct {
		name string
		blk  []byte
		n    int
	}{
		{"empty block", nil, 1},
		{"negative n", []byte{0x00}, -1},
		{"stored too short", []byte{0x00, 'a'}, 2},
		{"unknown kind", []byte{0x70}, 1},
		{"single for n=0", []byte{0x10, 'a'}, 0},
		{"scale 0", []byte{0x20}, 4},
		{"scale 13", []byte{0x2d, 1, 'a', 'b', 1}, 4},
		{"no table", []byte{0x2c}, 4},
		{"one symbol", append([]byte{0x2c, 0, 'a'}, states...), 4},
		{"symbols not increasing", append([]byte{0x2c, 1, 'b', 'a', 1}, states...), 4},
		{"zero freq", append([]byte{0x2c, 1, 'a', 'b', 0}, states...), 4},
		{"freq sum too big", append([]byte{0x2c, 1, 'a', 'b', 0x80, 0x20}, states...), 4},
		{"bitmap count", append(append([]byte{0x2c, 40}, make([]byte, 32)...), states...), 4},
		{"truncated varint", []byte{0x2c, 1, 'a', 'b', 0x80}, 4},
		{"no states", []byte{0x2c, 1, 'a', 'b', 1}, 4},
		{"state too small", append([]byte{0x2c, 1, 'a', 'b', 1}, make([]byte, 32)...), 4},
		{"huge n, no words", append([]byte{0x2c, 1, 'a', 'b', 1}, states...), 1 << 20},
	}
	for _, c := range ransCodecs {
		for _, tc := range cases {
			out, err := c.dec([]byte("keep"), tc.blk, tc.n)
			require.ErrorIs(t, err, ErrCorrupt, "%s/%s", c.name, tc.name)
			require.Equal(t, "keep", string(out), "dst is returned unchanged on error")
		}
	}
	// Order-1 closure: a row symbol without its own row.
	blk := []byte{0x2a, 0, 0 /* contexts {0} */, 0, 'a' /* row 0: {a: T} */}
	blk = append(blk, bytes.Repeat([]byte{0, 0, 0, 0x80, 0, 0, 0, 0}, 4)...)
	_, err := DecodeRANSO1(nil, blk, 8)
	require.ErrorIs(t, err, ErrCorrupt)
	require.Contains(t, err.Error(), "no context row")
}

// TestRANSStaticGolden pins the exact output, which must be the same on
// every GOARCH (run with GOARCH=386 too).
func TestRANSStaticGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	src := make([]byte, 50_000)
	for i := range src {
		src[i] = "aaaabbbccd    eeeeeeffghij\n"[rng.IntN(27)] + byte(i%3)
	}
	h := sha256.New()
	for _, c := range ransCodecs {
		h.Write(c.enc(nil, src))
		h.Write(c.enc(nil, src[:777]))
	}
	require.Equal(t, "6bc423760ce76504733a17a9359eaebd7940299b24fdb2dbc18567aa95530ed4", hex.EncodeToString(h.Sum(nil)))
}

func TestRANSStaticAllocs(t *testing.T) {
	src := textBuffer(t, 256<<10)
	for _, c := range ransCodecs {
		enc := c.enc(nil, src)
		dst := make([]byte, 0, 2*len(src))
		out := make([]byte, 0, len(src))
		c.enc(dst, src) // warm the pools
		allocs := testing.AllocsPerRun(20, func() {
			c.enc(dst[:0], src)
			var err error
			if out, err = c.dec(out[:0], enc, len(src)); err != nil {
				t.Fatal(err)
			}
		})
		// A GC may empty the pools; allow for that.
		require.LessOrEqual(t, allocs, 1.0, c.name)
	}
}

func TestRANSErrorsWrap(t *testing.T) {
	_, err := DecodeRANSO0(nil, []byte{0xff}, 3)
	require.True(t, errors.Is(err, ErrCorrupt))
}
