package container

import "github.com/entzip/entzip/coder"

// huffmanCodec codes each frame with semi-static Huffman tables of the given
// context order (0..2), built from the frame and stored in it.
type huffmanCodec struct{ order int }

// newHuffmanCodec is the NewCodec of static Huffman modes: order 0 for
// models without an order.
func newHuffmanCodec(p Params, _ *Resources) (FrameCodec, error) {
	return huffmanCodec{order: p.Order}, nil
}

func (huffmanCodec) Reset()       {}
func (huffmanCodec) Learn([]byte) {}

func (c huffmanCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	return coder.EncodeHuffman(dst, f.Raw, c.order)
}

// EncodeCost is Encode that counts the block's tables as Model and the
// frame's empirical entropy under the code's contexts as Data.
func (c huffmanCodec) EncodeCost(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	dst, tableBits, err := coder.EncodeHuffmanTables(dst, f.Raw, c.order)
	cost.Model += float64(tableBits)
	cost.Data += contextEntropy(f.Raw, c.order, 0)
	return dst, err
}

func (c huffmanCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	return coder.DecodeHuffman(dst, src, n, c.order)
}

// ransStaticCodec codes each frame with static rANS tables of order 0 or 1,
// built from the frame and stored in it: the fast path.
type ransStaticCodec struct{ order int }

// newRANSStaticCodec is the NewCodec of static rANS modes.
func newRANSStaticCodec(p Params, _ *Resources) (FrameCodec, error) {
	return ransStaticCodec{order: p.Order}, nil
}

func (ransStaticCodec) Reset()       {}
func (ransStaticCodec) Learn([]byte) {}

func (c ransStaticCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	if c.order == 0 {
		return coder.EncodeRANSO0(dst, f.Raw), nil
	}
	return coder.EncodeRANSO1(dst, f.Raw), nil
}

// EncodeCost is Encode that counts the block's tables as Model and the
// frame's empirical entropy under the code's contexts as Data (order 1
// restarts its context in each of the coder's four segments).
func (c ransStaticCodec) EncodeCost(dst []byte, f Frame, cost *Cost) ([]byte, error) {
	var tableBits int
	if c.order == 0 {
		dst, tableBits = coder.EncodeRANSO0Tables(dst, f.Raw)
	} else {
		dst, tableBits = coder.EncodeRANSO1Tables(dst, f.Raw)
	}
	cost.Model += float64(tableBits)
	cost.Data += contextEntropy(f.Raw, c.order, ransO1Segments)
	return dst, nil
}

// ransO1Segments is the number of segments static order-1 rANS codes
// apart, each starting from context 0 (coder.EncodeRANSO1).
const ransO1Segments = 4

func (c ransStaticCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	if c.order == 0 {
		return coder.DecodeRANSO0(dst, src, n)
	}
	return coder.DecodeRANSO1(dst, src, n)
}
