package coder

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
)

// Static order-1 rANS block.
//
// Same header and kinds as the order-0 block (see rans_static.go), but a
// kind 2 body holds one table per context, the previous byte:
//
//	body = contexts row_(c_1) … row_(c_m) x_0 x_1 x_2 x_3:u64le words:u32le*
//
// with 1 ≤ scale ≤ 11. contexts is a symbol set (rans_table.go) of the m
// contexts c_1 < … < c_m; row_c is a table (set + freqs) with T = 1<<scale
// for the bytes that follow c; a row may hold one symbol with f = T.
// Context 0 must be present, and every symbol of every row must itself be a
// context, so decoding can never reach a missing row.
//
// The block is cut into four segments: with m = ⌊n/4⌋, segment j < 3 is
// bytes [j·m, (j+1)·m) and segment 3 is [3m, n). State x_j decodes segment
// j, and the context of a segment's first byte is 0. Steps and
// renormalizations are those of the order-0 block, with slot taken from
// row_ctx; the order is: for r = 0 … ⌊m/2⌋-1, a step of every x_j giving
// byte 2r of its segment, a step of every x_j giving byte 2r+1, then the
// renormalization of x_0 … x_3; if m is odd, for j = 0 … 3 a step of x_j
// giving byte m-1 of segment j followed by its renormalization; finally,
// for each remaining byte of segment 3 in order, a step of x_3 and its
// renormalization. Final states must equal L and every word must be read.
const (
	ransO1MaxScale = 11
	ransO1MinScale = 8
)

// ransO1Enc is the reusable scratch of EncodeRANSO1.
type ransO1Enc struct {
	cnt  [256][256]uint32
	norm [256][256]uint32
	tab  [256][256]ransEncSym
	rows [256]uint32 // count of each context
	syms [256][256]byte
	k    [256]int
	used [256]bool // symbols that occur as coded bytes
	ctxs [256]byte
}

// ransO1Dec is the reusable scratch of DecodeRANSO1.
type ransO1Dec struct {
	ctxs [256]byte
	syms [256]byte
	freq [256]uint32
	has  [256]bool
	// tab[ctx<<scale | slot] = f<<20 | (slot-start)<<8 | symbol
	tab [256 << ransO1MaxScale]uint32
}

var (
	ransO1EncPool = sync.Pool{New: func() any { return new(ransO1Enc) }}
	ransO1DecPool = sync.Pool{New: func() any { return new(ransO1Dec) }}
)

// EncodeRANSO1 appends to dst a self-describing block coding src with a
// static order-1 rANS code: one frequency table per previous byte (the
// previous byte at the start of each of the four interleaved segments is
// 0), then four interleaved rANS states. It falls back to a stored or
// single-symbol block like EncodeRANSO0. EncodeRANSO1 is safe for
// concurrent use and allocates only when dst must grow.
func EncodeRANSO1(dst, src []byte) []byte {
	dst, _ = EncodeRANSO1Tables(dst, src)
	return dst
}

