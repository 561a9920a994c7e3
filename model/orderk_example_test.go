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

func ExampleOrderK_SetCode() {
	text := []byte("abracadabra, abracadabra")
	m, err := model.NewOrderK(2, model.MinOrderKMemBits)
	if err != nil {
		panic(err)
	}
	// A complete prefix code: a = 0, b = 100, r = 101, c = 1100, d = 1101,
	// ',' = 1110, ' ' = 1111 (canonical: shorter first, then by byte).
	var lens [256]uint8
	lens['a'] = 1
	lens['b'], lens['r'] = 3, 3
	lens['c'], lens['d'], lens[','], lens[' '] = 4, 4, 4, 4
	if err := m.SetCode(&lens); err != nil {
		panic(err)
	}
	predictions := 0
	for _, c := range text {
		code, n := m.Codeword(c)
		for i := n - 1; i >= 0; i-- {
			m.Update(int(code>>i) & 1) // a coder would code this bit with m.P1()
			predictions++
		}
		if m.Symbol() != int(c) {
			panic("codeword not complete")
		}
	}
	fmt.Printf("%d bytes in %d binary predictions instead of %d\n", len(text), predictions, 8*len(text))
	// Output: 24 bytes in 58 binary predictions instead of 192
}
