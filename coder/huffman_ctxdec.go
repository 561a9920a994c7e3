package coder

import (
	"fmt"
	"slices"
)

// Table references of the order-1/2 decoder: an index into ctxDecoder.tabs,
// or one of these.
const (
	refUnseen   = -1 // kind not read yet
	refFallback = -2 // use the parent's table
)

// ctxDecoder decodes order-1 and order-2 bodies (see huffman_context.go).
// Its memory is bounded by the contexts that occur: at most one canonDec
// and 256 symbol bytes per context, and a 65536-entry reference table for
// order 2.
type ctxDecoder struct {
	ref2   []int32
	ref1   [256]int32
	tabs   []canonDec
	syms   []byte
	lens   [256]uint8
	cl     canonDec
	clSyms []byte
}

// readKind reads a context's kind and table and returns its reference.
func (d *ctxDecoder) readKind(r *bitReader, root bool) (int32, error) {
	r.refill()
	if r.read(1) == 0 {
		if root {
			return 0, fmt.Errorf("%w: Huffman root table falls back", ErrCorrupt)
		}
		return refFallback, nil
	}
	t := int32(len(d.tabs))
	d.tabs = append(d.tabs, canonDec{})
	if r.read(1) == 0 {
		d.tabs[t].single(byte(r.read(8)))
		return t, nil
	}
	if err := readDesc(r, &d.cl, d.clSyms, &d.lens); err != nil {
		return 0, err
	}
	var err error
	d.syms, err = d.tabs[t].build(d.lens[:], d.syms)
	return t, err
}

// decode decodes an order-1 or order-2 body into out.
func (d *ctxDecoder) decode(out, body []byte, order int) error {
	r := bitReader{buf: body}
	var err error
	d.clSyms, err = readCLCode(&r, &d.cl, d.clSyms[:0])
	if err != nil {
		return err
	}
	d.tabs = d.tabs[:0]
	d.syms = d.syms[:0]
	for i := range d.ref1 {
		d.ref1[i] = refUnseen
	}
	ref0 := int32(refUnseen)
	if order == 2 {
		d.ref2 = slices.Grow(d.ref2[:0], 1<<16)[:1<<16]
		for i := range d.ref2 {
			d.ref2[i] = refUnseen
		}
	}
	var p1, p2 byte
	for i := range out {
		if r.pos > len(body)+8 {
			return fmt.Errorf("%w: truncated Huffman block", ErrCorrupt)
		}
		t := int32(refFallback)
		if order == 2 {
			c := int(p2)<<8 | int(p1)
			if t = d.ref2[c&0xFFFF]; t == refUnseen {
				if t, err = d.readKind(&r, false); err != nil {
					return err
				}
				d.ref2[c&0xFFFF] = t
			}
		}
		if t == refFallback {
			if t = d.ref1[p1]; t == refUnseen {
				if t, err = d.readKind(&r, false); err != nil {
					return err
				}
				d.ref1[p1] = t
			}
			if t == refFallback {
				if t = ref0; t == refUnseen {
					if t, err = d.readKind(&r, true); err != nil {
						return err
					}
					ref0 = t
				}
			}
		}
		r.refill()
		b := d.tabs[t].decode(&r, d.syms)
		out[i] = b
		p2, p1 = p1, b
	}
	if !r.finish() {
		return fmt.Errorf("%w: Huffman %v", ErrCorrupt, errTrailing)
	}
	return nil
}
