// Package cm is entzip's context-mixing bit model (a model.BitModel), in
// the lineage of PAQ and lpaq: many context models each predict the next
// bit, online logistic mixers combine their predictions, and APM/SSE stages
// refine the result. Bytes are predicted bitwise, most significant bit
// first; P1 is P(1) in 16 bits.
//
// Architecture, per bit:
//
//   - Up to 16 hashed contexts (contexts.go): orders 1, 2, 3, 4, 6, 8, 16, a
//     word model (current word, current and previous word; case-folded
//     letters), two sparse contexts for binaries, three record contexts
//     (the byte one record above, its neighbours, the column) for tables
//     and bitmaps, whose record length is detected online (record.go), and
//     two indirect contexts (what followed the last occurrences of the
//     last one or two bytes, indirect.go).
//     Each context nibble owns a 16-byte slot of bit-history states
//     (state.go) in one shared hash table of 64-byte buckets with check
//     bytes and low-priority replacement (hashtable.go). An adaptive state
//     map per context turns the state into a probability (statemap.go),
//     fed to the mixers stretched and, at levels 7..9, also linearly.
//     config.go chooses the contexts of each level.
//   - An order-0 model indexed directly by the partial byte.
//   - Direct counters of orders 1..3 (direct.go): one adaptive probability
//     per context and bit node whose rate keeps falling, so that cm
//     reaches the entropy rate of stationary sources.
//   - A match model (match.go) for the longest recent match of at least 6
//     bytes and, at levels 7..9, a second one for matches of at least 16,
//     with confidence learned per match length.
//   - Mixers (mixer.go, mixing.go) over the stretched predictions. Levels
//     7..9: three weight sets chosen by the partial byte, by the match
//     length and bit position, and by the previous byte, whose outputs a
//     final mixer (weight set by the partial byte) combines: a two-layer
//     network. Levels 1..6: one layer, its weight set chosen by the match
//     length and the partial byte. Byte classes of the last bytes refine
//     the choice (mixsel.go).
//   - APM stages (apm.go), averaged with the mixer output: by order 1 at
//     levels 1..6, by orders 0 and 1 and a hashed order 2 at levels 7..9;
//     the mixer's output and the APMs reach P(1) within 2^-13 of 0 and 1.
//
// Everything is integer or fixed-point arithmetic (logistic.go builds its
// tables with integer code), so P1 is bit-identical on every GOARCH: an
// encoder and a decoder on different machines agree.
//
// Memory is chosen by a level (New, MemoryBytes): level L uses a hash
// table of 2^(21+L) bytes, a history of 2^(18+L) bytes and match indexes
// of 2^(17+L) bytes each, direct counters of 2^(18+L) bytes up to 16 MiB,
// plus at most 20 MiB of fixed tables. Levels below 7 run the fast
// configuration (config.go: 4 of the hashed contexts, one match model,
// one mixer layer, one APM), about three times as fast as
// levels 7..9, which run all of it. A Model is solid
// over its whole input; Reset clears it in place. ByteDist gives the
// distribution of the whole next byte without changing the model
// (dist.go). See docs/FORMAT.md for
// how a model is recorded in an .ez stream.
package cm
