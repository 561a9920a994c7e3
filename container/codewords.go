package container

import (
	"fmt"

	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/model"
)

// CodewordLengths returns the prefix code a Writer gives a frame of src
// when Params.Codewords is set (unless a solid stream keeps the previous
// frame's code): the optimal code for src's byte counts with codewords of
// at most model.MaxCodeBits bits (package-merge, see
// coder.HuffmanLengths). A byte that src lacks gets no codeword; when src
// has only one distinct byte, the next byte value (mod 256) joins it, so
// that the code is always complete.
func CodewordLengths(src []byte) *[256]uint8 {
	return codewordLengths(byteCounts(src))
}

// byteCounts returns how often each byte value occurs in src.
func byteCounts(src []byte) *[256]uint32 {
	var counts [256]uint32
	for _, b := range src {
		counts[b]++
	}
	return &counts
}

// codewordLengths is CodewordLengths for the byte counts of a frame.
func codewordLengths(counts *[256]uint32) *[256]uint8 {
	c := *counts
	used, last := 0, 0
	for b, n := range c {
		if n != 0 {
			used++
			last = b
		}
	}
	if used < 2 {
		c[(last+1)&255] = 1
	}
	lens, err := coder.HuffmanLengths(c[:], model.MaxCodeBits)
	if err != nil {
		panic(err) // 256 symbols always fit 8 bits
	}
	return (*[256]uint8)(lens)
}

// Code records. A frame of a codewords stream starts with its code: the
// description of its 256 lengths (coder.AppendCodeLengths). From version
// 4 on, and in a solid stream of every version, a kind byte comes first:
// codeNew and the description, or codeKept (solid streams only), which
// keeps the code the model had after the previous frame; from version 4
// on, codeStationary is added to the kind when the frame's bytes look
// stationary (stationary), which the model is told
// (model.OrderK.SetStationary).
const (
	codeKept       = 0
	codeNew        = 1
	codeStationary = 2
)

// A stationaryModel is a model that can be told a frame's stationary mark
// (model.OrderK.SetStationary).
type stationaryModel interface {
	SetStationary(on bool) error
}

// SetFrameCode sets on m what a Writer of this version sets for a frame
// src of a stream that is not solid: the code CodewordLengths(src), and
// whether src looks stationary if m can be told (model.OrderK.SetStationary).
// So a model outside a stream predicts src as the stream's does.
func SetFrameCode(m model.PrefixBitModel, src []byte) error {
	return newFrameCodes(m, Params{}).use(stationary(src), CodewordLengths(src))
}

// frameCodes chooses, records and reads the prefix code of each frame of
// a codewords stream (Params.Codewords) for the model m.
//
// A solid stream keeps the previous frame's code for a frame whose bytes
// all have codewords in it and would take at most 1/32 more code bits than
// with a new code, so that what the model learned stays indexed by the
// same codewords; a new code is made for all the stream's bytes so far
// (seen), so that it changes less often. The choice depends only on the
// code and the bytes, so a reader makes it again for a frame stored raw.
type frameCodes struct {
	m     model.PrefixBitModel
	hint  stationaryModel // m, if it takes the stationary mark
	solid bool
	mark  bool        // the records have a kind byte with codeStationary (version ≥ 4)
	lens  [256]uint8  // the code set on m, if set
	set   bool        // whether this stream has set a code on m yet
	seen  [256]uint32 // solid: the byte counts of the stream so far
}

// newFrameCodes returns the frameCodes of a stream with parameters p for
// the model m.
func newFrameCodes(m model.PrefixBitModel, p Params) *frameCodes {
	f := &frameCodes{m: m, solid: p.Solid, mark: p.Version == 0 || p.Version >= 4}
	f.hint, _ = m.(stationaryModel)
	return f
}

// reset forgets the code, for a new stream or a fresh model.
func (f *frameCodes) reset() {
	f.set = false
	f.seen = [256]uint32{}
}

// saw adds the byte counts of a frame of a solid stream to seen: before
// its code is chosen (writer, or a reader learning a stored frame) or
// after it was decoded (decoded), so that both sides count the same bytes
// before each choice.
func (f *frameCodes) saw(counts *[256]uint32) {
	top := uint32(0)
	for b, n := range counts {
		f.seen[b] += n // a frame has at most 2^28 bytes: no overflow
		top = max(top, f.seen[b])
	}
	if top >= seenLimit {
		// Halve, keeping every byte seen: the counts stay below 2^31.
		for b, n := range f.seen {
			f.seen[b] = (n + 1) / 2
		}
	}
}

