package model

import (
	"errors"
	"fmt"

	"github.com/entzip/entzip/internal/canonical"
)

// MaxCodeBits is the longest codeword OrderK.SetCode accepts: a codeword
// spans at most two groups of four bits, as a byte spans two nibbles.
const MaxCodeBits = 8

// ErrCode reports code lengths that SetCode cannot use.
var ErrCode = errors.New("model: invalid prefix code")

// A PrefixBitModel is a BitModel that codes each byte as the bits of its
// codeword in a prefix code, first bit first, rather than as its 8 bits.
// With the code whose every codeword is the byte itself it is an ordinary
// BitModel. A coding loop asks Codeword for the bits to encode and, when
// decoding, Symbol after every Update for the byte a codeword completed.
type PrefixBitModel interface {
	BitModel
	// Codeword returns byte b's codeword in the low n bits of code, its
	// first bit highest; n is 0 for a byte the code leaves out.
	Codeword(b byte) (code uint32, n int)
	// Symbol returns the byte whose codeword the last Update completed,
	// or -1 if that Update left a codeword unfinished.
	Symbol() int
	// SetCode makes the model use the canonical prefix code with code
	// lengths lens from the next byte on; see OrderK.SetCode.
	SetCode(lens *[256]uint8) error
}

var _ PrefixBitModel = (*OrderK)(nil)

// byteCode is a canonical prefix code with codewords of at most
// MaxCodeBits bits, laid out for OrderK: a codeword is walked in groups of
// four bits, each group a binary tree of nodes 1..31 (node 1, then
// node = 2·node + bit) like a nibble. Group 0 is a codeword's first four
// bits; group part (1..16) holds the rest of the codewords whose first four
// bits are part-1.
type byteCode struct {
	// word[b] is b's codeword in bits 0..7 and its length in bits 8..11.
	word [256]uint16
	// stop[part] has bit n set if reaching node n ends the group: n is a
	// codeword's last bit or the group's fourth.
	stop [32]uint32
	// leaf[part][n] is 1 + the byte whose codeword ends at node n of group
	// part, or 0 (the codeword goes on in group 1+n&15).
	leaf [32][32]uint16
	// symbols is the number of bytes with a codeword.
	symbols int
}

// identityCode is the code of the plain bitwise model: every codeword is
// the byte itself, so the groups are its nibbles.
var identityCode = func() *byteCode {
	var lens [256]uint8
	for b := range lens {
		lens[b] = 8
	}
	c, err := newByteCode(&lens)
	if err != nil {
		panic(err) // 256 codewords of 8 bits are a complete code
	}
	return c
}()

// newByteCode builds the canonical code with lengths lens (0 = the byte has
// no codeword). The code must be complete (Kraft's equality), so that every
// sequence of bits decodes: a corrupt stream yields wrong bytes, never a
// walk off the code.
func newByteCode(lens *[256]uint8) (*byteCode, error) {
	var count [MaxCodeBits + 1]int
	kraft := 0 // Σ 2^(MaxCodeBits-len)
	for b, l := range lens {
		if l > MaxCodeBits {
			return nil, fmt.Errorf("%w: byte %d has a %d-bit codeword, more than %d", ErrCode, b, l, MaxCodeBits)
		}
		if l > 0 {
			count[l]++
			kraft += 1 << (MaxCodeBits - l)
		}
	}
	if kraft != 1<<MaxCodeBits {
		return nil, fmt.Errorf("%w: lengths are not a complete prefix code (Kraft sum %d/%d)", ErrCode, kraft, 1<<MaxCodeBits)
	}
	// Canonical codewords: shorter first, then by byte value.
	var next [MaxCodeBits + 1]uint32
	canonical.FirstCodes(next[:], count[:])
	c := new(byteCode)
	for part := range c.stop {
		c.stop[part] = 0xffff0000 // the fourth bit of a group
	}
	for b, l := range lens {
		if l == 0 {
			continue
		}
		w := next[l]
		next[l]++
		c.symbols++
		c.word[b] = uint16(l)<<8 | uint16(w)
		part, d := uint32(0), uint32(l)
		if l > 4 {
			part, d = 1+w>>(l-4), uint32(l-4)
		}
		node := 1<<d | w&(1<<d-1)
		c.stop[part] |= 1 << node
		c.leaf[part][node] = uint16(b) + 1
	}
	return c, nil
}

// SetCode makes m code each byte as its codeword in the canonical prefix
// code with lengths lens: lens[b] is the length of byte b's codeword, 0 if
// b does not occur; codewords are assigned shorter first, then by byte
// value (as in deflate). The lengths must form a complete prefix code
// (Σ 2^-lens[b] = 1, so at least two bytes have codewords) of at most
// MaxCodeBits bits; a Huffman code of the data to come is the natural
// choice: its frequent bytes then take fewer bits to predict, which
// speeds the model up and usually improves its predictions.
//
// SetCode may only be called at a byte boundary; the model keeps what it
// has learned, indexed by codeword bits, unless the code moves a model of
// revision OrderKRevWide or later between wide and narrow counters (see
// wideCode): then it starts afresh but for the bytes it has seen. A model
// starts with the code whose codewords are the bytes themselves; Reset
// keeps the current code. Encoder and decoder must set the same codes at
// the same points.
func (m *OrderK) SetCode(lens *[256]uint8) error {
	if err := m.atByte("SetCode"); err != nil {
		return err
	}
	c, err := newByteCode(lens)
	if err != nil {
		return err
	}
	m.code = c
	m.setMode()
	return nil
}

// SetStationary says whether the bytes from the next one on come from a
// source the container found stationary (a frame's mark, see
// docs/FORMAT.md "Adaptive streams"): from revision OrderKRevLong on, a
// model of order k ≤ MaxWideOrder then has wide counters whatever its
// code, as it has for codes of at most 16 codewords. Like SetCode it may
// only be called at a byte boundary, and a change between wide and narrow
// counters starts the model afresh but for the bytes it has seen. A model
// starts not stationary; Reset keeps the mark.
func (m *OrderK) SetStationary(on bool) error {
	if err := m.atByte("SetStationary"); err != nil {
		return err
	}
	m.stationary = on
	m.setMode()
	return nil
}

// atByte returns an error naming the call unless the model is at a byte
// boundary.
func (m *OrderK) atByte(call string) error {
	if m.node != 1 || m.part != 0 {
		return fmt.Errorf("%w: %s in the middle of a codeword", ErrCode, call)
	}
	return nil
}

// setMode chooses wide or narrow counters for the current code and mark
// (wideCode) and the counters' limits.
func (m *OrderK) setMode() {
	if w := m.wideCode(); w != m.wide {
		// The counters change width: the model starts afresh in the
		// other mode, keeping only the byte history.
		m.wide = w
		m.makeTables()
		m.restart()
		return
	}
	m.stop = m.code.stop[0]
	m.setRates()
}

// Codeword returns byte b's codeword in the model's code.
func (m *OrderK) Codeword(b byte) (code uint32, n int) {
	w := m.code.word[b]
	return uint32(w & 0xff), int(w >> 8)
}

// Symbol returns the byte whose codeword the last Update completed, or -1
// if that Update left a codeword unfinished. (Before the first Update it
// returns 0, the byte the model assumes came before the data.)
func (m *OrderK) Symbol() int {
	if m.node == 1 && m.part == 0 {
		return int(m.hist & 0xff)
	}
	return -1
}
