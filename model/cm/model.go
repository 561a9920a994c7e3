package cm

import (
	"errors"
	"fmt"
	"slices"

	"github.com/entzip/entzip/internal/hugepage"
)

// Levels of New.
const (
	// MinLevel is the smallest memory level (MemoryBytes: 26 MiB).
	MinLevel = 1
	// MaxLevel is the largest memory level and compresses best
	// (MemoryBytes: 1316 MiB).
	MaxLevel = 9
	// DefaultLevel is the recommended level, the best trade-off of
	// speed and ratio: the fast configuration (config.go) with a 128 MiB
	// hash table (MemoryBytes: 188 MiB).
	DefaultLevel = 6
)

// ErrLevel reports a level outside MinLevel..MaxLevel, ErrRevision a
// revision NewRev does not know; New's and NewRev's errors wrap them.
var (
	ErrLevel    = errors.New("cm: invalid level")
	ErrRevision = errors.New("cm: unknown revision")
)

// Table sizes of level L (bytes):
//
//	hash table     2^(21+L)        (L=1: 4 MiB, L=6: 128 MiB, L=9: 1 GiB)
//	history        2^(18+L)        (L=1: 512 KiB, L=6: 32 MiB, L=9: 128 MiB)
//	match indexes  4·2^(15+L) each (L=1: 128 KiB, L=6: 8 MiB, L=9: 64 MiB);
//	               one index at levels 1..6, two at 7..9
//	direct         64·directLines(L) (L=1: 512 KiB, L≥6: 16 MiB;
//	               RevIndirect)
//	fixed          fixedBytes: state maps, mixers, APMs
func htBytes(level int) int64    { return 1 << (21 + level) }
func histBytes(level int) int64  { return 1 << (18 + level) }
func matchEntries(level int) int { return 1 << (15 + level) }

// fixedBytes bounds the level-independent tables (APMs: at most
// 2·2^16·32·4 B in the fixed rate's rows, 2·2^16·16·4 B by count; mixers;
// state maps) and the Model itself.
const fixedBytes = 20 << 20

// MemoryBytes returns an upper bound of the memory a Model of the given
// level allocates, or 0 for an invalid level.
func MemoryBytes(level int) int64 {
	if level < MinLevel || level > MaxLevel {
		return 0
	}
	idx := int64(1) // match indexes
	if levelConfig(level, Rev).longMatch {
		idx = 2
	}
	direct := int64(0)
	if levelConfig(level, Rev).direct {
		direct = 64 * int64(directLines(level))
	}
	return htBytes(level) + histBytes(level) + idx*4*int64(matchEntries(level)) + direct + fixedBytes
}

// Mixer inputs: the nx context inputs, then order 0, the match model, a
// bias and, with cfg.longMatch, the long match model (offsets from nx
// below), and with cfg.direct the direct counters (from dOff); maxIn
// bounds their number.
const (
	inO0     = 0
	inMatch  = 1
	inBias   = 2
	inMatchB = 3
	maxIn    = 2*nCtx + 4 + directOrders
)

// Weight sets of the first-layer mixers and the final mixer.
const (
	nMix         = 3
	setsC0       = 256 * nClass            // by the partial byte c0 and, with cfg.classSets, the class of c1
	setsMat      = 9 * 8 * nClass * nClass // by match length bucket, bit position and, with cfg.classSets, the classes of c2 and c1
	setsC1       = 256 * nClass            // by the previous byte and, with cfg.classSets, the class of c2
	setsOne      = 9 * 256 * nClass        // one-layer mixer: by match length bucket, c0 and, with cfg.classSets, the class of c1
	finalIn      = nMix + 1
	mixInit      = 1 << 14 // 0.25 in Q16
	finInit      = 1 << 16 / nMix
	lrFirst      = 12
	lrBoost      = 48 // extra first-layer rate at the start (lrFirstLayer)
	lrBoostBytes = 1 << 15
	lrFinal      = 4
	apmRate      = 5
	apmLimit     = smLimit
	smLimCtx     = 1023
	smSize       = 16 * 256 // ≥ nCtx·256, a power of two so indexes need no bounds check
)

