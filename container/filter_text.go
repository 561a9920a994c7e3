package container

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
)

// The text filter: a reversible transform a Writer applies to a frame
// before the model sees it, and a Reader undoes after decoding
// (docs/FORMAT.md, "Text frames"). Words become codes from a dictionary
// built from the data itself, capital letters a flag before the lower-case
// word, and bytes the transform uses for itself are escaped, so the model
// sees a shorter stream whose contexts span more words. In format version
// 4 a run's dictionary starts with the built-in seed list
// (filter_text_seed.go), so common English words have codes in any text
// without the frame storing them.
//
// A word is a maximal run of word bytes: ASCII letters and the bytes
// 0x80..0xFF that are not special (so UTF-8 letters belong to words). The
// transform chooses, per run of frames, an alphabet of special bytes:
//
//	esc    the next byte is literal
//	cap    the next letter (or the first letter of the next code's word)
//	       is upper case
//	upper  every ASCII letter of the next word (literal or code) is upper
//	       case
//	codes  m code bytes: a code number k < s is the byte codes[k]; the
//	       next p2·m numbers are a prefix byte codes[s+i] and any code
//	       byte; the p3·m² after them a prefix byte codes[s+p2+i] and two
//	       code bytes (p3 = m − s − p2)
//
// A byte that is special in the input is escaped. A word whose lower-case
// form is in the dictionary, with no capital letter, only the first, or
// only capitals (at least two), becomes its flag and code; any other word
// stays literal, lower case, each capital letter after a cap flag (an
// all-capitals word after one upper flag). Capitals 'A'..'Z' never occur
// in the output otherwise, so they are free to be code bytes: cm's word
// model folds them to letters and so hashes a code like a short word.

const (
	textMinFrame   = 32 << 10 // shorter frames stay plain
	textMinCount   = 64       // fewest occurrences of a word in the frame that adds it
	textMaxWordLen = 40       // longest dictionary word in bytes
	textMinWordLen = 2        // shortest dictionary word
	textMaxWords   = 1 << 16  // dictionary words in a run of frames
	textMinCoded   = 1024     // a transformed frame has a coded word per textMinCoded bytes, at least
	textSep        = '\n'     // ends each new dictionary word
)

// Frame kinds of a stream with the text flag: the first payload byte.
const (
	textPlain    = 0 // the codec's payload of the raw bytes follows
	textCoded    = 1 // transformed with the run's alphabet
	textAlphabet = 2 // transformed with the alphabet that follows
	textX86      = 3 // machine code through the x86 filter (filter_x86.go); format version 4
	textPacked   = 4 // at most 4 byte values, packed 3 to a byte (filter_pack.go); version 4
	textSeeded   = 5 // as textAlphabet, the dictionary starting with seed words (filter_text_seed.go); version 4
	textKinds    = 6 // the kinds a version-4 reader knows
)

// textKindsV3 is the number of kinds a stream of format version 1..3 has.
const textKindsV3 = textAlphabet + 1

// textAlpha is an alphabet of special bytes.
type textAlpha struct {
	esc, cap, upper byte
	codes           []byte
	s, p2           int // single-byte codes, prefixes of two-byte codes
	special         [256]bool
	codeIndex       [256]int16 // position in codes, or -1
}

// setup fills in special and codeIndex from the other fields and checks
// them.
func (a *textAlpha) setup() error {
	m := len(a.codes)
	if m < 1 || m > 253 || a.s+a.p2 > m || a.s < 0 || a.p2 < 0 {
		return fmt.Errorf("%w: text alphabet of %d code bytes, %d single, %d prefixes", ErrCorrupt, m, a.s, a.p2)
	}
	for i := range a.codeIndex {
		a.codeIndex[i] = -1
		a.special[i] = false
	}
	for i, b := range append([]byte{a.esc, a.cap, a.upper}, a.codes...) {
		if b >= 'a' && b <= 'z' || a.special[b] || b == textSep {
			return fmt.Errorf("%w: text alphabet byte %#02x repeated, a letter or the separator", ErrCorrupt, b)
		}
		a.special[b] = true
		if i >= 3 {
			a.codeIndex[b] = int16(i - 3)
		}
	}
	return nil
}