// EncodeRANSO1Tables is EncodeRANSO1 that also returns how many bits of the block
// describe its code rather than code the bytes: the header byte and the
// frequency tables (for a single-symbol block its symbol too), the model's
// part of a two-part code.
func EncodeRANSO1Tables(dst, src []byte) (block []byte, tableBits int) {
	n := len(src)
	if n == 0 || n > ransMaxStatic {
		return ransStored(dst, src), 8
	}
	e := ransO1EncPool.Get().(*ransO1Enc)
	defer ransO1EncPool.Put(e)

	seg := n / ransStates
	e.cnt = [256][256]uint32{}
	e.used = [256]bool{}
	for j := range ransStates {
		s := src[j*seg:]
		if j < ransStates-1 {
			s = s[:seg]
		}
		ctx := byte(0)
		for _, c := range s {
			e.cnt[ctx][c]++
			ctx = c
		}
	}
	m := 0
	first := src[0]
	single := true
	for c := range 256 {
		k := 0
		rows := uint32(0)
		for s, v := range e.cnt[c] {
			if v != 0 {
				e.syms[c][k] = byte(s)
				k++
				rows += v
				e.used[s] = true
				single = single && byte(s) == first
			}
		}
		e.k[c], e.rows[c] = k, rows
	}
	if single {
		return append(dst, ransKindSingle<<4, first), 16
	}
	for c := range 256 {
		if e.k[c] == 0 && e.used[c] {
			// A byte that is only ever last in its segment: give it a
			// dummy row so the set of contexts stays closed.
			e.syms[c][0], e.k[c], e.rows[c] = byte(c), 1, 0
		}
		if e.k[c] != 0 {
			e.ctxs[m] = byte(c)
			m++
		}
	}
	ctxs := e.ctxs[:m]
	scale := e.chooseScale(ctxs)

	start := len(dst)
	dst = slices.Grow(dst, 1+33+m*(1+32+2*256)+n+ransEncSlack)
	dst = append(dst, byte(ransKindRANS<<4|scale))
	dst = e.appendTables(dst, ctxs, scale)
	base := len(dst)
	room := dst[base : base+n+ransEncSlack]
	p := ransO1EncodeStream(room, src, &e.tab, scale)
	if p < 0 || base-start+len(room)-p > n {
		return ransStored(dst[:start], src), 8
	}
	return append(dst, room[p:]...), 8 * (base - start)
}

// normalizeRow normalizes the row of context c to total 1<<scale.
func (e *ransO1Enc) normalizeRow(c byte, scale uint) {
	syms := e.syms[c][:e.k[c]]
	if e.rows[c] == 0 { // dummy row
		e.norm[c][syms[0]] = 1 << scale
		return
	}
	ransNormalize(&e.norm[c], &e.cnt[c], syms, uint64(e.rows[c]), scale)
}

// chooseScale returns the scale in [ransO1MinScale, ransO1MaxScale] that
// minimizes the estimated block size: table bytes plus the cost of every
// byte under the normalized frequencies.
func (e *ransO1Enc) chooseScale(ctxs []byte) uint {
	lg := ransLog2()
	best, bestCost := uint(ransO1MaxScale), ^uint64(0)
	for scale := uint(ransO1MinScale); scale <= ransO1MaxScale; scale++ {
		cost := uint64(0) // in bits << ransLogBits
		for _, c := range ctxs {
			e.normalizeRow(c, scale)
			syms := e.syms[c][:e.k[c]]
			tbytes := 1 + min(len(syms), ransSymSetBitmap)
			for i, s := range syms {
				f := e.norm[c][s]
				cost += uint64(e.cnt[c][s]) * (uint64(scale)<<ransLogBits - lg[f])
				if i < len(syms)-1 {
					tbytes++
					if f >= 128 {
						tbytes++
					}
				}
			}
			cost += uint64(tbytes) << (ransLogBits + 3)
		}
		if cost < bestCost {
			best, bestCost = scale, cost
		}
	}
	return best
}

// appendTables normalizes every row at scale, fills the encoder table and
// appends the context set and the rows.
func (e *ransO1Enc) appendTables(dst []byte, ctxs []byte, scale uint) []byte {
	dst = appendRANSSymSet(dst, ctxs)
	for _, c := range ctxs {
		e.normalizeRow(c, scale)
		syms := e.syms[c][:e.k[c]]
		cum := uint32(0)
		for _, s := range syms {
			e.tab[c][s].set(cum, e.norm[c][s], scale)
			cum += e.norm[c][s]
		}
		dst = appendRANSTable(dst, &e.norm[c], syms)
	}
	return dst
}

