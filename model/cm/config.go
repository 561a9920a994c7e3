package cm

import "slices"

// A config selects the sub-models a level runs. The fast configuration of
// levels 1..6 runs what an lpaq-class model runs plus the record contexts,
// with one mixer layer; levels 7..9 run the full model.
type config struct {
	ctx       []uint8 // the active hashed contexts (ctxO1...), in mixer-input order
	longMatch bool    // run the second match model (minimum length 16)
	twoLayer  bool    // mix with two layers (mixing.go), else one
	apm1      bool    // run the first APM (order 0)
	apm3      bool    // run the third APM (order 2, hashed; with apm1)
	lin       bool    // feed each context a second input (input2.go): linearly (p − 1/2)
	det       bool    // with lin, the second input is the deterministic one (input2.go; RevIndirect)
	lowPri    bool    // the hash table replaces low-priority slots (hashtable.go; RevIndirect)
	highWords bool    // bytes 0x80..0xFF are word bytes (RevHighWords)
	wordStart bool    // ctxWord2 between words: word2, word1, c1 (RevHighWords)
	classSets bool    // weight sets also chosen by byte classes (mixsel.go; RevIndirect)
	wideOut   bool    // the mixer's output logit spans ±logistic.Limit (RevIndirect)
	apmLimit  uint32  // the APMs' count limit, 0 for a fixed rate (apm.go; RevIndirect)
	direct    bool    // run the direct counters (direct.go; RevIndirect)
}

// fullLevel is the first level that runs the full configuration.
const fullLevel = 7

var (
	// fastContexts are the contexts of levels below fullLevel: orders
	// 2–4 and 6, the word and a record context. Each of the others costs
	// about 6–8 % of the time for less than 1 % of ratio (the column
	// context 0.2 %, mostly on tables); order 1 costs nothing in ratio
	// here, where the one mixer's weights are already chosen by the
	// partial byte and order 0 is an input.
	fastContexts = []uint8{ctxO2, ctxO3, ctxO4, ctxO6, ctxWord, ctxRec2}
	// fastDirectContexts are fastContexts without orders 2 and 3, for
	// RevIndirect, whose direct counters of orders 1..3 make them
	// redundant: without them -6 is 0.01 % larger on 8 corpus files
	// and two hash-table lookups per nibble faster.
	fastDirectContexts = []uint8{ctxO4, ctxO6, ctxWord, ctxRec2}
	// fullContexts are the contexts of the full configuration. Order 16
	// is left out: it cost ratio on text (the long match model covers
	// long repeats).
	fullContexts = []uint8{ctxO1, ctxO2, ctxO3, ctxO4, ctxO6, ctxO8,
		ctxWord, ctxWord2, ctxSparse1, ctxSparse2, ctxRec1, ctxRec2, ctxRec3}
	// fullIndirectContexts are fullContexts and the indirect contexts
	// (RevIndirect).
	fullIndirectContexts = append(slices.Clone(fullContexts), ctxInd1, ctxInd2)
)

// levelConfig returns the configuration of level in revision rev.
//
// RevHighWords makes the bytes 0x80..0xFF word bytes in the full
// configuration only: there the word-pair context (ctxWord2) turns the
// text transform's codes into a context of the previous two words, worth
// 0.24 % at -9 on the corpus (world192.txt 1.1 %); the fast configuration,
// with the one word context, gained nothing from it (135 bytes more at -6,
// on ptt5 and sum; with ctxWord2 added, 0.19 % at -6 for 7 % more time).
// It also makes ctxWord2 between words (where it was the previous word
// alone) the previous two words and c1, a context of the next word's
// start: 0.22 % more at -9 (world192.txt 1.4 %).
//
// RevIndirect chooses the mixer weight sets also by byte classes
// (cfg.classSets: 0.25 % at -6, 0.31 % at -9 on the corpus, at no
// measurable cost in time), replaces the hash table's low-priority slots
// (cfg.lowPri), adds the indirect contexts (ctxInd1, ctxInd2) to the
// full configuration (0.35 % at -9, world192.txt 1.8 %) and makes its
// second inputs the deterministic ones (cfg.det); docs/BENCH.md has
// every gain.
// The third APM would gain 0.40 % at -6 but cost 20–30 % of its time (a
// cache miss per bit in its 4 MiB table); with 2^12 rows, 8 % for about
// 0.3 %.
//
// RevIndirect also adds the direct counters, the wide mixer output and
// the APMs' falling rate to every level (see Rev), and drops the hashed
// orders 2 and 3 and the order-0 APM of levels 1..6, to pay for the
// direct counters' time: on 8 corpus files the APM's loss made -6 0.03 %
// smaller; i.i.d. bytes (iid-a256) code 0.58 % above the information at
// 10^6 symbols instead of 0.33 %.
func levelConfig(level, rev int) config {
	c := config{ctx: fastContexts, apm1: true}
	if level >= fullLevel {
		c = config{ctx: fullContexts, longMatch: true, twoLayer: true, apm1: true, apm3: true, lin: true,
			highWords: rev >= RevHighWords, wordStart: rev >= RevHighWords}
	}
	if rev >= RevIndirect {
		c.classSets, c.lowPri, c.wideOut, c.apmLimit, c.direct = true, true, true, apmLimit, true
		if level < fullLevel {
			c.ctx, c.apm1 = fastDirectContexts, false
		} else {
			c.ctx, c.det = fullIndirectContexts, true
		}
	}
	return c
}

// pri returns the hash table's replacement priorities (hashtable.go).
func (c config) pri() *[maxStates]uint8 {
	if c.lowPri {
		return &statePri
	}
	return &noPri
}