// capacity is how many code numbers the alphabet has.
func (a *textAlpha) capacity() int {
	m := len(a.codes)
	return min(a.s+a.p2*m+(m-a.s-a.p2)*m*m, textMaxWords)
}

// appendCode appends the bytes of code number k.
func (a *textAlpha) appendCode(dst []byte, k int) []byte {
	m := len(a.codes)
	if k < a.s {
		return append(dst, a.codes[k])
	}
	if k -= a.s; k < a.p2*m {
		return append(dst, a.codes[a.s+k/m], a.codes[k%m])
	}
	k -= a.p2 * m
	return append(dst, a.codes[a.s+a.p2+k/(m*m)], a.codes[k/m%m], a.codes[k%m])
}

// isWord reports whether raw byte b belongs to words.
func (a *textAlpha) isWord(b byte) bool {
	return b|0x20 >= 'a' && b|0x20 <= 'z' || b >= 0x80 && !a.special[b]
}

// appendWire appends the alphabet as a textAlphabet frame carries it:
// esc, cap, upper, m, s, p2, the m code bytes.
func (a *textAlpha) appendWire(dst []byte) []byte {
	dst = append(dst, a.esc, a.cap, a.upper, byte(len(a.codes)), byte(a.s), byte(a.p2))
	return append(dst, a.codes...)
}

// appendCompactWire appends the alphabet as a textSeeded frame carries
// it: esc, cap, upper, then a bitmap of the code bytes (bit b&7 of byte
// b>>3 for byte b). Its codes must be in canonical order (compactCodes)
// and laid out by textLayout, as chooseTextAlpha makes them.
func (a *textAlpha) appendCompactWire(dst []byte) []byte {
	var bits [32]byte
	for _, b := range a.codes {
		bits[b>>3] |= 1 << (b & 7)
	}
	return append(append(dst, a.esc, a.cap, a.upper), bits[:]...)
}