// Model is a context-mixing BitModel; see the package documentation. A
// Model is not safe for concurrent use; Reset makes it reusable without
// allocating.
type Model struct {
	ht      hashTable
	buf     []byte // history, a ring of len(buf) = bufMask+1 bytes
	bufMask int
	pos     int // bytes seen

	c0     uint32 // 1, then the bits of the current byte so far
	bitPos uint   // bits of the current byte seen, 0..7
	nib    int    // node of the current bit in its nibble, 1..15
	c4, c8 uint32 // the last 8 bytes, latest in the low byte of c4
	word0  uint32 // hash of the current word (0 outside words)
	word1  uint32 // hash of the previous word
	word2  uint32 // hash of the word before that

	cfg      config
	longHash bool           // hash bytes 9..16 (the long match model or order 16)
	nc       int            // active hashed contexts (cfg.ctx)
	nx       int            // context inputs: nc, or 2·nc with cfg.lin
	nIn      int            // mixer inputs, nx + 3 or 4
	ctxHash  [nCtx]uint32   // per-byte hashes of the active contexts
	hs       [nCtx]uint32   // hashes of the next nibble (prefetch)
	bs       [nCtx]int32    // their bucket offsets
	hA, hB   uint32         // match-index hashes of the last byte
	slot     [nCtx]int32    // slot offsets of the current nibble
	sm       [smSize]uint32 // per-context state maps, index ctx<<8 | state
	o0       [256]uint8
	sm0      [256]uint32

	mA, mB matchModel
	rec    recordModel
	ind    indirect
	dm     directModel // with cfg.direct
	dOff   int         // mixer input of the first direct counter

	wC0  [setsC0 * maxIn]int32
	wMat [setsMat * maxIn]int32
	wC1  [setsC1 * maxIn]int32
	wOne [setsOne * maxIn]int32
	wFin [256 * finalIn]int32

	a1, a2, a3 apm
	ev         bitEval // the prediction of the next bit (predict.go)
}

// Revisions of the Model's contexts, as recorded by the container (see
// docs/FORMAT.md, "Model revisions").
const (
	// RevASCIIWords is the first revision: the word contexts hash the
	// runs of ASCII letters only.
	RevASCIIWords = 1
	// RevHighWords changes the word contexts of levels 7..9 (config.go):
	// the bytes 0x80..0xFF are word bytes too, so that UTF-8 letters and
	// the code bytes of the container's text transform extend a word
	// instead of ending it, and between words the word-pair context is
	// the previous two words and the last byte.
	RevHighWords = 2
	// RevIndirect, the revision of format version 4, adds the indirect
	// contexts (indirect.go) to levels 7..9, chooses the mixer weight sets
	// also by the classes of the last bytes (mixsel.go), gives levels 7..9
	// the deterministic second input (input2.go) and makes the hash
	// table's replacement low-priority, as documented (hashtable.go); and
	// it makes cm converge to the entropy rate of stationary sources:
	// direct counters of orders 1..3 (direct.go), which replace the hashed
	// orders 2 and 3 at levels 1..6; a mixer output logit that spans
	// ±logistic.Limit; APMs whose rate falls with their count (apm.go).
	RevIndirect = 3
	// Rev is the revision New makes.
	Rev = RevIndirect
)

// New returns a Model with the table sizes of level (MinLevel..MaxLevel);
// MemoryBytes(level) bounds its memory. Encoder and decoder must use the
// same level. It is NewRev of Rev.
func New(level int) (*Model, error) {
	return NewRev(level, Rev)
}

// NewRev is New for revision rev of the model (RevASCIIWords..Rev), so
// that streams of an older revision still decode.
func NewRev(level, rev int) (*Model, error) {
	if level < MinLevel || level > MaxLevel {
		return nil, fmt.Errorf("%w: %d outside %d..%d", ErrLevel, level, MinLevel, MaxLevel)
	}
	if rev < RevASCIIWords || rev > Rev {
		return nil, fmt.Errorf("%w %d (%d..%d)", ErrRevision, rev, RevASCIIWords, Rev)
	}
	return newModel(level, levelConfig(level, rev)), nil
}

func newModel(level int, cfg config) *Model {
	m := &Model{
		cfg:     cfg,
		nc:      len(cfg.ctx),
		nx:      len(cfg.ctx),
		ht:      newHashTable(htBytes(level), cfg.pri()),
		buf:     make([]byte, histBytes(level)),
		bufMask: int(histBytes(level) - 1),
		mA:      newMatchModel(matchEntries(level), 6),
		mB:      newMatchModel(1, 16),
		a1:      newAPM(256, apmRate, cfg.apmLimit),
		a2:      newAPM(1<<16, apmRate, cfg.apmLimit),
		a3:      newAPM(1, apmRate, cfg.apmLimit),
	}
	if cfg.lin {
		m.nx = 2 * m.nc
	}
	m.nIn = m.nx + 3
	hugepage.Advise(m.buf)
	m.longHash = cfg.longMatch || slices.Contains(cfg.ctx, ctxO16)
	if cfg.longMatch {
		m.mB = newMatchModel(matchEntries(level), 16)
		m.nIn++
	}
	if cfg.apm3 {
		m.a3 = newAPM(1<<16, apmRate, cfg.apmLimit)
	}
	m.dOff = m.nIn
	if cfg.direct {
		m.dm = newDirectModel(directLines(level))
		m.nIn += directOrders
	}
	m.resetState() // the big tables are fresh, already zero
	return m
}

