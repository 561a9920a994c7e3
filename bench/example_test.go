package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	"github.com/entzip/entzip/bench"
	"github.com/entzip/entzip/container"
)

// The entropy profile of a source whose probabilities are powers of two:
// a Huffman code reaches H0 exactly.
func ExampleEntropy() {
	data := bytes.Repeat([]byte("aaaabbcd"), 1000)
	p, err := bench.Entropy(data, 4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("H0 %.4f bits/byte, %d distinct, perplexity %.3f\n", p.H0, p.Distinct, p.Perplexity)
	for k := 1; k <= 4; k++ {
		fmt.Printf("H%d %.4f (%d contexts)\n", k, p.H[k], p.Contexts[k])
	}
	// Output:
	// H0 1.7500 bits/byte, 4 distinct, perplexity 3.364
	// H1 0.6557 (4 contexts)
	// H2 0.3444 (6 contexts)
	// H3 0.2501 (7 contexts)
	// H4 0.0000 (8 contexts)
}

// Measure two entzip pairs and a zstd baseline on data in memory; every
// result has been decompressed and compared with its input.
func ExampleRunInputs() {
	data := bytes.Repeat([]byte("to be or not to be, that is the question; "), 500)
	methods, _, err := bench.Methods(bench.Selection{
		Models:    []container.Model{container.OrderK},
		Orders:    []int{2},
		Coders:    []container.Coder{container.Arith},
		Baselines: []string{"zstd-go-default"},
	})
	if err != nil {
		log.Fatal(err)
	}
	methods = append(methods, bench.EntzipMethod(container.Params{Model: container.Order0, Coder: container.Huffman, Static: true}))
	rep, err := bench.RunInputs(context.Background(), []bench.Input{{Name: "hamlet", Data: data}},
		bench.Options{Methods: methods, MinTime: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range rep.Totals {
		fmt.Printf("%-16s below H0: %v, ideal known: %v\n", t.Method, t.BitsPerByte < rep.Bounds[0].BitsPerByte, t.Ideal != nil)
	}
	// Output:
	// orderk2-arith    below H0: true, ideal known: true
	// zstd-go-default  below H0: true, ideal known: false
	// order0-huffman   below H0: false, ideal known: true
}