// compactCodes returns the code bytes of a bitmap in canonical order: the
// bytes 0x80..0xFF, then 'A'..'Z', then the other bytes below 0x80, each
// group ascending.
func compactCodes(bits []byte) []byte {
	var codes []byte
	in := func(b int) bool { return bits[b>>3]&(1<<(b&7)) != 0 }
	for b := 0x80; b < 0x100; b++ {
		if in(b) {
			codes = append(codes, byte(b))
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		if in(int(b)) {
			codes = append(codes, byte(b))
		}
	}
	for b := 0; b < 0x80; b++ {
		if in(b) && (b < 'A' || b > 'Z') {
			codes = append(codes, byte(b))
		}
	}
	return codes
}

// parseCompactAlpha reads what appendCompactWire wrote from the front of
// src.
func parseCompactAlpha(src []byte) (*textAlpha, []byte, error) {
	if len(src) < 3+32 {
		return nil, nil, fmt.Errorf("%w: text alphabet truncated", ErrCorrupt)
	}
	a := &textAlpha{esc: src[0], cap: src[1], upper: src[2], codes: compactCodes(src[3:35])}
	a.s, a.p2 = textLayout(len(a.codes))
	if err := a.setup(); err != nil {
		return nil, nil, err
	}
	return a, src[35:], nil
}

// parseTextAlpha reads an alphabet from the front of src.
func parseTextAlpha(src []byte) (*textAlpha, []byte, error) {
	if len(src) < 6 || len(src) < 6+int(src[3]) {
		return nil, nil, fmt.Errorf("%w: text alphabet truncated", ErrCorrupt)
	}
	m := int(src[3])
	a := &textAlpha{esc: src[0], cap: src[1], upper: src[2], s: int(src[4]), p2: int(src[5]), codes: slices.Clone(src[6 : 6+m])}
	if err := a.setup(); err != nil {
		return nil, nil, err
	}
	return a, src[6+m:], nil
}

// chooseTextAlpha picks an alphabet for data with byte histogram hist:
// as code bytes the bytes 0x80..0xFF the data lacks, then the capitals,
// then the control bytes it lacks; the flags are the rarest bytes that are not
// letters, control bytes first.
func chooseTextAlpha(hist *[256]int) *textAlpha {
	var taken [256]bool
	for c := 'a'; c <= 'z'; c++ {
		taken[c] = true
	}
	taken[textSep] = true
	for c := 'A'; c <= 'Z'; c++ {
		taken[c] = true
	}
	// Flags: the rarest non-letter bytes, control bytes winning ties.
	order := make([]int, 0, 256)
	for b := 0; b < 256; b++ {
		if !taken[b] {
			order = append(order, b)
		}
	}
	rank := func(b int) int {
		if b < 0x20 {
			return 0
		}
		if b >= 0x80 {
			return 1
		}
		return 2
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(hist[x], hist[y]), cmp.Compare(rank(x), rank(y)))
	})
	a := &textAlpha{esc: byte(order[0]), cap: byte(order[1]), upper: byte(order[2])}
	for _, b := range order[3:] {
		if hist[b] == 0 && b >= 0x80 && len(a.codes) < 253 {
			a.codes = append(a.codes, byte(b))
		}
	}
	for c := byte('A'); c <= 'Z'; c++ {
		a.codes = append(a.codes, c)
	}
	for _, b := range order[3:] {
		if hist[b] == 0 && b < 0x80 && len(a.codes) < 253 {
			a.codes = append(a.codes, byte(b))
		}
	}
	a.s, a.p2 = textLayout(len(a.codes))
	if err := a.setup(); err != nil {
		panic(err) // cannot happen: the bytes are distinct and not letters
	}
	return a
}

// textLayout splits m code bytes into single-byte codes and prefixes of
// two-byte codes; the rest are prefixes of three-byte codes.
func textLayout(m int) (s, p2 int) {
	s = m / 4
	p2 = m - s - max(m/8, 1)
	return s, p2
}

// textState is what the transform keeps from frame to frame of a solid
// run: the alphabet and the dictionary.
type textState struct {
	alpha *textAlpha
	words [][]byte         // by code number
	index map[string]int32 // lower-case word → code number
	seeds bool             // a writer starts runs with the seed list (textSeeded)
	// scratch
	counts map[string]int32
	hist   [256]int
}

func (t *textState) reset() {
	t.alpha = nil
	t.words = t.words[:0]
	clear(t.index)
}

// add gives w (lower case, kept) the next code number.
func (t *textState) add(w []byte) {
	if t.index == nil {
		t.index = make(map[string]int32)
	}
	t.index[string(w)] = int32(len(t.words))
	t.words = append(t.words, w)
}

// textFrame is the transform's decision for one frame.
type textFrame struct {
	kind  byte
	alpha *textAlpha // the alphabet, new or the run's
	added int        // new dictionary words
	seed  int        // words from the seed list, before the new words (textSeeded)
	syms  []byte     // the values of a packed frame
}

// isText reports whether a frame with histogram hist of n bytes looks like
// text: few control bytes other than tab, line feed, form feed and
// carriage return, and a fair share of letters.
func isText(hist *[256]int, n int) bool {
	ctl, letters := 0, 0
	for b := 0; b < 0x20; b++ {
		switch b {
		case '\t', '\n', '\f', '\r':
		default:
			ctl += hist[b]
		}
	}
	ctl += hist[0x7F]
	for b := 'A'; b <= 'Z'; b++ {
		letters += hist[b] + hist[b+0x20]
	}
	return ctl <= n/128 && letters >= n/4
}

