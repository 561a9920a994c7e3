package container_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/entzip/entzip/container"
)

// A stream with a frame index, read at an offset: only the frame that
// holds the bytes is decoded.
func ExampleNewSeekableReader() {
	var text strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&text, "line %04d of the log\n", i)
	}
	z, err := container.Compress(nil, []byte(text.String()),
		container.WithLevel(4), container.WithFrameSize(4096), container.WithIndex(true))
	if err != nil {
		log.Fatal(err)
	}
	sr, err := container.NewSeekableReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		log.Fatal(err)
	}
	line := make([]byte, 20)
	if _, err := sr.ReadAt(line, 1234*21); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", line)
	fmt.Println(len(sr.Index().Frames), "frames,", sr.Size(), "bytes")
	// Output:
	// "line 1234 of the log"
	// 11 frames, 42000 bytes
}

// A solid cm stream that starts a new model every 2 frames: random access
// and parallel decoding enter it at every other frame.
func ExampleWithRestart() {
	src := bytes.Repeat([]byte("context mixing learns across frames; restarts bound how far back. "), 400)
	z, err := container.Compress(nil, src, container.WithLevel(1), container.WithModel(container.CM), container.WithCoder(container.Arith),
		container.WithFrameSize(4096), container.WithRestart(2), container.WithIndex(true))
	if err != nil {
		log.Fatal(err)
	}
	sr, err := container.NewSeekableReader(bytes.NewReader(z), int64(len(z)), container.WithDecoderConcurrency(2))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sr.Index().Streams[0].Params)
	// Decoding byte 20000, in frame 4, starts at frame 4, a restart.
	fmt.Println(sr.Index().RunStart(20000))
	// Output:
	// cm level 1 + arith (adaptive, solid, restart every 2 frames)
	// 16384
}
