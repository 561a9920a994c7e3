package cm

import "github.com/entzip/entzip/internal/hugepage"

// Direct counters (RevIndirect): for the low orders 1..directOrders, one
// state-map entry (statemap.go: P(1) in 22 bits, a count to smLimit) per
// context and bit node, instead of a bit-history state. A bit-history state
// forgets (state.go) and its state map is shared by every context in the
// same state, so on a stationary source the hashed contexts settle some
// percent above the entropy rate; a direct counter keeps averaging its own
// context's bits at the rate 2/(2n+3) down to 2/(2·smLimit+3), a
// Krichevsky–Trofimov-like estimate, and reaches the rate of a source of
// order ≤ directOrders.
//
// The table is a []uint32 of lines of 16 entries (one cache line), one
// line per context and nibble of the partial byte, entries 1..15 the
// nibble's nodes (node 1, then node = 2·node + bit):
//
//	line = hash2(h_k, key) mod lines    h_k the hash of the last k bytes,
//	                                     key 0 for the high nibble, 16|hi
//	                                     for the low nibble after hi
//
// There are no check bytes: contexts that share a line share counters,
// which the mixer learns to trust less. Entries are stored with the top
// bit flipped (directFlip), so that zeroed memory is P(1) = 1/2, count 0.

// directOrders is the number of direct counters: orders 1..directOrders
// (inputs and update write the three out).
const directOrders = 3

// inputs and update cover exactly three orders.
var (
	_ [directOrders - 3]struct{}
	_ [3 - directOrders]struct{}
)

// directFlip is XORed into a state-map entry to store it (see above).
const directFlip = 1 << 31

// directLines returns the number of lines of level's table: 2^(12+level)
// (L=1: 512 KiB), at most 2^18 (16 MiB, levels 6..9).
func directLines(level int) int { return 1 << min(12+level, 18) }

type directModel struct {
	t     []uint32
	mask  uint32               // lines − 1
	h     [directOrders]uint32 // hashes of the last 1..directOrders bytes
	key   uint32               // the key of the current nibble
	lines [directOrders]int32  // its lines
}

func newDirectModel(lines int) directModel {
	d := directModel{t: make([]uint32, lines*16), mask: uint32(lines - 1)}
	hugepage.Advise(d.t)
	return d
}

// setContexts computes the per-byte hashes from the last 4 bytes c4.
func (d *directModel) setContexts(c4 uint32) {
	for k := range d.h {
		d.h[k] = hash2(0x200+uint32(k), c4&(1<<(8*k+8)-1))
	}
}

// line returns the offset of order k+1's line of the nibble whose key
// (see above) is key.
func (d *directModel) line(k int, key uint32) int {
	return int(hash2(d.h[k], key)&d.mask) << 4
}

// nibbleKey returns the key of the nibble of partial byte c0 after bitPos
// bits.
func nibbleKey(c0 uint32, bitPos uint) uint32 {
	if bitPos < 4 {
		return 0
	}
	return c0 >> (bitPos - 4)
}

// setNibble makes the nibble whose key is key the current one and asks
// for its lines.
func (d *directModel) setNibble(key uint32) {
	d.key = key
	for k := range d.h {
		d.lines[k] = int32(d.line(k, key))
		prefetchU32(&d.t[d.lines[k]])
	}
}

// inputs sets x[k] to order k+1's stretched prediction of node nib of the
// nibble whose key is key (the current nibble's or, for ByteDist, another
// one of this byte), and idx[k] to its entry.
func (d *directModel) inputs(x []int32, idx *[directOrders]int32, key uint32, nib int) {
	lines := d.lines
	if key != d.key {
		for k := range d.h {
			lines[k] = int32(d.line(k, key))
		}
	}
	// Written out for the three orders: loops cost 3 % of the model's
	// instructions here and in update.
	x = x[:3]
	x[0], idx[0] = d.input(lines[0], nib)
	x[1], idx[1] = d.input(lines[1], nib)
	x[2], idx[2] = d.input(lines[2], nib)
}

// input returns the stretched prediction of entry nib of line l and the
// entry's index.
func (d *directModel) input(l int32, nib int) (int32, int32) {
	i := int(l) + nib
	return stretch(smP12(d.t[i] ^ directFlip)), int32(i)
}

// update trains the entries inputs chose with bit y.
func (d *directModel) update(idx *[directOrders]int32, y uint32) {
	d.train(idx[0], y)
	d.train(idx[1], y)
	d.train(idx[2], y)
}

// train moves entry i with bit y.
func (d *directModel) train(i int32, y uint32) {
	d.t[i] = smNext(d.t[i]^directFlip, y, smLimit) ^ directFlip
}