// forward transforms src with the run's state t into dst (which it
// returns, grown) and updates t with the words it adds; kind is textPlain
// when the frame stays as it is (dst then unchanged).
func (t *textState) forward(dst, src []byte) ([]byte, textFrame) {
	plain := textFrame{kind: textPlain}
	if len(src) < textMinFrame {
		return dst, plain
	}
	hist := &t.hist
	*hist = [256]int{}
	for _, b := range src {
		hist[b]++
	}
	if !isText(hist, len(src)) {
		return dst, plain
	}
	f := textFrame{kind: textCoded, alpha: t.alpha}
	if f.alpha == nil {
		f.kind = textAlphabet
		f.alpha = chooseTextAlpha(hist)
	}
	a := f.alpha
	escaped := 0
	for b := range 256 {
		if a.special[b] && (b < 'A' || b > 'Z') {
			escaped += hist[b]
		}
	}
	if escaped > len(src)/64 {
		return dst, plain
	}
	if f.kind == textAlphabet && t.seeds {
		// The run starts here, so its dictionary is empty: the seed
		// words take the first numbers.
		f.kind, f.seed = textSeeded, min(len(textSeedWords()), a.capacity())
		for _, w := range textSeedWords()[:f.seed] {
			t.add(w)
		}
	}
	newWords, coded := t.selectWords(src, a)
	// Version 4 (t.seeds) wants a coded word per textMinCoded bytes;
	// versions 1..3 took any frame that got or had a dictionary, and a
	// reader repeating their choice for a stored frame (Learn) must too.
	if t.seeds && coded < len(src)/textMinCoded || !t.seeds && len(newWords) == 0 && len(t.words) == 0 {
		if f.alpha != t.alpha {
			t.reset() // the seed words of a run that has not started
		}
		return dst, plain
	}
	// Commit: the alphabet and the new words join the run's state.
	start := len(dst)
	t.alpha = a
	for _, w := range newWords {
		t.add(w)
		dst = append(append(dst, w...), textSep)
	}
	f.added = len(newWords)
	dst = t.encodeText(dst, src, a)
	if len(dst)-start > textMaxLen(len(src)) {
		panic("container: text transform longer than textMaxLen") // cannot happen: see textMaxLen
	}
	return dst, f
}

// selectWords counts the words of src that the dictionary lacks and
// returns those worth a code (most valuable first, alphabetical within a
// code length) and how many of the frame's words would then be codes.
func (t *textState) selectWords(src []byte, a *textAlpha) ([][]byte, int) {
	room := max(a.capacity()-len(t.words), 0)
	if t.counts == nil {
		t.counts = make(map[string]int32)
	}
	counts := t.counts
	clear(counts)
	var low [textMaxWordLen]byte
	coded := 0
	for i := 0; i < len(src); {
		if !a.isWord(src[i]) {
			i++
			continue
		}
		j := i
		for j < len(src) && a.isWord(src[j]) {
			j++
		}
		if w := src[i:j]; len(w) >= textMinWordLen && len(w) <= textMaxWordLen && casePattern(w) != caseMixed {
			l := lower(low[:0], w)
			if _, ok := t.index[string(l)]; ok {
				coded++
			} else {
				counts[string(l)]++
			}
		}
		i = j
	}
	type cand struct {
		w string
		n int32
	}
	var cands []cand
	for w, n := range counts {
		if n >= textMinCount {
			cands = append(cands, cand{w, n})
		}
	}
	slices.SortFunc(cands, func(x, y cand) int {
		// more valuable first: occurrences × bytes saved
		vx, vy := int64(x.n)*int64(len(x.w)-1), int64(y.n)*int64(len(y.w)-1)
		return cmp.Or(cmp.Compare(vy, vx), cmp.Compare(x.w, y.w))
	})
	if len(cands) > room {
		cands = cands[:room]
	}
	out := make([][]byte, len(cands))
	for i, c := range cands {
		out[i] = []byte(c.w)
		coded += int(c.n)
	}
	// Alphabetical within each code length: neighbours in spelling share
	// the first code byte, and the dictionary compresses better.
	m, lo := len(a.codes), 0
	for _, end := range []int{a.s, a.s + a.p2*m, a.capacity()} {
		hi := min(max(end-len(t.words), 0), len(out))
		if hi > lo {
			slices.SortFunc(out[lo:hi], bytes.Compare)
			lo = hi
		}
	}
	return out, coded
}

