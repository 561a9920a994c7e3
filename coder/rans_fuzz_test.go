package coder

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// ransFuzzSeeds adds encoded blocks of a few inputs, with their lengths.
func ransFuzzSeeds(f *testing.F, enc func(dst, src []byte) []byte) {
	for _, src := range [][]byte{
		{}, {7}, []byte("aaaaaaaa"), []byte("abracadabra, abracadabra!"),
		bytes.Repeat([]byte("the quick brown fox "), 40),
	} {
		f.Add(enc(nil, src), uint16(len(src)), src)
	}
}

// fuzzStatic decodes arbitrary blocks (never a panic; errors wrap
// ErrCorrupt) and round-trips arbitrary data.
func fuzzStatic(t *testing.T, blk []byte, n uint16, src []byte,
	enc func(dst, src []byte) []byte,
	dec func(dst, src []byte, n int) ([]byte, error),
) {
	out, err := dec([]byte("p"), blk, int(n))
	if err != nil {
		if !bytesHasPrefix(out, "p") || len(out) != 1 {
			t.Fatalf("dst changed on error")
		}
		if !errorsIsCorrupt(err) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	} else if len(out) != 1+int(n) {
		t.Fatalf("decoded %d bytes, want %d", len(out)-1, n)
	}
	coded := enc(nil, src)
	got, err := dec(nil, coded, len(src))
	if err != nil || !bytes.Equal(got, src) {
		t.Fatalf("round trip failed: %v", err)
	}
}

func bytesHasPrefix(b []byte, p string) bool { return bytes.HasPrefix(b, []byte(p)) }

func errorsIsCorrupt(err error) bool { return errors.Is(err, ErrCorrupt) }

func FuzzDecodeRANSO0(f *testing.F) {
	ransFuzzSeeds(f, EncodeRANSO0)
	f.Fuzz(func(t *testing.T, blk []byte, n uint16, src []byte) {
		fuzzStatic(t, blk, n, src, EncodeRANSO0, DecodeRANSO0)
	})
}

func FuzzDecodeRANSO1(f *testing.F) {
	ransFuzzSeeds(f, EncodeRANSO1)
	f.Fuzz(func(t *testing.T, blk []byte, n uint16, src []byte) {
		fuzzStatic(t, blk, n, src, EncodeRANSO1, DecodeRANSO1)
	})
}

// FuzzRANSDecoder reads script as a sequence of steps (a tag byte, then a
// 16-bit probability or three 24-bit numbers), codes them, and checks the
// round trip; it also decodes script itself as a block under those steps.
func FuzzRANSDecoder(f *testing.F) {
	f.Add([]byte{0, 0x80, 0x00, 1, 0x01, 0, 0, 0x10, 0, 0, 0x20, 0, 0})
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{2, 0xff, 0xff, 1, 5, 0, 0, 3, 0, 0, 9, 0, 0}, 30))
	f.Fuzz(func(t *testing.T, script []byte) {
		var steps []ransStep
		for s := script; len(s) > 0; {
			tag := s[0]
			s = s[1:]
			if tag&1 == 0 {
				if len(s) < 2 {
					break
				}
				p1 := uint32(binary.LittleEndian.Uint16(s))
				s = s[2:]
				steps = append(steps, ransStep{bit: true, p1: max(p1, 1), b: int(tag>>1) & 1})
				continue
			}
			if len(s) < 9 {
				break
			}
			u := func(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 }
			total := max(u(s[6:]), 1)
			start := u(s) % total
			freq := 1 + u(s[3:])%(total-start)
			s = s[9:]
			steps = append(steps, ransStep{start: start, freq: freq, total: total})
		}
		enc := ransEncodeSteps(NewRANSEncoder(), steps)
		d := NewRANSDecoder(enc)
		for i, s := range steps {
			if s.bit {
				if d.DecodeBit(s.p1) != s.b {
					t.Fatalf("step %d: wrong bit", i)
				}
				continue
			}
			v := d.DecodeFreq(s.total)
			if v < s.start || v >= s.start+s.freq {
				t.Fatalf("step %d: target %d outside interval", i, v)
			}
			d.Consume(s.start, s.freq, s.total)
		}
		if err := d.Close(); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		// Arbitrary input: no panic, and any error wraps ErrCorrupt.
		d.Reset(script)
		for _, s := range steps {
			if s.bit {
				d.DecodeBit(s.p1)
			} else {
				d.DecodeFreq(s.total)
				d.Consume(s.start, s.freq, s.total)
			}
		}
		if err := d.Close(); err != nil && !errorsIsCorrupt(err) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	})
}
