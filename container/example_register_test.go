package container_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model"
)

// order2 is a toy bit model: the probability of each bit given the two
// bytes before it and the bits of this byte so far, in a table of 2^24
// 12-bit counters that move 1/16 of the way to each bit seen.
type order2 struct {
	p   []uint16
	ctx uint32 // the two previous bytes
	cur uint32 // 1, then the bits of this byte so far behind it
}

func newOrder2() *order2 {
	m := &order2{p: make([]uint16, 1<<24)}
	m.Reset()
	return m
}

func (m *order2) slot() *uint16 { return &m.p[(m.ctx<<8|m.cur)&(1<<24-1)] }

func (m *order2) P1() uint32 { return uint32(*m.slot())<<4 | 8 }

func (m *order2) Update(bit int) {
	p := m.slot()
	if bit == 1 {
		*p += (4095 - *p) >> 4
	} else {
		*p -= *p >> 4
	}
	m.cur = m.cur<<1 | uint32(bit)
	if m.cur >= 256 {
		m.ctx = (m.ctx<<8 | m.cur&255) & 0xFFFF
		m.cur = 1
	}
}

func (m *order2) Reset() {
	for i := range m.p {
		m.p[i] = 2048
	}
	m.ctx, m.cur = 0, 1
}

// A model of one's own, registered under an id of the user range, codes
// .ez streams like the built-in ones.
func ExampleRegisterModel() {
	const id = container.UserModelMin
	err := container.RegisterModel(container.ModelSpec{
		ID:          id,
		Name:        "order2",
		Summary:     "a toy order-2 bit model",
		Memory:      func(container.Params) int64 { return 2 << 24 },
		NewBitModel: func(container.Params) (model.BitModel, error) { return newOrder2(), nil },
	})
	if err != nil {
		log.Fatal(err)
	}
	text := bytes.Repeat([]byte("to code is to predict; to predict is to model. "), 200)
	z, err := container.Compress(nil, text, container.WithModel(id), container.WithCoder(container.RANS))
	if err != nil {
		log.Fatal(err)
	}
	out, err := container.Decompress(nil, z)
	if err != nil {
		log.Fatal(err)
	}
	p, err := container.Inspect(bytes.NewReader(z))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Params)
	fmt.Println(bytes.Equal(out, text), len(z) < len(text)/4)

	// Huffman cannot code bit predictions: refused, saying why.
	_, err = container.Compress(nil, text, container.WithModel(id), container.WithCoder(container.Huffman))
	fmt.Println(errors.Is(err, container.ErrUnsupported))

	// Output:
	// order2 + rans (adaptive)
	// true true
	// true
}