// Case patterns of a word.
const (
	caseLower = iota // no capital
	caseFirst        // only the first byte is a capital
	caseUpper        // at least two capitals, no lower-case letter
	caseMixed        // anything else
)

func casePattern(w []byte) int {
	up, lo := 0, 0
	for _, b := range w {
		switch {
		case b >= 'A' && b <= 'Z':
			up++
		case b >= 'a' && b <= 'z':
			lo++
		}
	}
	switch {
	case up == 0:
		return caseLower
	case up == 1 && w[0] <= 'Z' && w[0] >= 'A':
		return caseFirst
	case up >= 2 && lo == 0:
		return caseUpper
	}
	return caseMixed
}

// lower appends w with ASCII capitals made lower case.
func lower(dst, w []byte) []byte {
	for _, b := range w {
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		dst = append(dst, b)
	}
	return dst
}

// encodeText appends the transformed text of src.
func (t *textState) encodeText(dst, src []byte, a *textAlpha) []byte {
	var low [textMaxWordLen]byte
	for i := 0; i < len(src); {
		b := src[i]
		if !a.isWord(b) {
			if a.special[b] {
				dst = append(dst, a.esc)
			}
			dst = append(dst, b)
			i++
			continue
		}
		j := i
		for j < len(src) && a.isWord(src[j]) {
			j++
		}
		w := src[i:j]
		i = j
		pat := casePattern(w)
		if pat != caseMixed && len(w) <= textMaxWordLen {
			if k, ok := t.index[string(lower(low[:0], w))]; ok {
				switch pat {
				case caseFirst:
					dst = append(dst, a.cap)
				case caseUpper:
					dst = append(dst, a.upper)
				}
				dst = a.appendCode(dst, int(k))
				continue
			}
		}
		switch pat {
		case caseLower:
			dst = append(dst, w...)
		case caseFirst:
			dst = append(dst, a.cap)
			dst = lower(dst, w)
		case caseUpper:
			dst = append(dst, a.upper)
			dst = lower(dst, w)
		default:
			for _, c := range w {
				if c >= 'A' && c <= 'Z' {
					dst = append(dst, a.cap, c+'a'-'A')
				} else {
					dst = append(dst, c)
				}
			}
		}
	}
	return dst
}

