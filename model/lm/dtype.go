package lm

import (
	"encoding/binary"
	"fmt"
	"math"
)

// elem is how this package reads the elements of an array: a float
// role (logits, temperature) or an integer role (ids, offsets, bytes).
type elem uint8

const (
	elemF32  elem = iota // '<f4'
	elemF16              // '<f2', IEEE half precision
	elemBF16             // '<u2' or '<V2' in a float role: bfloat16 bits
	elemF64              // '<f8'
	elemI8               // '|i1'
	elemI16              // '<i2'
	elemI32              // '<i4'
	elemI64              // '<i8'
	elemU8               // '|u1'
	elemU16              // '<u2' in an integer role
	elemU32              // '<u4'
	elemU64              // '<u8'
)

// floatElem returns how to read h's elements as floats. A 2-byte unsigned
// integer or void dtype ('<u2', '|V2') holds bfloat16 bits: numpy has no
// bfloat16 type, so a bfloat16 tensor is saved as its bit pattern with
// t.view(torch.int16).numpy().view(np.uint16) or x.view(np.uint16).
func floatElem(h *npyHeader, name string) (elem, error) {
	switch {
	case h.kind == 'f' && h.size == 4:
		return elemF32, nil
	case h.kind == 'f' && h.size == 2:
		return elemF16, nil
	case h.kind == 'f' && h.size == 8:
		return elemF64, nil
	case (h.kind == 'u' || h.kind == 'V') && h.size == 2:
		return elemBF16, nil
	}
	return 0, fmt.Errorf("%w: %s has dtype %q; want float32 '<f4', float16 '<f2', bfloat16 bits '<u2' or float64 '<f8'", ErrDtype, name, h.descr)
}

// intElem returns how to read h's elements as integers.
func intElem(h *npyHeader, name string) (elem, error) {
	switch {
	case h.kind == 'i' && h.size == 1:
		return elemI8, nil
	case h.kind == 'i' && h.size == 2:
		return elemI16, nil
	case h.kind == 'i' && h.size == 4:
		return elemI32, nil
	case h.kind == 'i' && h.size == 8:
		return elemI64, nil
	case h.kind == 'u' && h.size == 1:
		return elemU8, nil
	case h.kind == 'u' && h.size == 2:
		return elemU16, nil
	case h.kind == 'u' && h.size == 4:
		return elemU32, nil
	case h.kind == 'u' && h.size == 8:
		return elemU64, nil
	}
	return 0, fmt.Errorf("%w: %s has dtype %q; want an integer dtype", ErrDtype, name, h.descr)
}

// decodeFloats converts len(dst) elements of type e from src. Every
// conversion is exact (float16 and bfloat16 widen to float32 exactly,
// float32 to float64 exactly).
func decodeFloats(dst []float64, src []byte, e elem) {
	switch e {
	case elemF32:
		src = src[:4*len(dst)]
		for i := range dst {
			dst[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:])))
		}
	case elemF16:
		src = src[:2*len(dst)]
		for i := range dst {
			dst[i] = float64(halfToFloat32(binary.LittleEndian.Uint16(src[2*i:])))
		}
	case elemBF16:
		src = src[:2*len(dst)]
		for i := range dst {
			dst[i] = float64(math.Float32frombits(uint32(binary.LittleEndian.Uint16(src[2*i:])) << 16))
		}
	case elemF64:
		src = src[:8*len(dst)]
		for i := range dst {
			dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:]))
		}
	}
}

// decodeInts converts len(dst) elements of type e from src. Unsigned
// 64-bit values above MaxInt64 become -1 (out of range for every use).
func decodeInts(dst []int64, src []byte, e elem) {
	le := binary.LittleEndian
	for i := range dst {
		var v int64
		switch e {
		case elemI8:
			v = int64(int8(src[i]))
		case elemI16:
			v = int64(int16(le.Uint16(src[2*i:])))
		case elemI32:
			v = int64(int32(le.Uint32(src[4*i:])))
		case elemI64:
			v = int64(le.Uint64(src[8*i:]))
		case elemU8:
			v = int64(src[i])
		case elemU16:
			v = int64(le.Uint16(src[2*i:]))
		case elemU32:
			v = int64(le.Uint32(src[4*i:]))
		case elemU64:
			u := le.Uint64(src[8*i:])
			v = int64(u)
			if u > math.MaxInt64 {
				v = -1
			}
		}
		dst[i] = v
	}
}

// halfToFloat32 converts IEEE 754 binary16 bits to float32, exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1F
	man := uint32(h) & 0x3FF
	switch {
	case exp == 0x1F: // Inf, NaN
		return math.Float32frombits(sign | 0xFF<<23 | man<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
	case man == 0: // ±0
		return math.Float32frombits(sign)
	}
	// Subnormal: normalize the mantissa.
	e := uint32(127 - 15 + 1)
	for man&0x400 == 0 {
		man <<= 1
		e--
	}
	return math.Float32frombits(sign | e<<23 | (man&0x3FF)<<13)
}

// float32ToHalf converts f to binary16 bits, rounding to nearest even
// (used by tests and fixture writers).
func float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xFF
	man := b & 0x7FFFFF
	if exp == 0xFF {
		if man != 0 {
			return sign | 0x7E00
		}
		return sign | 0x7C00
	}
	e := exp - 127 + 15
	if e >= 0x1F {
		return sign | 0x7C00
	}
	if e <= 0 {
		if e < -10 {
			return sign
		}
		man |= 0x800000
		shift := uint32(14 - e)
		half := uint32(1) << (shift - 1)
		r := man >> shift
		rem := man & (1<<shift - 1)
		if rem > half || rem == half && r&1 == 1 {
			r++
		}
		return sign | uint16(r)
	}
	r := uint32(e)<<10 | man>>13
	rem := man & 0x1FFF
	if rem > 0x1000 || rem == 0x1000 && r&1 == 1 {
		r++ // may carry into the exponent, which is correct
	}
	return sign | uint16(r)
}
