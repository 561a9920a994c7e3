package coder

import (
	"math/bits"
	"slices"
)

// Context tables for orders 1 and 2.
//
// An order-2 block has three layers of tables: one per order-2 context
// (c2 = p2<<8 | p1, the two previous bytes), one per order-1 context
// (c1 = p1) and one root (order-0) table; an order-1 block has the last
// two. A byte in context c is coded with c's table, or, when c falls back,
// with its parent's: c2 → c1 → root. A table is sent inline, in the bit
// stream, right before the first byte that needs it, so contexts that never
// occur cost nothing and no context index is stored:
//
//	kind = "0"                    fall back to the parent (not for the root)
//	     | "10" sym:8             single symbol: every byte in this context
//	                              is sym and costs zero bits
//	     | "11" table             own table (huffman_desc.go), ≥ 2 symbols
//
// The encoder chooses kinds per layer, top down, by estimated bits:
//
//	fallback = 1 + Σ_s n_c(s)·len_parent(s)        (12 bits for a symbol
//	                                                the parent lacks)
//	single   = 10                                  (one distinct symbol)
//	own      = 2 + desc(c) + Σ_s n_c(s)·len_c(s)   desc ≈ 4 bits a length,
//	                                                4+⌊log2 gap⌋ a zero run
//
// where the parent's table is built from the bytes of the contexts that
// currently fall back to it; three rounds of choose-and-rebuild settle it.
// Rare contexts therefore share their parent's table, and a context that
// only ever sees one byte value costs ten bits once.
const (
	kindFallback = iota
	kindSingle
	kindOwn

	missingLen  = 12 // estimated length of a symbol the parent table lacks
	decideIters = 3
)

// symCount is one entry of a context's sparse histogram.
type symCount struct {
	n   uint32
	sym uint8
}

// ctxInfo is one context of a layer.
type ctxInfo struct {
	off, end int32  // its histogram is pairs[off:end], sorted by symbol
	parent   int32  // parent table while deciding (p1 for order 2, else 0)
	table    int32  // own table number
	ownCost  uint64 // estimated bits of the best non-fallback choice
	ownKind  uint8  // that choice: kindSingle or kindOwn
	kind     uint8  // kindFallback, kindSingle or kindOwn
	sent     bool   // kind (and table) already in the stream
}

// ctxScratch holds the order-1/2 encoder state; part of encScratch.
type ctxScratch struct {
	count   []uint32 // per context value: occurrences, then end offsets
	grouped []byte   // src grouped by context
	idx     []int32  // context value → index in its layer, or -1
	idx1    [256]int32
	pairs   []symCount
	layerA  []ctxInfo // order-2 contexts (order 2 only)
	layerB  []ctxInfo // order-1 contexts
	root    ctxInfo
	resid   [][256]uint32 // per parent: bytes of falling-back children
	plen    [][256]uint8  // per parent: estimated code lengths
	tmpN    []uint32
	tmpL    []uint8
	tabEnc  []encEntry // 256 codes per own table
	tokOff  []int32    // own table t's tokens: toks[tokOff[t]:tokOff[t+1]]
}

