package cm

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// distConfigs are the two mixing networks, with the table sizes of level 1.
var distConfigs = []struct {
	name  string
	level int
}{{"fast", 1}, {"full", fullLevel}}

// TestByteDistLeavesModel: calling ByteDist before every byte leaves the
// P1 sequence as it is pinned, and gives a distribution.
func TestByteDistLeavesModel(t *testing.T) {
	data := testInput(40000)
	if testing.Short() {
		data = data[:4000]
	}
	for _, c := range distConfigs {
		t.Run(c.name, func(t *testing.T) {
			want := p1Hash(newModel(1, levelConfig(c.level, Rev)), data, nil)
			m := newModel(1, levelConfig(c.level, Rev))
			var p [256]float64
			worst, least := 0.0, 1.0
			got := p1Hash(m, data, func() {
				m.ByteDist(&p)
				sum := 0.0
				for _, q := range p {
					sum += q
					least = min(least, q)
				}
				worst = max(worst, math.Abs(sum-1))
			})
			assert.Equal(t, want, got)
			assert.Less(t, worst, 1e-12, "Σ p − 1")
			assert.Greater(t, least, 0.0)
		})
	}
}

// TestByteDistGap: over text, the cross-entropy of ByteDist is the model's
// own code length to within 0.2 % (measured: 0.02–0.04 %).
func TestByteDistGap(t *testing.T) {
	data, err := os.ReadFile("../../testdata/alice-ch1-2.txt")
	require.NoError(t, err)
	if testing.Short() {
		data = data[:6000]
	}
	for _, c := range distConfigs {
		t.Run(c.name, func(t *testing.T) {
			xent, code := distGap(newModel(1, levelConfig(c.level, Rev)), data)
			n := float64(len(data))
			t.Logf("ByteDist %.5f bits/byte, coding %.5f bits/byte: %+.3f %%", xent/n, code/n, 100*(xent-code)/code)
			assert.InEpsilon(t, code, xent, 0.002)
		})
	}
}

// distGap runs m over data and returns the cross-entropy of ByteDist's
// predictions and the model's ideal code length, in bits.
func distGap(m *Model, data []byte) (xent, code float64) {
	var p [256]float64
	for _, c := range data {
		m.ByteDist(&p)
		xent -= math.Log2(p[c])
		code += codeByte(m, c)
	}
	return xent, code
}
