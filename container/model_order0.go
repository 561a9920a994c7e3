package container

import "github.com/entzip/entzip/model"

// order0 codes bytes with their order-0 frequencies: semi-static tables
// per frame (Huffman, rANS) or adaptive counts (model.Order0).
func init() {
	mustRegister(ModelSpec{
		ID:      Order0,
		Name:    "order0",
		Summary: "order-0 byte frequencies, semi-static per frame or adaptive",
		Coders: []CoderMode{
			{Coder: Huffman, Static: true, NewCodec: newHuffmanCodec},
			{Coder: RANS, Static: true, NewCodec: newRANSStaticCodec},
			{Coder: RANS},
			{Coder: Arith},
		},
		NewSymbolModel: func(Params) (model.SymbolModel, error) { return model.NewOrder0(), nil },
	})
}