// ransO1EncodeStream codes src (nonempty) backwards into the end of buf,
// which must hold len(src)+ransEncSlack bytes, like ransO0EncodeStream, in
// the order documented at the top of this file.
func ransO1EncodeStream(buf, src []byte, tab *[256][256]ransEncSym, scale uint) int {
	n := len(src)
	m := n / ransStates
	one, two := 63-scale, 63-2*scale
	p := len(buf)
	x := [ransStates]uint64{ransL, ransL, ransL, ransL}
	// ctxAt returns the context of byte i of segment j.
	ctxAt := func(j, i int) byte {
		if i == 0 {
			return 0
		}
		return src[j*m+i-1]
	}
	for i := n - 3*m - 1; i >= m; i-- { // extra bytes of segment 3
		e := &tab[ctxAt(3, i)][src[3*m+i]]
		x[3], p = ransPutWord(buf, p, x[3], uint64(e.f), one)
		x[3] = e.put(x[3])
	}
	if m&1 != 0 {
		for j := ransStates - 1; j >= 0; j-- {
			e := &tab[ctxAt(j, m-1)][src[j*m+m-1]]
			x[j], p = ransPutWord(buf, p, x[j], uint64(e.f), one)
			x[j] = e.put(x[j])
		}
	}
	s0, s1, s2, s3 := src[:m], src[m:2*m], src[2*m:3*m], src[3*m:]
	s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	for i := m&^1 - 2; i >= 0; i -= 2 {
		if p < ransGroupRoom {
			return -1
		}
		var c0, c1, c2, c3 byte
		if i > 0 {
			c0, c1, c2, c3 = s0[i-1], s1[i-1], s2[i-1], s3[i-1]
		}
		a, b := &tab[c3][s3[i]], &tab[s3[i]][s3[i+1]]
		x3, p = ransPutWord(buf, p, x3, uint64(a.f)*uint64(b.f), two)
		x3 = a.put(b.put(x3))
		a, b = &tab[c2][s2[i]], &tab[s2[i]][s2[i+1]]
		x2, p = ransPutWord(buf, p, x2, uint64(a.f)*uint64(b.f), two)
		x2 = a.put(b.put(x2))
		a, b = &tab[c1][s1[i]], &tab[s1[i]][s1[i+1]]
		x1, p = ransPutWord(buf, p, x1, uint64(a.f)*uint64(b.f), two)
		x1 = a.put(b.put(x1))
		a, b = &tab[c0][s0[i]], &tab[s0[i]][s0[i+1]]
		x0, p = ransPutWord(buf, p, x0, uint64(a.f)*uint64(b.f), two)
		x0 = a.put(b.put(x0))
	}
	return ransPutStates(buf, p, x0, x1, x2, x3)
}

// DecodeRANSO1 appends to dst the n bytes coded in the EncodeRANSO1 block
// src, with the same guarantees as DecodeRANSO0.
func DecodeRANSO1(dst, src []byte, n int) ([]byte, error) {
	body, kind, scale, err := ransHeader(src, n)
	if err != nil {
		return dst, err
	}
	switch kind {
	case ransKindStored:
		return append(dst, body...), nil
	case ransKindSingle:
		return ransAppendRun(dst, body[0], n), nil
	}
	if scale > ransO1MaxScale {
		return dst, fmt.Errorf("%w: rans: order-1 scale %d above %d", ErrCorrupt, scale, ransO1MaxScale)
	}
	d := ransO1DecPool.Get().(*ransO1Dec)
	defer ransO1DecPool.Put(d)
	m, p, err := readRANSSymSet(body, 0, &d.ctxs)
	if err != nil {
		return dst, err
	}
	d.has = [256]bool{}
	for _, c := range d.ctxs[:m] {
		d.has[c] = true
	}
	if !d.has[0] {
		return dst, fmt.Errorf("%w: rans: order-1 block without context 0", ErrCorrupt)
	}
	for _, c := range d.ctxs[:m] {
		var k int
		k, p, err = readRANSTable(body, p, scale, &d.syms, &d.freq)
		if err != nil {
			return dst, err
		}
		row := d.tab[int(c)<<scale : (int(c)+1)<<scale]
		cum := uint32(0)
		for j, s := range d.syms[:k] {
			if !d.has[s] {
				return dst, fmt.Errorf("%w: rans: symbol %d has no context row", ErrCorrupt, s)
			}
			f := d.freq[j]
			t := row[cum : cum+f]
			for b := range t {
				t[b] = f<<20 | uint32(b)<<8 | uint32(s)
			}
			cum += f
		}
	}
	out, start := ransGrow(dst, n)
	if err := ransO1DecodeStream(out[start:], body[p:], &d.tab, scale); err != nil {
		return dst, err
	}
	return out, nil
}

