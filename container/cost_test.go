package container

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// costInputs are the testdata files: English text, and coded streams
// (the goldens) whose frames mostly do not compress.
func costInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	text, err := os.ReadFile("../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	in["alice-ch1-2.txt"] = text
	goldens, err := filepath.Glob("../testdata/golden/*.ez")
	require.NoError(t, err)
	var cat []byte
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		require.NoError(t, err)
		cat = append(cat, b...)
	}
	in["goldens"] = cat
	return in
}

// costPairs returns a Params for every adaptive mode of every registered
// model of bytes, solid and not, with and without codewords where the
// model codes them: a few orders of each order range and levels of each
// level range (the smallest, for memory).
func costPairs() []Params {
	var ps []Params
	for _, s := range Models() {
		if s.NewBitModel == nil && s.NewSymbolModel == nil {
			continue
		}
		orders, levels := []int{0}, []int{0}
		if r := s.Order; r != nil {
			orders = []int{r.Min, r.Default, r.Max}
		}
		if r := s.Level; r != nil {
			levels = []int{r.Min}
		}
		for _, m := range s.Coders {
			if m.Static {
				continue
			}
			for _, k := range orders {
				for _, l := range levels {
					for _, solid := range []bool{false, true} {
						for _, code := range []bool{false, true} {
							if solid && s.NoSolid != "" || code && !s.Codewords {
								continue
							}
							ps = append(ps, Params{Model: s.ID, Coder: m.Coder, Order: k, Level: l, Solid: solid, Codewords: code})
						}
					}
				}
			}
		}
	}
	return ps
}

// TestCostBounds checks what WithCost reports against the streams: the
// ideal code length never exceeds what was coded (an adaptive coder
// cannot beat the probabilities it is given, a semi-static code the
// empirical entropy), and for adaptive pairs the stream is within 1 % of
// the ideal plus the model description plus a fixed cost per frame.
func TestCostBounds(t *testing.T) {
	// Per frame: its header (at most maxFrameHeader bytes) and the
	// coder's final bytes (≤ 8).
	const perFrame = 8 * (maxFrameHeader + 8)
	const perStream = 8 * 64 // stream header and end marker
	for name, src := range costInputs(t) {
		for _, p := range costPairs() {
			p.FrameSize = 4 << 10
			t.Run(fmt.Sprintf("%s/%s", name, p), func(t *testing.T) {
				var c Cost
				out, err := Compress(nil, src, WithParams(p), WithCost(&c))
				require.NoError(t, err)
				plain, err := Compress(nil, src, WithParams(p))
				require.NoError(t, err)
				require.Equal(t, plain, out, "WithCost changed the stream")
				coded := 8 * float64(len(out))
				ideal := c.Data + c.Stored
				assert.Equal(t, (len(src)+p.FrameSize-1)/p.FrameSize, c.Frames)
				assert.Zero(t, c.Unmeasured)
				assert.LessOrEqual(t, ideal+c.Model, coded, "%+v", c)
				assert.LessOrEqual(t, coded, (ideal+c.Model)*1.01+float64(perFrame*c.Frames+perStream), "%+v", c)
			})
		}
	}
}

// TestCostStatic checks the semi-static pairs: the code proper (the
// stream less its tables) never spends less than the empirical entropy.
func TestCostStatic(t *testing.T) {
	for name, src := range costInputs(t) {
		for _, s := range Models() {
			for _, m := range s.Coders {
				if !m.Static {
					continue
				}
				for k := 0; k <= 2; k++ {
					p := Params{Model: s.ID, Coder: m.Coder, Static: true, Order: k, FrameSize: 4 << 10}
					if p.Validate() != nil {
						continue
					}
					var c Cost
					out, err := Compress(nil, src, WithParams(p), WithCost(&c))
					require.NoError(t, err)
					assert.LessOrEqual(t, c.Data+c.Stored+c.Model, 8*float64(len(out)), "%s %s: %+v", name, p, c)
					if c.Stored == 0 {
						assert.Positive(t, c.Model, "%s %s", name, p)
					}
				}
			}
		}
	}
}
