package model_test

import (
	"fmt"
	"math"

	"github.com/entzip/entzip/model"
)

func ExampleNewOrderK() {
	m, err := model.NewOrderK(3, model.MinOrderKMemBits)
	if err != nil {
		panic(err)
	}
	text := []byte("how much wood would a woodchuck chuck if a woodchuck could chuck wood")
	var bits float64 // ideal code length: Σ -log2 P(bit)
	for _, c := range text {
		for i := 7; i >= 0; i-- {
			bit := int(c>>i) & 1
			p := float64(m.P1()) / (1 << model.ProbBits)
			if bit == 0 {
				p = 1 - p
			}
			bits -= math.Log2(p)
			m.Update(bit)
		}
	}
	fmt.Printf("%d bytes in about %.0f bytes\n", len(text), bits/8)
	// Output: 69 bytes in about 37 bytes
}
