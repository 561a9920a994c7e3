package container

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// corruptionCounts tallies the cases of TestCorruption.
type corruptionCounts struct {
	flips, flipsHarmless, truncations, junk, splices int
}

func (c *corruptionCounts) add(o corruptionCounts) {
	c.flips += o.flips
	c.flipsHarmless += o.flipsHarmless
	c.truncations += o.truncations
	c.junk += o.junk
	c.splices += o.splices
}

// frameOffsets walks the frame records of a one-stream archive without an
// extension (docs/FORMAT.md, "Frames") and returns the offset of every
// record, the end marker's last.
func frameOffsets(tb testing.TB, z []byte) []int {
	tb.Helper()
	var offs []int
	for off := headerSize; ; {
		offs = append(offs, off)
		kind := z[off]
		rawLen, n := binary.Uvarint(z[off+1:])
		require.Positive(tb, n)
		p := off + 1 + n
		var coded uint64
		if kind == 0x01 {
			coded, n = binary.Uvarint(z[p:])
			require.Positive(tb, n)
			p += n
		}
		p += 4 + 2 // crc, check
		switch kind {
		case 0x00:
			require.Equal(tb, len(z), p, "end marker is not last")
			return offs
		case 0x01:
			off = p + int(coded)
		case 0x02:
			off = p + int(rawLen)
		default:
			tb.Fatalf("frame kind %#x at %d", kind, off)
		}
	}
}

// TestCorruption damages archives of every pair in every way a file can be
// damaged. A one-frame archive of 1200 bytes gets each of its bytes flipped
// and is truncated at every length (about 100 positions of each for cm;
// with -short 25, and 8 for cm). A
// three-frame archive is truncated at and next to every frame boundary and
// at about 100 other lengths, gets about 100 flips, junk appended, and
// frames spliced in from another archive of the same pair, swapped,
// repeated or dropped. Each case must fail with a sentinel error or give
// exactly the original data, never panic; a case that fails may have
// returned data before the error (frames are checked one by one, the whole
// stream at its end), but never reports wrong data as success.
func TestCorruption(t *testing.T) {
	const frame = 1 << MinFrameLog
	text := edgeCases()["text"]
	small := text[:1200]
	srcA := text[:2*frame+700]
	srcB := bytes.ToUpper(text[frame : 3*frame+700])
	var total corruptionCounts
	for _, p := range workingPairs() {
		t.Run(p.name, func(t *testing.T) {
			opts := append([]WriterOption{WithFrameSize(frame)}, p.opts...)
			compress := func(src []byte) []byte {
				z, err := Compress(nil, src, opts...)
				require.NoError(t, err)
				return z
			}
			r, err := NewReader(bytes.NewReader(compress(small)))
			require.NoError(t, err)
			decode := func(in []byte) ([]byte, error) {
				if err := r.Reset(bytes.NewReader(in)); err != nil {
					return nil, err
				}
				return io.ReadAll(r)
			}
			var c corruptionCounts
			// mustFail: in must be refused with a sentinel error.
			mustFail := func(in []byte, what string) {
				t.Helper()
				_, err := decode(in)
				require.Error(t, err, what)
				require.True(t, isFormatError(err), "%s: error %v is not a sentinel", what, err)
			}
			// flips flips one bit at every step-th byte of z, the archive
			// of src.
			flips := func(z, src []byte, step int) {
				bad := make([]byte, len(z))
				harmless := 0
				for i := 0; i < len(z); i += step {
					copy(bad, z)
					bad[i] ^= 1 << (i % 8)
					c.flips++
					got, err := decode(bad)
					if err == nil {
						// Some bits of a coder's final bytes do not
						// matter; the data must then be exactly right.
						require.True(t, bytes.Equal(src, got), "flip at %d of %d decoded wrong data without error", i, len(z))
						harmless++
						continue
					}
					require.True(t, isFormatError(err), "flip at %d: error %v is not a sentinel", i, err)
				}
				require.LessOrEqual(t, harmless, 4, "too many flips changed nothing")
				c.flipsHarmless += harmless
			}
			truncations := func(z []byte, cuts map[int]bool) {
				for n := range cuts {
					if n >= 0 && n < len(z) {
						c.truncations++
						mustFail(z[:n], fmt.Sprintf("truncated to %d of %d", n, len(z)))
					}
				}
			}
			every := func(n, step int) map[int]bool {
				cuts := map[int]bool{}
				for i := 0; i < n; i += step {
					cuts[i] = true
				}
				return cuts
			}

			// samples: how many positions the sampled kinds try; -short
			// (the -race and cross-architecture runs) tries fewer.
			cm := strings.HasPrefix(p.name, "cm")
			samples := 100
			switch {
			case testing.Short() && cm:
				samples = 8
			case testing.Short():
				samples = 25
			}
			zs := compress(small)
			step := 1
			if cm || testing.Short() {
				step = len(zs)/samples + 1
			}
			flips(zs, small, step)
			truncations(zs, every(len(zs), step))

			z, zB := compress(srcA), compress(srcB)
			flips(z, srcA, len(z)/samples+1)
			offs := frameOffsets(t, z)
			cuts := every(len(z), len(z)/samples+1)
			for _, o := range offs {
				cuts[o], cuts[o+1], cuts[o-1] = true, true, true
			}
			truncations(z, cuts)

			for _, junk := range []string{"\x00", "junk", "EZ", "EZ\xb7\x1a\x01", string(z[:headerSize])} {
				c.junk++
				mustFail(append(append([]byte{}, z...), junk...), fmt.Sprintf("junk %q", junk))
			}

			offsB := frameOffsets(t, zB)
			require.Len(t, offs, 4, "frames + end marker")
			require.Len(t, offsB, 4, "frames + end marker")
			frameA := func(i int) []byte { return z[offs[i]:offs[i+1]] }
			frameB := func(i int) []byte { return zB[offsB[i]:offsB[i+1]] }
			build := func(frames ...[]byte) []byte {
				out := append([]byte{}, z[:headerSize]...)
				for _, f := range frames {
					out = append(out, f...)
				}
				return append(out, z[offs[3]:]...) // A's end marker
			}
			for _, spliced := range [][]byte{
				build(frameB(0), frameA(1), frameA(2)), // B's frame in A's place
				build(frameA(0), frameB(1), frameA(2)),
				build(frameA(0), frameA(1), frameB(2)),
				build(frameA(1), frameA(0), frameA(2)), // swapped
				build(frameA(0), frameA(0), frameA(2)), // repeated
				build(frameA(0), frameA(2)),            // dropped
				build(frameA(0), frameA(1), frameA(2), frameA(2)),
				append(append([]byte{}, z[:offs[3]]...), zB[offsB[3]:]...), // B's end marker
			} {
				c.splices++
				mustFail(spliced, fmt.Sprintf("splice %d", c.splices))
			}
			t.Logf("%d flips (%d changed nothing), %d truncations, %d junk tails, %d splices: all caught",
				c.flips, c.flipsHarmless, c.truncations, c.junk, c.splices)
			total.add(c)
		})
	}
	t.Logf("all pairs: %d flips (%d changed nothing), %d truncations, %d junk tails, %d splices: all caught",
		total.flips, total.flipsHarmless, total.truncations, total.junk, total.splices)
}