// inverse appends to dst the n raw bytes of a transformed frame src
// (dictionary words first, then the text) of kind f, updating the run's
// state t with the words it adds. Corrupt input is an error wrapping
// ErrCorrupt; the output never exceeds n bytes.
func (t *textState) inverse(dst, src []byte, f textFrame, n int) ([]byte, error) {
	a := f.alpha
	if f.seed+f.added > a.capacity()-len(t.words) { // capacity is at most textMaxWords
		return dst, fmt.Errorf("%w: text frame adds %d words to %d, the alphabet codes %d", ErrCorrupt, f.seed+f.added, len(t.words), a.capacity())
	}
	for _, w := range textSeedWords()[:f.seed] { // only a run's first frame has seed words
		t.add(w)
	}
	for range f.added {
		k := 0
		for k < len(src) && src[k] != textSep {
			k++
		}
		w := src[:k]
		if k == len(src) || k < 1 || k > textMaxWordLen {
			return dst, fmt.Errorf("%w: text dictionary word of %d bytes", ErrCorrupt, k)
		}
		for _, b := range w {
			if !a.isWord(b) || b >= 'A' && b <= 'Z' {
				return dst, fmt.Errorf("%w: text dictionary byte %#02x", ErrCorrupt, b)
			}
		}
		t.add(slices.Clone(w))
		src = src[k+1:]
	}
	t.alpha = a
	start := len(dst)
	dst = slices.Grow(dst, n)
	m := len(a.codes)
	full := fmt.Errorf("%w: text frame decodes to more than %d bytes", ErrCorrupt, n)
	for i := 0; i < len(src); {
		b := src[i]
		i++
		if !a.special[b] {
			if len(dst)-start >= n {
				return dst, full
			}
			dst = append(dst, b)
			continue
		}
		caseOf := caseLower
		switch b {
		case a.esc:
			if i == len(src) || len(dst)-start >= n {
				return dst, fmt.Errorf("%w: text escape at the end", ErrCorrupt)
			}
			dst = append(dst, src[i])
			i++
			continue
		case a.cap, a.upper:
			caseOf = caseFirst
			if b == a.upper {
				caseOf = caseUpper
			}
			if i == len(src) {
				return dst, fmt.Errorf("%w: text case flag at the end", ErrCorrupt)
			}
			b = src[i]
			i++
			if a.codeIndex[b] < 0 {
				// a literal word: a letter after cap, any word byte after upper
				if (b < 'a' || b > 'z') && (caseOf == caseFirst || a.special[b] || !a.isWord(b)) {
					return dst, fmt.Errorf("%w: text case flag before byte %#02x", ErrCorrupt, b)
				}
				if b >= 'a' && b <= 'z' {
					b -= 'a' - 'A'
				}
				if len(dst)-start >= n {
					return dst, full
				}
				dst = append(dst, b)
				if caseOf == caseUpper {
					for i < len(src) && !a.special[src[i]] && a.isWord(src[i]) {
						c := src[i]
						if c >= 'a' && c <= 'z' {
							c -= 'a' - 'A'
						}
						if len(dst)-start >= n {
							return dst, full
						}
						dst = append(dst, c)
						i++
					}
				}
				continue
			}
		}
		// a code starting with b
		k := int(a.codeIndex[b])
		switch {
		case k < a.s:
		case k < a.s+a.p2:
			if i+1 > len(src) || a.codeIndex[src[i]] < 0 {
				return dst, fmt.Errorf("%w: text code truncated", ErrCorrupt)
			}
			k = a.s + (k-a.s)*m + int(a.codeIndex[src[i]])
			i++
		default:
			if i+2 > len(src) || a.codeIndex[src[i]] < 0 || a.codeIndex[src[i+1]] < 0 {
				return dst, fmt.Errorf("%w: text code truncated", ErrCorrupt)
			}
			k = a.s + a.p2*m + ((k-a.s-a.p2)*m+int(a.codeIndex[src[i]]))*m + int(a.codeIndex[src[i+1]])
			i += 2
		}
		if k >= len(t.words) {
			return dst, fmt.Errorf("%w: text code %d, dictionary has %d words", ErrCorrupt, k, len(t.words))
		}
		w := t.words[k]
		if len(dst)-start+len(w) > n {
			return dst, full
		}
		o := len(dst)
		dst = append(dst, w...)
		switch caseOf {
		case caseFirst:
			if dst[o] < 'a' || dst[o] > 'z' {
				return dst, fmt.Errorf("%w: text capital flag before a word without a letter first", ErrCorrupt)
			}
			dst[o] -= 'a' - 'A'
		case caseUpper:
			for j := o; j < len(dst); j++ {
				if dst[j] >= 'a' && dst[j] <= 'z' {
					dst[j] -= 'a' - 'A'
				}
			}
		}
	}
	if len(dst)-start != n {
		return dst, fmt.Errorf("%w: text frame decodes to %d bytes, want %d", ErrCorrupt, len(dst)-start, n)
	}
	return dst, nil
}

