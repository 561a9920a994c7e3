package container_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/entzip/entzip/container"
)

func Example() {
	var buf bytes.Buffer
	w, err := container.NewWriter(&buf, container.WithModel(container.OrderK), container.WithOrder(3))
	if err != nil {
		log.Fatal(err)
	}
	text := strings.Repeat("a model predicts, a coder codes. ", 100)
	if _, err := io.WriteString(w, text); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	compressed := buf.Len()

	r, err := container.NewReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Params())
	fmt.Println(string(out) == text, compressed < len(text)/10)
	// Output:
	// orderk order 3 + arith (adaptive, codewords)
	// true true
}

func ExampleCompress() {
	src := []byte("hello, hello, hello, entropy")
	z, err := container.Compress(nil, src, container.WithLevel(1))
	if err != nil {
		log.Fatal(err)
	}
	out, err := container.Decompress(nil, z)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
	// Output: hello, hello, hello, entropy
}

func ExampleNewWriter_refusedPair() {
	_, err := container.NewWriter(io.Discard,
		container.WithModel(container.OrderK), container.WithOrder(5), container.WithCoder(container.Huffman))
	fmt.Println(err)
	// Output: entzip: unsupported: huffman stores one code table per context, which is only practical up to order 2 (got --order 5); use -e arith or -e rans for higher orders
}

func ExampleInspect() {
	z, err := container.Compress(nil, bytes.Repeat([]byte("abc"), 1000), container.WithLevel(2))
	if err != nil {
		log.Fatal(err)
	}
	info, err := container.Inspect(bytes.NewReader(z))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Params.Model, info.Params.Order, info.Params.Coder, info.Streams, info.Frames, info.RawSize)
	// Output: orderk 1 rans 1 1 3000
}
