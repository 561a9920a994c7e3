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

func (c ransStaticCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	if c.order == 0 {
		return coder.DecodeRANSO0(dst, src, n)
	}
	return coder.DecodeRANSO1(dst, src, n)
}
