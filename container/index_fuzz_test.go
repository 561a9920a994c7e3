package container

import (
	"bytes"
	"io"
	"testing"
)

// FuzzIndex parses arbitrary frame index blocks: parseIndex must never
// panic nor allocate beyond the block, and an index it accepts must
// encode back to the same bytes.
func FuzzIndex(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		src := bytes.Repeat([]byte("index me "), n*600)
		z, err := Compress(nil, src, WithLevel(3), WithFrameSize(1<<MinFrameLog), WithIndex(true))
		if err != nil {
			f.Fatal(err)
		}
		plain, err := Compress(nil, src, WithLevel(3), WithFrameSize(1<<MinFrameLog))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(z[len(plain):])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := parseIndex(b)
		if err != nil {
			if !isFormatError(err) {
				t.Fatalf("error %v is not a sentinel", err)
			}
			return
		}
		var l frameLog
		l.reset(x.header)
		for i := range x.raw {
			l.add(x.packed[i], x.raw[i])
		}
		if got := l.appendIndex(nil, x.end); !bytes.Equal(got, b) {
			t.Fatalf("index re-encodes to % x, was % x", got, b)
		}
	})
}

// FuzzSeekable opens arbitrary files with a SeekableReader and reads them
// whole: no panic, only sentinel errors, and what it reads of a file a
// Reader accepts is what the Reader reads.
func FuzzSeekable(f *testing.F) {
	src := bytes.Repeat([]byte("seek and you shall find "), 400)
	for _, opts := range [][]WriterOption{
		{WithLevel(3), WithIndex(true)},
		{WithLevel(2), WithIndex(true)},
		{WithLevel(3), WithRestart(2), WithIndex(true)},
		{WithLevel(4)},
	} {
		z, err := Compress(nil, src, append(opts, WithFrameSize(1<<MinFrameLog))...)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(z)
	}
	f.Fuzz(func(t *testing.T, z []byte) {
		sr, err := NewSeekableReader(bytes.NewReader(z), int64(len(z)), WithMaxMemory(64<<20))
		if err != nil {
			if !isFormatError(err) {
				t.Fatalf("error %v is not a sentinel", err)
			}
			return
		}
		if sr.Size() > 16<<20 {
			return
		}
		got, err := io.ReadAll(io.NewSectionReader(sr, 0, sr.Size()))
		if err != nil {
			if !isFormatError(err) {
				t.Fatalf("error %v is not a sentinel", err)
			}
			return
		}
		if want, err := Decompress(nil, z); err == nil && !bytes.Equal(want, got) {
			t.Fatal("SeekableReader and Reader disagree")
		}
	})
}