// encodeCtx appends an order-1 or order-2 block; ok is false when it
// should be stored instead.
func (s *encScratch) encodeCtx(dst, src []byte, order int, hdr byte) ([]byte, bool) {
	if _, dst, single := s.histogram(dst, src, hdr); single {
		return dst, true
	}
	c := &s.ctx
	c.pairs = c.pairs[:0]
	for i := range c.idx1 {
		c.idx1[i] = -1
	}
	if order == 2 {
		c.layerA = c.gather(src, 2, c.layerA[:0])
		s.decide(c.layerA, 256)
		c.layerB = c.layerB[:0]
		for p := range c.resid {
			if off, end := c.appendPairs(&c.resid[p]); end > off {
				c.idx1[p] = int32(len(c.layerB))
				c.layerB = append(c.layerB, ctxInfo{off: off, end: end})
			}
		}
	} else {
		c.layerA = c.layerA[:0] // order 1 has no order-2 layer
		c.layerB = c.gather(src, 1, c.layerB[:0])
		copy(c.idx1[:], c.idx)
		for i := range c.layerB {
			c.layerB[i].parent = 0
		}
	}
	s.decide(c.layerB, 1)
	off, end := c.appendPairs(&c.resid[0])
	c.root = ctxInfo{off: off, end: end, kind: kindOwn}
	switch end - off {
	case 0:
		c.root.kind = kindFallback // never used
	case 1:
		c.root.kind = kindSingle
	}

	// Build the own tables and their descriptions, then the CL code.
	s.toks = s.toks[:0]
	c.tokOff = append(c.tokOff[:0], 0)
	c.tabEnc = c.tabEnc[:0]
	for _, layer := range [][]ctxInfo{c.layerA, c.layerB} {
		for i := range layer {
			s.ownTable(&layer[i])
		}
	}
	s.ownTable(&c.root)
	clLens := s.clCode()

	dst = slices.Grow(dst, len(src)/2+64)
	dst = append(dst, hdr|hmHuffman)
	start := len(dst) - 1
	w := bitWriter{out: dst}
	writeCLCode(&w, &clLens)
	s.tableBits = w.bits() - 8*start
	var p1, p2 byte
	for _, b := range src {
		var x *ctxInfo
		if order == 2 {
			x = &c.layerA[c.idx[int(p2)<<8|int(p1)]]
			s.sendKind(&w, x)
		}
		if x == nil || x.kind == kindFallback {
			x = &c.layerB[c.idx1[p1]]
			s.sendKind(&w, x)
			if x.kind == kindFallback {
				x = &c.root
				s.sendKind(&w, x)
			}
		}
		if x.kind == kindOwn {
			e := c.tabEnc[int(x.table)<<8|int(b)]
			w.write(uint32(e>>4), uint(e&15))
		}
		p2, p1 = p1, b
	}
	return w.flush(), true
}

// sendKind writes x's kind and table before its first use.
func (s *encScratch) sendKind(w *bitWriter, x *ctxInfo) {
	if x.sent {
		return
	}
	x.sent = true
	before := w.bits()
	switch x.kind {
	case kindFallback:
		w.write(0, 1)
	case kindSingle:
		w.write(0b10, 2)
		w.write(uint32(s.ctx.pairs[x.off].sym), 8)
	default:
		w.write(0b11, 2)
		t := x.table
		writeDesc(w, s.toks[s.ctx.tokOff[t]:s.ctx.tokOff[t+1]], &s.clEnc)
	}
	s.tableBits += w.bits() - before
}

// ownTable builds x's code and description when x has its own table.
func (s *encScratch) ownTable(x *ctxInfo) {
	if x.kind != kindOwn {
		return
	}
	c := &s.ctx
	var counts [256]uint32
	for _, e := range c.pairs[x.off:x.end] {
		counts[e.sym] = e.n
	}
	_ = s.ls.lengths(counts[:], MaxHuffmanBits, s.lens[:]) // ≤ 256 symbols fit
	x.table = int32(len(c.tokOff) - 1)
	c.tabEnc = slices.Grow(c.tabEnc, 256)[:len(c.tabEnc)+256]
	canonicalCodes(s.lens[:], c.tabEnc[len(c.tabEnc)-256:])
	s.toks = appendDesc(s.toks, s.lens[:])
	c.tokOff = append(c.tokOff, int32(len(s.toks)))
}

// appendPairs appends the nonzero entries of h to pairs and returns their
// range.
func (c *ctxScratch) appendPairs(h *[256]uint32) (off, end int32) {
	off = int32(len(c.pairs))
	for b, n := range h {
		if n != 0 {
			c.pairs = append(c.pairs, symCount{n: n, sym: uint8(b)})
		}
	}
	return off, int32(len(c.pairs))
}

