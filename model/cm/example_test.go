package cm_test

import (
	"fmt"
	"math"

	"github.com/entzip/entzip/model/cm"
)

func Example() {
	m, err := cm.New(cm.MinLevel)
	if err != nil {
		panic(err)
	}
	text := []byte("how much wood would a woodchuck chuck if a woodchuck could chuck wood")
	var bits float64 // ideal code length: Σ -log2 P(bit)
	for _, c := range text {
		for i := 7; i >= 0; i-- {
			bit := int(c>>i) & 1
			p := float64(m.P1()) / (1 << 16)
			if bit == 0 {
				p = 1 - p
			}
			bits -= math.Log2(p)
			m.Update(bit)
		}
	}
	fmt.Printf("%d bytes in about %.0f bytes\n", len(text), bits/8)
	// Output: 69 bytes in about 31 bytes
}

func ExampleModel_ByteDist() {
	m, err := cm.New(cm.MinLevel)
	if err != nil {
		panic(err)
	}
	for _, c := range []byte("a woodchuck would chuck wood if a woodchuck could chuck w") {
		for i := 7; i >= 0; i-- {
			m.Update(int(c>>i) & 1)
		}
	}
	var p [256]float64
	m.ByteDist(&p) // the next byte's distribution; m is unchanged
	fmt.Printf("P('o') = %.2f, P('x') = %.0e\n", p['o'], p['x'])
	// Output: P('o') = 0.98, P('x') = 4e-05
}
