package cm

// Indirect contexts: what followed the last occurrences of the current
// order-1 and order-2 contexts. After each byte c1 (c2, c3 before it):
//
//	t1[c2]   = t1[c2]<<8 | c1      the last two bytes that followed c2
//	t2[c3c2] = t2[c3c2]<<8 | c1    the same for the pair c3c2
//
// so t1[c1] and t2[c2c1] predict the next byte by what came after c1 (or
// c2c1) before; ctxInd1 and ctxInd2 (contexts.go) hash them with c1 and
// c2c1, a context that reaches back further than order 2 with the
// statistics of a short one (as in paq8's indirect model).
type indirect struct {
	t1 [256]uint16
	t2 [1 << 16]uint16
}

func (d *indirect) reset() { *d = indirect{} }

// byteUpdate records the last byte of c4 (the last four bytes, latest in
// the low byte) as the successor of the bytes before it.
func (d *indirect) byteUpdate(c4 uint32) {
	c1 := uint16(c4 & 0xff)
	p1, p2 := c4>>8&0xff, c4>>8&0xffff
	d.t1[p1] = d.t1[p1]<<8 | c1
	d.t2[p2] = d.t2[p2]<<8 | c1
}