// gather builds the contexts of the given order (1 or 2) that occur in src,
// sorted by context value, with their sparse histograms; c.idx maps a
// context value to its index. For order 2 a context's parent is p1.
func (c *ctxScratch) gather(src []byte, order int, layer []ctxInfo) []ctxInfo {
	nctx := 1 << (8 * order)
	mask := nctx - 1
	c.count = slices.Grow(c.count[:0], nctx)[:nctx]
	clear(c.count)
	c.idx = slices.Grow(c.idx[:0], nctx)[:nctx]
	k := 0
	for _, b := range src {
		c.count[k]++
		k = (k<<8 | int(b)) & mask
	}
	sum := uint32(0)
	for i, n := range c.count {
		c.count[i] = sum // start offset; becomes the end while scattering
		sum += n
	}
	c.grouped = slices.Grow(c.grouped[:0], len(src))[:len(src)]
	k = 0
	for _, b := range src {
		c.grouped[c.count[k]] = b
		c.count[k]++
		k = (k<<8 | int(b)) & mask
	}
	var h [256]uint32
	start := uint32(0)
	for k := range nctx {
		end := c.count[k]
		g := c.grouped[start:end]
		start = end
		if len(g) == 0 {
			c.idx[k] = -1
			continue
		}
		for _, b := range g {
			h[b]++
		}
		off := int32(len(c.pairs))
		if len(g) < 32 {
			for _, b := range g {
				if h[b] != 0 {
					c.pairs = append(c.pairs, symCount{n: h[b], sym: b})
					h[b] = 0
				}
			}
			p := c.pairs[off:]
			slices.SortFunc(p, func(x, y symCount) int { return int(x.sym) - int(y.sym) })
		} else {
			c.pairs = c.pairs[:off]
			_, _ = c.appendPairs(&h)
			clear(h[:])
		}
		c.idx[k] = int32(len(layer))
		layer = append(layer, ctxInfo{off: off, end: int32(len(c.pairs)), parent: int32(k & 0xFF)})
	}
	return layer
}

// ownCost sets ctx.ownKind and ctx.ownCost.
func (s *encScratch) ownCost(ctx *ctxInfo) {
	p := s.ctx.pairs[ctx.off:ctx.end]
	if len(p) == 1 {
		ctx.ownKind, ctx.ownCost = kindSingle, 10
		return
	}
	n := s.ctx.tmpN[:0]
	for _, e := range p {
		n = append(n, e.n)
	}
	s.ctx.tmpN = n
	l := slices.Grow(s.ctx.tmpL[:0], len(n))[:len(n)]
	s.ctx.tmpL = l
	_ = s.ls.lengths(n, MaxHuffmanBits, l) // ≤ 256 symbols always fit
	cost := uint64(2 + 3)
	prev := -1
	for i, e := range p {
		cost += uint64(e.n) * uint64(l[i])
		if gap := int(e.sym) - prev - 1; gap > 0 {
			cost += 4 + uint64(bits.Len(uint(gap))-1)
		}
		cost += 4
		prev = int(e.sym)
	}
	ctx.ownKind, ctx.ownCost = kindOwn, cost
}

// decide chooses the kinds of a layer whose parents are 0..nParents-1 and
// leaves in s.ctx.resid the parents' histograms of falling-back bytes.
func (s *encScratch) decide(layer []ctxInfo, nParents int) {
	c := &s.ctx
	for i := range layer {
		s.ownCost(&layer[i])
		layer[i].kind = kindFallback
	}
	c.resid = slices.Grow(c.resid[:0], nParents)[:nParents]
	c.plen = slices.Grow(c.plen[:0], nParents)[:nParents]
	for iter := 0; ; iter++ {
		clear(c.resid)
		for i := range layer {
			if layer[i].kind == kindFallback {
				r := &c.resid[layer[i].parent]
				for _, e := range c.pairs[layer[i].off:layer[i].end] {
					r[e.sym] += e.n
				}
			}
		}
		if iter == decideIters {
			return
		}
		for p := range c.resid {
			_ = s.ls.lengths(c.resid[p][:], MaxHuffmanBits, c.plen[p][:])
		}
		for i := range layer {
			x := &layer[i]
			pl := &c.plen[x.parent]
			fb := uint64(1)
			for _, e := range c.pairs[x.off:x.end] {
				l := uint64(pl[e.sym])
				if l == 0 {
					l = missingLen
				}
				fb += uint64(e.n) * l
			}
			x.kind = kindFallback
			if x.ownCost < fb {
				x.kind = x.ownKind
			}
		}
	}
}
