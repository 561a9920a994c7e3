package cm

import "github.com/entzip/entzip/internal/hugepage"

// The match model finds the most recent earlier occurrence of the last
// minLen bytes (through a hash table of positions) and predicts that the
// byte which followed it comes next. Its mixer input is stretch(p) of a
// state map indexed by the quantized match length and the predicted bit,
// so confidence grows with the length as the data proves it:
//
//	ctx = lenBucket(len)·2 + expected bit   (0 when there is no match)
//	lenBucket(l) = l for l < 16, 16 + (l−16)/4 up to 31
//
// A match is verified byte by byte when it is found (hash collisions give
// length 0) and dropped at the first mispredicted bit.

const (
	matchMaxLen = 65535
	matchCtx    = 64
	matchVerify = 80 // bytes compared when a match is found (lenBucket saturates at 76)
)

type matchModel struct {
	idx    []uint32 // hash of the last minLen bytes → position after them
	idxMax uint32   // len(idx) − 1
	minLen int
	ptr    int    // position of the predicted byte in the history
	length int    // current match length, 0 if none
	exp    uint32 // predicted byte | 256, 0 if no match
	sm     [matchCtx]uint32
}

func newMatchModel(entries int, minLen int) matchModel {
	mm := matchModel{idx: make([]uint32, entries), idxMax: uint32(entries - 1), minLen: minLen}
	hugepage.Advise(mm.idx)
	mm.resetState()
	return mm
}

// clearIndex forgets every position in the index.
func (mm *matchModel) clearIndex() { clear(mm.idx) }

// resetState returns all but the index to its initial state.
func (mm *matchModel) resetState() {
	mm.ptr, mm.length, mm.exp = 0, 0, 0
	for i := range mm.sm {
		mm.sm[i] = smInit(2048)
	}
}

func lenBucket(l int) int {
	if l < 16 {
		return l
	}
	return min(16+(l-16)/4, 31)
}

// byteUpdate runs after each byte: buf holds the history (mask bufMask),
// pos is the number of bytes seen and h the hash of the last minLen bytes.
func (mm *matchModel) byteUpdate(buf []byte, bufMask, pos int, h uint32) {
	if pos < mm.minLen {
		return
	}
	c := buf[(pos-1)&bufMask]
	if mm.length > 0 && buf[mm.ptr&bufMask] == c {
		mm.ptr++
		if mm.length < matchMaxLen {
			mm.length++
		}
	} else {
		mm.length = 0
	}
	slot := &mm.idx[h&mm.idxMax]
	if mm.length == 0 {
		cand := int(*slot)
		if cand > 0 && pos-cand < bufMask {
			n := 0
			for n < matchVerify && n < cand && buf[(cand-1-n)&bufMask] == buf[(pos-1-n)&bufMask] {
				n++
			}
			if n >= mm.minLen {
				mm.length, mm.ptr = n, cand
			}
		}
	}
	*slot = uint32(pos)
	mm.exp = 0
	if mm.length > 0 {
		mm.exp = uint32(buf[mm.ptr&bufMask]) | 256
	}
}

// input returns the mixer input for the next bit, given the partial byte
// c0 (1, then the bits so far) and the number of bits seen, bitPos, and
// the index of the state-map entry update trains: 0 (and input 0) when
// there is no match or the byte has already left the predicted one.
func (mm *matchModel) input(c0 uint32, bitPos uint) (int32, int) {
	if mm.exp == 0 || mm.exp>>(8-bitPos) != c0 {
		return 0, 0
	}
	bit := mm.exp >> (7 - bitPos) & 1
	smi := lenBucket(mm.length)<<1 | int(bit)
	return stretch(smP12(mm.sm[smi])), smi
}

// update trains state-map entry smi, chosen by input, with bit y.
func (mm *matchModel) update(smi int, y uint32) {
	if smi != 0 {
		mm.sm[smi] = smNext(mm.sm[smi], y, smLimit)
	}
}

// lenCtx is a small context for mixer selection, from the state-map index
// smi input chose: 0 without a prediction, else 1 + lenBucket/4 (1..8).
func lenCtx(smi int) int {
	if smi == 0 {
		return 0
	}
	return 1 + smi>>3
}
