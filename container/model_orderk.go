package container

import (
	"fmt"

	"github.com/entzip/entzip/model"
)

// DefaultOrder is the order of -m orderk without --order.
const DefaultOrder = model.DefaultOrderK

// orderk is the order-k context model blended down to order 0
// (model.OrderK), and its semi-static relatives: Huffman codes per context
// up to order 2 and static rANS of order 1.
func init() {
	mustRegister(ModelSpec{
		ID:      OrderK,
		Name:    "orderk",
		Summary: "order-k contexts (k = 1..8) blended bitwise down to order 0, PPM-style",
		Order:   &ParamRange{Min: 1, Max: model.MaxOrderK, Default: model.DefaultOrderK},
		MemBits: &ParamRange{Min: model.MinOrderKMemBits, Max: model.MaxOrderKMemBits, Default: model.DefaultOrderKMemBits},
		Coders: []CoderMode{
			{Coder: Huffman, Static: true, NewCodec: newHuffmanCodec, Check: func(p Params) error {
				if p.Order > 2 {
					return fmt.Errorf("%w: huffman stores one code table per context, which is only practical up to order 2 (got --order %d); use -e arith or -e rans for higher orders", ErrUnsupported, p.Order)
				}
				return nil
			}},
			{Coder: RANS, Static: true, NewCodec: newRANSStaticCodec, Check: func(p Params) error {
				if p.Order != 1 {
					return fmt.Errorf("%w: static rANS tables exist for order 0 and order 1 only (got --order %d); use adaptive rans or -e arith", ErrUnsupported, p.Order)
				}
				return nil
			}},
			{Coder: RANS},
			{Coder: Arith},
		},
		Codewords: true,
		Memory:    func(p Params) int64 { return int64(1) << p.MemBits },
		NewBitModel: func(p Params) (model.BitModel, error) {
			return model.NewOrderKRev(p.Order, p.MemBits, orderKRevision(p.Version))
		},
	})
}

// orderKRevision returns the revision of orderk's estimators in a stream
// of format version v (0: Version; see docs/FORMAT.md "Model revisions").
func orderKRevision(v int) int {
	switch v {
	case 1:
		return model.OrderKRevNarrow
	case 2, 3:
		return model.OrderKRevWide
	}
	return model.OrderKRev
}
