package container

import (
	"bytes"
	"testing"

	"github.com/entzip/entzip/model"
)

// FuzzReader decodes arbitrary bytes: it must never panic, and whatever it
// accepts must re-encode and decode to the same data. Seeds are archives
// of every pair.
func FuzzReader(f *testing.F) {
	for _, p := range workingPairs() {
		z, err := Compress(nil, []byte("the quick brown fox jumps over the lazy dog, the end"), p.opts...)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(z)
	}
	// A solid codewords stream of several frames, one kept code.
	text := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog, "), 200)
	z, err := Compress(nil, text, WithModel(OrderK), WithOrder(2), WithMemBits(model.MinOrderKMemBits), WithSolid(true), WithCodewords(true), WithFrameSize(1<<MinFrameLog))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(z)
	// A solid stream that restarts every 2 frames, with a frame index.
	z, err = Compress(nil, text, WithModel(OrderK), WithOrder(2), WithMemBits(model.MinOrderKMemBits), WithRestart(2), WithIndex(true), WithFrameSize(1<<MinFrameLog))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(z)
	f.Fuzz(func(t *testing.T, z []byte) {
		got, err := Decompress(nil, z, WithMaxMemory(64<<20))
		if err != nil {
			if !isFormatError(err) {
				t.Fatalf("error %v is not one of the documented sentinels", err)
			}
			return
		}
		z2, err := Compress(nil, got, WithLevel(1))
		if err != nil {
			t.Fatal(err)
		}
		got2, err := Decompress(nil, z2)
		if err != nil || !bytes.Equal(got, got2) {
			t.Fatalf("re-encoded data does not round-trip: %v", err)
		}
	})
}

// FuzzRoundTrip compresses fuzzer-chosen data with every pair and checks
// that it decodes to the same bytes.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("abracadabra"))
	f.Add([]byte{0, 0, 0, 255, 255, 1})
	pairs := workingPairs()
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, p := range pairs {
			z, err := Compress(nil, src, p.opts...)
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			got, err := Decompress(nil, z)
			if err != nil || !bytes.Equal(src, got) {
				t.Fatalf("%s: round trip failed: %v", p.name, err)
			}
		}
	})
}