// Reset returns the Model to its initial state, clearing its tables in
// place.
func (m *Model) Reset() {
	clear(m.ht.t)
	clear(m.buf)
	m.mA.clearIndex()
	m.mB.clearIndex()
	clear(m.dm.t)
	m.resetState()
}

// resetState returns the Model to its initial state but for the hash
// table, the history and the match indexes, which must be zero. New does
// not clear them, so a small input touches (and makes resident) only the
// pages it uses.
func (m *Model) resetState() {
	m.pos = 0
	m.c0, m.bitPos, m.nib = 1, 0, 1
	m.c4, m.c8, m.word0, m.word1, m.word2 = 0, 0, 0, 0, 0
	for i := range m.sm {
		m.sm[i] = smInit(stateP12(i & 255))
	}
	clear(m.o0[:])
	for i := range m.sm0 {
		m.sm0[i] = smInit(stateP12(i))
	}
	m.mA.resetState()
	m.mB.resetState()
	m.rec.reset()
	m.ind.reset()
	for _, w := range [][]int32{m.wC0[:], m.wMat[:], m.wC1[:], m.wOne[:]} {
		for i := range w {
			w[i] = mixInit
			if k := i % m.nIn; k == m.nx+inBias || (k >= m.nc && k < m.nx) {
				w[i] = 0
			}
		}
	}
	for i := range m.wFin {
		m.wFin[i] = finInit
		if i%finalIn == nMix {
			m.wFin[i] = 0
		}
	}
	m.a1.reset()
	m.a2.reset()
	m.a3.reset()
	m.setContexts()
	if m.cfg.direct {
		m.dm.setContexts(0)
		m.dm.setNibble(0)
	}
	m.prefetchNibble(1, 0)
	m.matchByte()
	m.findSlots()
	m.predict()
}

// P1 returns P(next bit = 1) scaled to 1<<16, in [1, 65535].
func (m *Model) P1() uint32 { return m.ev.pr }

// Update teaches the Model that bit (0 or 1) occurred and prepares the
// prediction of the next bit.
//
// At a nibble boundary it first computes the next nibble's context hashes
// and prefetches their buckets (and the match-index slots), then trains
// the sub-models with y while those cache misses are outstanding, and only
// then searches the buckets.
func (m *Model) Update(bit int) {
	y := uint32(bit) & 1
	c0 := m.c0<<1 | y
	switch m.bitPos {
	case 7:
		m.byteUpdate(byte(c0))
		m.prefetchNibble(1, 0)
		if m.cfg.direct {
			m.dm.setContexts(m.c4)
			m.dm.setNibble(0)
		}
	case 3:
		m.prefetchNibble(c0, 4)
		if m.cfg.direct {
			m.dm.setNibble(c0)
		}
	}
	m.updateMixers(y)
	if m.cfg.apm1 {
		m.a1.update(m.ev.apmIdx[0], y)
	}
	m.a2.update(m.ev.apmIdx[1], y)
	if m.cfg.apm3 {
		m.a3.update(m.ev.apmIdx[2], y)
	}
	m.updateContexts(y)

	m.c0 = c0
	m.bitPos++
	m.nib = m.nib<<1 | int(y)
	switch m.bitPos {
	case 8:
		m.c0, m.bitPos, m.nib = 1, 0, 1
		m.matchByte()
		m.findSlots()
	case 4:
		m.nib = 1
		m.findSlots()
	}
	m.predict()
}

// updateContexts moves every bit history and state map with bit y.
func (m *Model) updateContexts(y uint32) {
	ht := m.ht.t
	nib := m.nib
	for i := range m.nc {
		a := int(m.slot[i]) + nib
		ht[a] = stateNext[ht[a]][y]
		j := m.ev.smi[i] & (smSize - 1)
		m.sm[j] = smNext(m.sm[j], y, smLimCtx)
	}
	s := m.o0[m.c0&255]
	m.o0[m.c0&255] = stateNext[s][y]
	m.sm0[s] = smNext(m.sm0[s], y, smLimCtx)
	m.mA.update(m.ev.matchSmi[0], y)
	m.mB.update(m.ev.matchSmi[1], y)
	if m.cfg.direct {
		m.dm.update(&m.ev.dci, y)
	}
}

// predict computes the prediction of the next bit, m.ev.
func (m *Model) predict() {
	m.evalBit(&m.ev, m.ht.t, &m.slot, m.nib, m.c0, m.bitPos, m.wC1[m.c1Set()*m.nIn:])
}

// The state maps of all hashed contexts must fit in sm.
var _ [smSize - nCtx*256]struct{}