// seenLimit bounds frameCodes.seen, which halves when a count reaches it.
const seenLimit = 1 << 30

// choose returns the code for a frame with byte counts counts and
// whether it is new. In a solid stream the frame must have been counted
// (saw).
func (f *frameCodes) choose(counts *[256]uint32) (lens *[256]uint8, fresh bool) {
	if !f.solid {
		return codewordLengths(counts), true
	}
	// A solid stream's new code fits all its bytes so far, so that it
	// changes less often.
	own := codewordLengths(&f.seen)
	if !f.set {
		return own, true
	}
	var keptBits, ownBits uint64
	for b, n := range counts {
		if n != 0 && f.lens[b] == 0 {
			return own, true // a byte without a codeword
		}
		keptBits += uint64(n) * uint64(f.lens[b])
		ownBits += uint64(n) * uint64(own[b])
	}
	if keptBits > ownBits+ownBits/32 {
		return own, true
	}
	return &f.lens, false
}

// use sets the stationary mark (if the model takes it) and then lens, if
// not nil, on the model.
func (f *frameCodes) use(stat bool, lens *[256]uint8) error {
	if f.hint != nil && f.mark {
		if err := f.hint.SetStationary(stat); err != nil {
			return err
		}
	}
	if lens == nil {
		return nil
	}
	if err := f.m.SetCode(lens); err != nil {
		return err
	}
	f.lens, f.set = *lens, true
	return nil
}

// next chooses the code and the mark of the frame src, sets them on the
// model and returns them (the code, whether it is new, the mark). A writer
// records the choice (write); a reader makes it again for a frame stored
// raw.
func (f *frameCodes) next(src []byte) (lens *[256]uint8, fresh, stat bool) {
	counts := byteCounts(src)
	if f.solid {
		f.saw(counts)
	}
	lens, fresh = f.choose(counts)
	stat = f.mark && stationary(src)
	set := lens
	if !fresh {
		set = nil
	}
	if err := f.use(stat, set); err != nil {
		panic(err) // at a frame's start, codewordLengths's complete codes of at most 8 bits
	}
	return lens, fresh, stat
}

// write sets the code of the frame src on the model and appends the
// frame's code record to dst.
func (f *frameCodes) write(dst, src []byte) []byte {
	lens, fresh, stat := f.next(src)
	if f.solid || f.mark {
		kind := byte(codeKept)
		if fresh {
			kind = codeNew
		}
		if stat {
			kind |= codeStationary
		}
		dst = append(dst, kind)
	}
	if !fresh {
		return dst
	}
	dst, err := coder.AppendCodeLengths(dst, lens)
	if err != nil {
		panic(err) // the lengths are at most 8
	}
	return dst
}

// decoded counts the bytes of a frame a reader has decoded, as the writer
// counted them before choosing its code.
func (f *frameCodes) decoded(out []byte) {
	if f.solid {
		f.saw(byteCounts(out))
	}
}

// read reads the code record at the start of a frame's payload, sets the
// code on the model and returns the rest of the payload. Once the frame
// is decoded, its bytes go to decoded.
func (f *frameCodes) read(src []byte) ([]byte, error) {
	kind := byte(codeNew)
	if f.solid || f.mark {
		if len(src) == 0 {
			return nil, fmt.Errorf("%w: frame without its code", ErrCorrupt)
		}
		kind = src[0]
		src = src[1:]
		valid := byte(codeNew)
		if f.mark {
			valid |= codeStationary
		}
		switch {
		case kind&^valid != 0:
			return nil, fmt.Errorf("%w: unknown code record kind %d", ErrCorrupt, kind)
		case kind&codeNew == 0 && !f.solid:
			return nil, fmt.Errorf("%w: frame of a stream that is not solid keeps a code", ErrCorrupt)
		case kind&codeNew == 0 && !f.set:
			return nil, fmt.Errorf("%w: frame keeps a code no frame has set", ErrCorrupt)
		}
	}
	stat := kind&codeStationary != 0
	if kind&codeNew == 0 {
		if err := f.use(stat, nil); err != nil {
			return nil, fmt.Errorf("%w: frame mark: %w", ErrCorrupt, err)
		}
		return src, nil
	}
	var lens [256]uint8
	n, err := coder.ReadCodeLengths(src, &lens)
	if err != nil {
		return nil, err
	}
	if err := f.use(stat, &lens); err != nil {
		return nil, fmt.Errorf("%w: frame code: %w", ErrCorrupt, err)
	}
	return src[n:], nil
}