// appendTextHeader appends the part of a text frame's payload before the
// codec's: kind, and for transformed frames the transformed length, the
// number of new words, the number of seed words and a new alphabet, as
// the kind has them (an x86 frame has the kind alone: its filtered bytes
// are as many as its raw bytes; a packed frame its values).
func appendTextHeader(dst []byte, f textFrame, tlen int) []byte {
	dst = append(dst, f.kind)
	switch f.kind {
	case textPlain, textX86:
		return dst
	case textPacked:
		return appendPackSymbols(dst, f.syms)
	}
	dst = binary.AppendUvarint(dst, uint64(tlen))
	dst = binary.AppendUvarint(dst, uint64(f.added))
	if f.kind == textSeeded {
		dst = binary.AppendUvarint(dst, uint64(f.seed))
	}
	switch f.kind {
	case textAlphabet:
		dst = f.alpha.appendWire(dst)
	case textSeeded:
		dst = f.alpha.appendCompactWire(dst)
	}
	return dst
}

// parseTextHeader reads what appendTextHeader wrote, for a frame of n raw
// bytes, with the run's alphabet cur (nil if none yet), in a stream whose
// frames have kinds below kinds (textKinds, or textKindsV3 in a stream of
// an older format version); it returns the frame, the transformed length
// and the codec's payload.
func parseTextHeader(src []byte, n int, cur *textAlpha, kinds byte) (textFrame, int, []byte, error) {
	if len(src) == 0 {
		return textFrame{}, 0, nil, fmt.Errorf("%w: empty text frame", ErrCorrupt)
	}
	f := textFrame{kind: src[0]}
	src = src[1:]
	switch {
	case f.kind >= kinds:
		return f, 0, nil, fmt.Errorf("%w: unknown frame filter kind %d (this stream's format knows kinds 0..%d)", ErrCorrupt, f.kind, kinds-1)
	case f.kind == textPlain, f.kind == textX86:
		return f, n, src, nil
	case f.kind == textPacked:
		var err error
		f.syms, src, err = parsePackSymbols(src)
		return f, packLen(n), src, err
	}
	tlen, k := binary.Uvarint(src)
	if k <= 0 || tlen == 0 || tlen > uint64(textMaxLen(n)) {
		return f, 0, nil, fmt.Errorf("%w: transformed length of a text frame of %d bytes", ErrCorrupt, n)
	}
	src = src[k:]
	added, k := binary.Uvarint(src)
	if k <= 0 || added > textMaxWords {
		return f, 0, nil, fmt.Errorf("%w: text frame's new words", ErrCorrupt)
	}
	src = src[k:]
	f.added = int(added)
	if f.kind == textSeeded {
		seed, k := binary.Uvarint(src)
		if k <= 0 || seed > uint64(len(textSeedWords())) {
			return f, 0, nil, fmt.Errorf("%w: text frame's seed words", ErrCorrupt)
		}
		src, f.seed = src[k:], int(seed)
	}
	f.alpha = cur
	if f.kind != textCoded {
		if cur != nil {
			return f, 0, nil, fmt.Errorf("%w: a second text alphabet in a run", ErrCorrupt)
		}
		parse := parseTextAlpha
		if f.kind == textSeeded {
			parse = parseCompactAlpha
		}
		var err error
		if f.alpha, src, err = parse(src); err != nil {
			return f, 0, nil, err
		}
	} else if cur == nil {
		return f, 0, nil, fmt.Errorf("%w: text frame before the run's alphabet", ErrCorrupt)
	}
	return f, int(tlen), src, nil
}

// textMaxLen bounds the transformed length of a frame of n bytes: every
// byte escaped or flagged, and the dictionary words.
// A word joins the dictionary only if it occurs textMinCount times in the
// frame, so the new words take less than half its bytes.
func textMaxLen(n int) int { return 3 * n }
