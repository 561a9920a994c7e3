package container

import "github.com/entzip/entzip/coder"

// huffmanCodec codes each frame with semi-static Huffman tables of the given
// context order (0..2), built from the frame and stored in it.
type huffmanCodec struct{ order int }

func (huffmanCodec) reset()       {}
func (huffmanCodec) learn([]byte) {}

func (c huffmanCodec) encode(dst, src []byte) []byte {
	out, err := coder.EncodeHuffman(dst, src, c.order)
	if err != nil {
		// The order was validated with the stream parameters, and the coder
		// fails on nothing else.
		panic("container: " + err.Error())
	}
	return out
}

func (c huffmanCodec) decode(dst, src []byte, n int) ([]byte, error) {
	return coder.DecodeHuffman(dst, src, n, c.order)
}

// ransStaticCodec codes each frame with static rANS tables of order 0 or 1,
// built from the frame and stored in it: the fast path.
type ransStaticCodec struct{ order int }

func (ransStaticCodec) reset()       {}
func (ransStaticCodec) learn([]byte) {}

func (c ransStaticCodec) encode(dst, src []byte) []byte {
	if c.order == 0 {
		return coder.EncodeRANSO0(dst, src)
	}
	return coder.EncodeRANSO1(dst, src)
}

func (c ransStaticCodec) decode(dst, src []byte, n int) ([]byte, error) {
	if c.order == 0 {
		return coder.DecodeRANSO0(dst, src, n)
	}
	return coder.DecodeRANSO1(dst, src, n)
}
