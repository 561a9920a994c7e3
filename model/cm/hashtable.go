package cm

import "github.com/entzip/entzip/internal/hugepage"

// The hash table holds the bit histories of all hashed contexts. It is a
// []byte of 64-byte buckets (one cache line), each of 4 slots of 16 bytes:
//
//	slot[0]      check byte: the low 8 bits of the context hash
//	slot[1..15]  bit-history states of the 15 nodes of one nibble's binary
//	             tree (node 1, then node = 2·node + bit)
//
// A context nibble with hash h lives in bucket (h >> 8) mod buckets. find
// returns the slot whose check byte matches; otherwise it clears and takes
// the slot whose node 1 has the smallest count n0+n1 (low-priority
// replacement: contexts seen once make way for the frequent ones), the
// first of equals.
//
// Revisions before RevIndirect computed the counts before the state table
// existed (an init-order bug), so every count was 0 and find always took
// a bucket's first slot; they keep doing so (noPri) to decode their
// streams. Low-priority replacement gains 0.76 % at -6 on six corpus
// files, most on the large ones.

const (
	slotSize   = 16
	bucketSize = 64
)

// statePri[s] is the replacement priority n0+n1 of state s (state.go's
// init sets it); noPri is the all-zero table of the old revisions.
var statePri, noPri [maxStates]uint8

type hashTable struct {
	t    []byte
	mask uint32            // buckets − 1
	pri  *[maxStates]uint8 // replacement priority by state: statePri or noPri
}

func newHashTable(bytes int64, pri *[maxStates]uint8) hashTable {
	t := make([]byte, bytes)
	hugepage.Advise(t)
	return hashTable{t: t, mask: uint32(bytes/bucketSize - 1), pri: pri}
}

// bucket returns the offset of the bucket of context hash h.
func (ht *hashTable) bucket(h uint32) int { return int((h>>8)&ht.mask) * bucketSize }

// lookup returns the offset of the slot of context hash h in bucket b =
// bucket(h), or -1 if the bucket does not hold it. It changes nothing.
func (ht *hashTable) lookup(h uint32, b int) int {
	chk := byte(h)
	t := ht.t[b : b+bucketSize : b+bucketSize]
	switch chk {
	case t[0]:
		return b
	case t[16]:
		return b + 16
	case t[32]:
		return b + 32
	case t[48]:
		return b + 48
	}
	return -1
}

// find returns the offset of the slot of context hash h in bucket b =
// bucket(h), taking a slot for it if the bucket does not hold it.
func (ht *hashTable) find(h uint32, b int) int {
	if s := ht.lookup(h, b); s >= 0 {
		return s
	}
	t := ht.t[b : b+bucketSize : b+bucketSize]
	j := 0
	pri := ht.pri
	pj := pri[t[1]]
	if p := pri[t[17]]; p < pj {
		j, pj = 16, p
	}
	if p := pri[t[33]]; p < pj {
		j, pj = 32, p
	}
	if p := pri[t[49]]; p < pj {
		j = 48
	}
	s := t[j : j+slotSize : j+slotSize]
	clear(s)
	s[0] = byte(h)
	return b + j
}