// ransO1DecodeStream decodes len(out) bytes from src (states then words).
func ransO1DecodeStream(out, src []byte, tab *[256 << ransO1MaxScale]uint32, scale uint) error {
	x, err := ransReadStates(src)
	if err != nil {
		return err
	}
	p := 8 * ransStates
	n := len(out)
	m := n / ransStates
	scale &= 15
	const tmask = uint64(len(tab) - 1)
	mask := uint64(1)<<scale - 1
	s0, s1, s2, s3 := out[:m], out[m:2*m], out[2*m:3*m], out[3*m:]
	s1, s2 = s1[:len(s0)], s2[:len(s0)]
	t3 := s3[:len(s0)]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var c0, c1, c2, c3 uint64
	i := 0
	for ; i+2 <= len(s0); i += 2 {
		for h := range 2 {
			e0 := tab[(c0<<scale|x0&mask)&tmask]
			e1 := tab[(c1<<scale|x1&mask)&tmask]
			e2 := tab[(c2<<scale|x2&mask)&tmask]
			e3 := tab[(c3<<scale|x3&mask)&tmask]
			s0[i+h], s1[i+h], s2[i+h], t3[i+h] = byte(e0), byte(e1), byte(e2), byte(e3)
			c0, c1, c2, c3 = uint64(byte(e0)), uint64(byte(e1)), uint64(byte(e2)), uint64(byte(e3))
			x0 = uint64(e0>>20)*(x0>>scale) + uint64(e0>>8&0xfff)
			x1 = uint64(e1>>20)*(x1>>scale) + uint64(e1>>8&0xfff)
			x2 = uint64(e2>>20)*(x2>>scale) + uint64(e2>>8&0xfff)
			x3 = uint64(e3>>20)*(x3>>scale) + uint64(e3>>8&0xfff)
		}
		if p+16 <= len(src) {
			w := src[p : p+16 : p+16]
			q := 0
			r := (x0 - ransL) >> 63
			x0 = x0<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
			q += int(r << 2)
			r = (x1 - ransL) >> 63
			x1 = x1<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
			q += int(r << 2)
			r = (x2 - ransL) >> 63
			x2 = x2<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
			q += int(r << 2)
			r = (x3 - ransL) >> 63
			x3 = x3<<(r<<5) | uint64(binary.LittleEndian.Uint32(w[q&12:]))&-r
			p += q + int(r<<2)
			continue
		}
		ok0, ok1, ok2, ok3 := true, true, true, true
		x0, p, ok0 = ransRenorm(x0, src, p)
		x1, p, ok1 = ransRenorm(x1, src, p)
		x2, p, ok2 = ransRenorm(x2, src, p)
		x3, p, ok3 = ransRenorm(x3, src, p)
		if !(ok0 && ok1 && ok2 && ok3) {
			return errRANSShort(i, n)
		}
	}
	x = [ransStates]uint64{x0, x1, x2, x3}
	ctx := [ransStates]uint64{c0, c1, c2, c3}
	seg := [ransStates][]byte{s0, s1, s2, s3}
	step := func(j, i int) bool {
		e := tab[(ctx[j]<<scale|x[j]&mask)&tmask]
		seg[j][i] = byte(e)
		ctx[j] = uint64(byte(e))
		x[j] = uint64(e>>20)*(x[j]>>scale) + uint64(e>>8&0xfff)
		var ok bool
		x[j], p, ok = ransRenorm(x[j], src, p)
		return ok
	}
	if m&1 != 0 {
		for j := range ransStates {
			if !step(j, m-1) {
				return errRANSShort(j*m+m, n)
			}
		}
	}
	for i := m; i < len(s3); i++ {
		if !step(3, i) {
			return errRANSShort(3*m+i, n)
		}
	}
	return ransCheckEnd(&x, p, len(src))
}
