package logistic

import (
	"hash/fnv"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSquash(t *testing.T) {
	assert.Equal(t, uint32(32768), Squash(0))
	assert.Equal(t, uint32(65535), Squash(Limit))
	assert.Equal(t, uint32(1), Squash(-Limit))
	assert.Equal(t, uint32(65535), Squash(math.MaxInt32), "clamped")
	assert.Equal(t, uint32(1), Squash(math.MinInt32), "clamped")
	for x := int32(-Limit); x <= Limit; x++ {
		p := Squash(x)
		if x > -Limit && p < Squash(x-1) {
			t.Fatalf("Squash decreases at %d", x)
		}
		if p+Squash(-x) != 65536 && p != 65535 && p != 1 {
			t.Fatalf("Squash(%d) + Squash(%d) = %d", x, -x, p+Squash(-x))
		}
		// Against the float formula: within one unit of rounding.
		want := 65536 / (1 + math.Exp(-float64(x)/256))
		if d := math.Abs(float64(p) - math.Min(math.Max(want, 1), 65535)); d > 0.5001 {
			t.Fatalf("Squash(%d) = %d, want %.3f", x, p, want)
		}
	}
}

func TestStretch(t *testing.T) {
	assert.Equal(t, int32(StretchMax), Stretch(4095))
	assert.Equal(t, int32(-StretchMax), Stretch(0))
	for p := uint32(0); p < 4096; p++ {
		x := Stretch(p)
		if p > 0 && x < Stretch(p-1) {
			t.Fatalf("Stretch decreases at %d", p)
		}
		assert.Equal(t, -x, Stretch(4095-p), "odd symmetry at %d", p)
		// Against the float formula for the middle of the bucket.
		q := (float64(p) + 0.5) / 4096
		if d := math.Abs(float64(x) - 256*math.Log(q/(1-q))); d > 1 {
			t.Fatalf("Stretch(%d) = %d, want %.2f", p, x, 256*math.Log(q/(1-q)))
		}
	}
}

// TestLogisticTablesPinned pins both tables, so that GOARCH=386 (or any
// other) proves they are built identically everywhere.
func TestLogisticTablesPinned(t *testing.T) {
	h := fnv.New64a()
	for _, v := range squashTab {
		h.Write([]byte{byte(v), byte(v >> 8)})
	}
	for _, v := range stretchTab {
		h.Write([]byte{byte(v), byte(v >> 8)})
	}
	assert.Equal(t, uint64(0x2b13553d6643329b), h.Sum64())
}
