package model

import (
	"hash/fnv"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSquash16(t *testing.T) {
	assert.Equal(t, uint32(32768), squash16(0))
	assert.Equal(t, uint32(65535), squash16(logitLimit))
	assert.Equal(t, uint32(1), squash16(-logitLimit))
	assert.Equal(t, uint32(65535), squash16(math.MaxInt32), "clamped")
	assert.Equal(t, uint32(1), squash16(math.MinInt32), "clamped")
	for x := int32(-logitLimit); x <= logitLimit; x++ {
		p := squash16(x)
		if x > -logitLimit && p < squash16(x-1) {
			t.Fatalf("squash16 decreases at %d", x)
		}
		if p+squash16(-x) != 65536 && p != 65535 && p != 1 {
			t.Fatalf("squash16(%d) + squash16(%d) = %d", x, -x, p+squash16(-x))
		}
		// Against the float formula: within one unit of rounding.
		want := 65536 / (1 + math.Exp(-float64(x)/256))
		if d := math.Abs(float64(p) - math.Min(math.Max(want, 1), 65535)); d > 0.5001 {
			t.Fatalf("squash16(%d) = %d, want %.3f", x, p, want)
		}
	}
}

func TestStretch12(t *testing.T) {
	assert.Equal(t, int32(stretchMax), stretch12(4095))
	assert.Equal(t, int32(-stretchMax), stretch12(0))
	for p := uint32(0); p < 4096; p++ {
		x := stretch12(p)
		if p > 0 && x < stretch12(p-1) {
			t.Fatalf("stretch12 decreases at %d", p)
		}
		assert.Equal(t, -x, stretch12(4095-p), "odd symmetry at %d", p)
		// Against the float formula for the middle of the bucket.
		q := (float64(p) + 0.5) / 4096
		if d := math.Abs(float64(x) - 256*math.Log(q/(1-q))); d > 1 {
			t.Fatalf("stretch12(%d) = %d, want %.2f", p, x, 256*math.Log(q/(1-q)))
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
