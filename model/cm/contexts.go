package cm

// The hashed contexts, computed once per byte from the history (c1 is the
// last byte, c2 the one before, ...; above = the byte one record back):
//
//	ctxO1..ctxO4  orders 1–4: c1, c2c1, c3c2c1, c4..c1
//	ctxO6, ctxO8  orders 6 and 8
//	ctxO16        order 16
//	ctxWord       the current word (case-folded letters and, with
//	              cfg.highWords, the bytes 0x80..0xFF), or c1 between
//	              words
//	ctxWord2      the current and the previous word; with cfg.wordStart,
//	              between words the previous two words and c1
//	ctxSparse1    c3c2 (skipping c1)
//	ctxSparse2    c4, c2 (for 16/32-bit aligned binaries)
//	ctxRec1       above, above-left, above-right (2-D: tables, bitmaps)
//	ctxRec2       above, c1
//	ctxRec3       column in the record, above
//	ctxInd1       c1 and the two bytes that followed c1's last occurrences
//	ctxInd2       c2c1 and the two bytes that followed its last occurrences
//	              (indirect.go)
//
// Each context's hash is tagged with its index, so equal values of
// different contexts land in different slots. The high nibble of a byte
// uses the hash itself, the low nibble hash2(hash, c0).
const (
	ctxO1 = iota
	ctxO2
	ctxO3
	ctxO4
	ctxO6
	ctxO8
	ctxO16
	ctxWord
	ctxWord2
	ctxSparse1
	ctxSparse2
	ctxRec1
	ctxRec2
	ctxRec3
	ctxInd1
	ctxInd2
	nCtx
)

// byteUpdate appends byte c to the history and moves every byte context.
func (m *Model) byteUpdate(c byte) {
	m.buf[m.pos&m.bufMask] = c
	m.pos++
	m.c8 = m.c8<<8 | m.c4>>24
	m.c4 = m.c4<<8 | uint32(c)

	lc := c
	if lc >= 'A' && lc <= 'Z' {
		lc += 'a' - 'A'
	}
	if lc >= 'a' && lc <= 'z' || lc >= 0x80 && m.cfg.highWords {
		m.word0 = (m.word0 + uint32(lc) + 1) * 0x2F0B4C27
	} else if m.word0 != 0 {
		m.word2 = m.word1
		m.word1 = m.word0
		m.word0 = 0
	}
	m.rec.byteUpdate(c, m.pos)
	m.ind.byteUpdate(m.c4)
	m.setContexts()
}

// setContexts computes the per-byte context hashes and feeds the match
// models.
func (m *Model) setContexts() {
	c4, c8 := m.c4, m.c8
	buf, mask, pos := m.buf, m.bufMask, m.pos

	h8 := hash2(c4, c8)
	m.hA = hash2(c4, c8&0xffff)
	var hl uint32
	if m.longHash {
		// bytes 9..16 back, for order 16 and the long match model
		var h16 uint32
		for k := 9; k <= 16; k++ {
			h16 = (h16 + uint32(buf[(pos-k)&mask]) + 1) * 0x01000193
		}
		hl = hash2(h8, h16)
		m.hB = hl
	}

	var h [nCtx]uint32
	h[ctxO1] = hash2(ctxO1, c4&0xff)
	h[ctxO2] = hash2(ctxO2, c4&0xffff)
	h[ctxO3] = hash2(ctxO3, c4&0xffffff)
	h[ctxO4] = hash2(ctxO4, c4)
	h[ctxO6] = hash3(ctxO6, c4, c8&0xffff)
	h[ctxO8] = hash2(ctxO8, h8)
	h[ctxO16] = hash2(ctxO16, hl)
	if m.word0 != 0 {
		h[ctxWord] = hash2(ctxWord, m.word0)
	} else {
		h[ctxWord] = hash2(ctxWord+0x100, c4&0xff)
	}
	if m.word0 == 0 && m.cfg.wordStart {
		// between words: the last two words and c1 predict the next word
		h[ctxWord2] = hash3(ctxWord2+0x100, m.word2+(c4&0xff)*0x9E3779B1, m.word1)
	} else {
		h[ctxWord2] = hash3(ctxWord2, m.word0, m.word1)
	}
	h[ctxSparse1] = hash2(ctxSparse1, c4&0xffff00)
	h[ctxSparse2] = hash2(ctxSparse2, c4&0xff00ff00)

	r := int(m.rec.length)
	var above, aboveL, aboveR, col uint32
	if r > 0 {
		above = uint32(buf[(pos-r)&mask])
		aboveL = uint32(buf[(pos-r-1)&mask])
		aboveR = uint32(buf[(pos-r+1)&mask])
		col = uint32((pos - m.rec.start) % r)
	}
	rr := uint32(r) << 16
	h[ctxRec1] = hash3(ctxRec1, rr|above<<8|aboveL, aboveR)
	h[ctxRec2] = hash2(ctxRec2, rr|above<<8|c4&0xff)
	h[ctxRec3] = hash2(ctxRec3, col<<8|above)
	h[ctxInd1] = hash2(ctxInd1, c4&0xff|uint32(m.ind.t1[c4&0xff])<<8)
	h[ctxInd2] = hash3(ctxInd2, c4&0xffff, uint32(m.ind.t2[c4&0xffff]))
	for i, id := range m.cfg.ctx {
		m.ctxHash[i] = h[id]
	}
}

// matchByte moves the match models to the last byte.
func (m *Model) matchByte() {
	m.mA.byteUpdate(m.buf, m.bufMask, m.pos, m.hA)
	if m.cfg.longMatch {
		m.mB.byteUpdate(m.buf, m.bufMask, m.pos, m.hB)
	}
}

// prefetchNibble computes the hashes of the nibble starting at bit bitPos
// (0 or 4; c0 the partial byte) and asks the CPU to load their buckets (and
// the match-index slots), so that the cache misses of all contexts overlap
// each other and the training of the last bit.
func (m *Model) prefetchNibble(c0 uint32, bitPos uint) {
	t := m.ht.t
	for i, h := range m.ctxHash[:m.nc] {
		if bitPos != 0 {
			h = hash2(h, c0)
		}
		m.hs[i] = h
		b := m.ht.bucket(h)
		m.bs[i] = int32(b)
		prefetch(&t[b])
	}
	if bitPos == 0 {
		prefetchU32(&m.mA.idx[m.hA&m.mA.idxMax])
		if m.cfg.longMatch {
			prefetchU32(&m.mB.idx[m.hB&m.mB.idxMax])
		}
	}
}

// findSlots looks up the slots of the nibble prepared by prefetch.
func (m *Model) findSlots() {
	for i, h := range m.hs[:m.nc] {
		m.slot[i] = int32(m.ht.find(h, int(m.bs[i])))
	}
}
