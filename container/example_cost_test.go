package container_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/entzip/entzip/container"
)

// What a stream costs as a two-part code: the data under the model, the
// tables, and what the coder and the framing add.
func ExampleWithCost() {
	text := []byte(strings.Repeat("the model predicts and the coder codes; ", 200))
	for _, opt := range []container.WriterOption{container.WithLevel(2), container.WithLevel(3)} {
		var c container.Cost
		z, err := container.Compress(nil, text, opt, container.WithCost(&c))
		if err != nil {
			log.Fatal(err)
		}
		p, _ := container.Resolve(opt)
		coded := 8 * float64(len(z))
		fmt.Printf("%s: %.0f bits = data %.0f + tables %.0f + coder and framing %.0f\n",
			p, coded, c.Data, c.Model, coded-c.Data-c.Model)
	}
	// Output:
	// orderk order 1 + rans (static): 10320 bits = data 9098 + tables 688 + coder and framing 534
	// orderk order 2 + arith (adaptive, codewords): 2528 bits = data 2057 + tables 176 + coder and framing 295
}
