package container

import (
	"fmt"
	"strings"
)

// Model is the id of a probability model, what the stream header
// records. The built-in models are below; RegisterModel adds others (ids
// UserModelMin..UserModelMax), and ModelSpec describes each.
type Model uint8

// The built-in models.
const (
	Order0 Model = iota // adaptive or semi-static order-0 frequencies
	OrderK              // order-k context model blended down to order 0
	CM                  // context mixing of many models (PAQ-style), bitwise
	LM                  // external language-model logits (WithLogits); see LMInfo
)

// String returns the model's command-line name.
func (m Model) String() string {
	if s := lookup(m); s != nil {
		return s.Name
	}
	return fmt.Sprintf("model(%d)", uint8(m))
}

// ParseModel returns the registered model with the given command-line
// name.
func ParseModel(s string) (Model, error) {
	specs := Models()
	var names []string
	for _, sp := range specs {
		if strings.EqualFold(s, sp.Name) {
			return sp.ID, nil
		}
		names = append(names, sp.Name)
	}
	return 0, fmt.Errorf("%w %q (known: %s)", ErrUnknownModel, s, strings.Join(names, ", "))
}

// Coder names an entropy coder. Its numeric value is what the stream header
// records.
type Coder uint8

// The coders a stream can name.
const (
	Huffman Coder = iota // canonical length-limited Huffman, semi-static per frame
	Arith                // range (arithmetic) coder, adaptive
	RANS                 // rANS: static per-frame tables or adaptive
	numCoders
)

var coderNames = [numCoders]string{"huffman", "arith", "rans"}

// String returns the coder's command-line name.
func (c Coder) String() string {
	if c < numCoders {
		return coderNames[c]
	}
	return fmt.Sprintf("coder(%d)", uint8(c))
}

// ParseCoder returns the coder with the given command-line name.
func ParseCoder(s string) (Coder, error) {
	for i, n := range coderNames {
		if strings.EqualFold(s, n) {
			return Coder(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q (known: %s)", ErrUnknownCoder, s, strings.Join(coderNames[:], ", "))
}

// Frame size limits. A frame holds at most FrameSize raw bytes; the header
// records FrameSize as a power of two so a reader knows its largest
// allocation before reading any frame.
const (
	MinFrameLog      = 12 // 4 KiB
	MaxFrameLog      = 28 // 256 MiB
	DefaultFrameSize = 1 << 20
	// DefaultArithFrameSize is the default for adaptive models with the
	// range coder, which buffers nothing: longer frames let the model learn
	// longer (bible.txt at -6: 2.4 % smaller than with 1 MiB frames).
	DefaultArithFrameSize = 4 << 20
)

// Params is what a stream header records: everything a reader needs to
// rebuild the model and the coder.
type Params struct {
	// Version is the format version of a stream read from an older
	// version (MinVersion..Version-1), whose models keep the estimators of
	// that version; 0 for the current version, which writers write.
	Version int
	Model   Model
	Coder   Coder
	// Order is the context order of OrderK (1..8); 0 for Order0.
	Order int
	// Level is the memory level of CM (1..9; see cm.MemoryBytes); 0
	// selects cm.DefaultLevel. Other models record 0.
	Level int
	// MemBits is log2 of the table memory of adaptive OrderK in bytes; 0
	// selects the model's default. Static coding keeps no model tables and
	// records 0.
	MemBits int
	// Static selects semi-static coding: tables built from each frame and
	// stored in it. Huffman is always static; RANS has a static fast path
	// for order 0 and order 1; adaptive models are not static.
	Static bool
	// Solid carries the model's state from frame to frame, so that it
	// learns from the whole stream; frames then decode only in order.
	// Without it every frame starts from a fresh model. Static codes have
	// no model state and are never solid.
	Solid bool
	// Codewords (adaptive OrderK only) codes each byte as the bits of its
	// codeword in a prefix code rather than as its 8 bits: every frame
	// starts with the code, a length-limited Huffman code of the frame's
	// bytes (CodewordLengths), so frequent bytes take fewer predictions.
	// On text that makes orderk about 1.3 times as fast and slightly
	// better. A solid stream keeps a frame's code for the next frames
	// while it fits them (see docs/FORMAT.md). Writers set it for
	// adaptive orderk that is not solid unless WithCodewords says
	// otherwise.
	Codewords bool
	// FrameSize is the largest number of raw bytes in one frame, a power of
	// two between 1<<MinFrameLog and 1<<MaxFrameLog; 0 selects
	// DefaultArithFrameSize for adaptive coding with Arith and
	// DefaultFrameSize otherwise.
	FrameSize int
	// LM describes the logits an LM stream was coded with; zero for the
	// other models. A Writer fills it in from WithLogits.
	LM LMInfo
	// Restart, in a solid stream, starts the model afresh every Restart
	// frames (at least 2), so that the stream can be entered, and decoded
	// in parallel, at every Restart-th frame (WithRestart); 0 means never.
	Restart int
	// Dict is the id of the dictionary the model is primed with before
	// the first frame (WithDictionary), 0 for none.
	Dict uint64
	// Text transforms every frame that looks like text before the model
	// sees it (WithTextTransform): words become codes from a dictionary
	// the frame carries, capitals a flag and the lower-case letter. The
	// cm presets (levels 6..9) set it.
	Text bool
}

// withDefaults returns p with zero fields set to their defaults.
func (p Params) withDefaults() Params {
	if p.FrameSize == 0 {
		p.FrameSize = DefaultFrameSize
		if p.Coder == Arith && !p.Static {
			p.FrameSize = DefaultArithFrameSize
		}
	}
	s := lookup(p.Model)
	switch {
	case p.Static:
		p.MemBits = 0 // static codes keep no model tables
	case s == nil:
	case s.MemBits != nil && p.MemBits == 0:
		p.MemBits = s.MemBits.Default
	}
	if s != nil && s.Level != nil && p.Level == 0 {
		p.Level = s.Level.Default
	}
	return p
}

// Validate reports whether p names a model and coder that work together,
// with parameters in range. Its errors wrap ErrUnknownModel,
// ErrUnknownCoder or ErrUnsupported and say what to use instead.
func (p Params) Validate() error {
	s, err := spec(p.Model)
	if err != nil {
		return err
	}
	if p.Coder >= numCoders {
		return fmt.Errorf("%w %d", ErrUnknownCoder, p.Coder)
	}
	if p.FrameSize != 0 && (p.FrameSize&(p.FrameSize-1) != 0 || p.FrameSize < 1<<MinFrameLog || p.FrameSize > 1<<MaxFrameLog) {
		return fmt.Errorf("%w: frame size %d is not a power of two between %d and %d", ErrUnsupported, p.FrameSize, 1<<MinFrameLog, 1<<MaxFrameLog)
	}
	if err := s.checkParams(p); err != nil {
		return err
	}
	if s.Resolve == nil && p.LM != (LMInfo{}) {
		return fmt.Errorf("%w: logits information for model %s, which uses none", ErrUnsupported, s.Name)
	}
	if s.Check != nil {
		if err := s.Check(p); err != nil {
			return err
		}
	}
	if _, err := s.mode(p); err != nil {
		return err
	}
	if err := s.checkStream(p); err != nil {
		return err
	}
	switch {
	case p.Codewords && (!s.Codewords || p.Static):
		return fmt.Errorf("%w: codewords belong to the adaptive orderk model, not to %s; drop --codewords or use -m orderk", ErrUnsupported, p)
	case p.Solid && p.Static:
		return fmt.Errorf("%w: static codes keep no model state between frames, so they cannot be solid; use --adaptive", ErrUnsupported)
	case p.Solid && s.NoSolid != "":
		return fmt.Errorf("%w: %s", ErrUnsupported, s.NoSolid)
	case p.Text && (p.Static || s.NewFramer != nil):
		return fmt.Errorf("%w: the text transform feeds an adaptive model bytes; %s codes %s, use --no-text", ErrUnsupported, s.Name, map[bool]string{true: "static tables", false: "units of its own"}[p.Static])
	}
	return nil
}

// checkParams checks p's order, level and memory against the model's
// ranges.
func (s *ModelSpec) checkParams(p Params) error {
	if s.Order == nil && p.Order != 0 {
		return fmt.Errorf("%w: model %s has no order (got %d)%s%s", ErrUnsupported, s.Name, p.Order, s.takes(), hintModelWith(func(t *ModelSpec) bool { return t.Order != nil }, fmt.Sprintf(" --order %d", p.Order)))
	}
	if s.Level == nil && p.Level != 0 {
		return fmt.Errorf("%w: model %s has no memory level (got %d)%s%s", ErrUnsupported, s.Name, p.Level, s.takes(), hintModelWith(func(t *ModelSpec) bool { return t.Level != nil }, ""))
	}
	if s.MemBits == nil && p.MemBits != 0 {
		return fmt.Errorf("%w: model %s has no table size (got 2^%d bytes)%s", ErrUnsupported, s.Name, p.MemBits, s.takes())
	}
	if r := s.Order; r != nil && (p.Order < r.Min || p.Order > r.Max) {
		return fmt.Errorf("%w: order %d out of range %d..%d", ErrUnsupported, p.Order, r.Min, r.Max)
	}
	if r := s.Level; r != nil && p.Level != 0 && (p.Level < r.Min || p.Level > r.Max) {
		return fmt.Errorf("%w: %s level %d out of range %d..%d", ErrUnsupported, s.Name, p.Level, r.Min, r.Max)
	}
	if r := s.MemBits; r != nil && p.MemBits != 0 && (p.MemBits < r.Min || p.MemBits > r.Max) {
		return fmt.Errorf("%w: model memory 2^%d bytes out of range 2^%d..2^%d", ErrUnsupported, p.MemBits, r.Min, r.Max)
	}
	return nil
}

// takes says, for a message refusing a parameter, what the model takes.
func (s *ModelSpec) takes() string {
	switch {
	case s.Order != nil:
		return fmt.Sprintf("; it takes an order %d..%d", s.Order.Min, s.Order.Max)
	case s.Level != nil:
		return fmt.Sprintf("; it takes a memory level %d..%d (-%d..-%d)", s.Level.Min, s.Level.Max, s.Level.Min, s.Level.Max)
	case s.Summary != "":
		return " (" + s.Name + ": " + s.Summary + ")"
	}
	return ""
}

// hintModelWith returns "; use -m NAME" + flags for the first registered
// model that has, or "" if none.
func hintModelWith(has func(*ModelSpec) bool, flags string) string {
	for _, t := range Models() {
		if has(&t) {
			return "; use -m " + t.Name + flags
		}
	}
	return ""
}

// String describes p the way the command line would ask for it.
func (p Params) String() string {
	var b strings.Builder
	b.WriteString(p.Model.String())
	if s := lookup(p.Model); s != nil {
		switch {
		case s.Order != nil:
			fmt.Fprintf(&b, " order %d", p.Order)
		case s.Level != nil:
			fmt.Fprintf(&b, " level %d", p.Level)
		}
		if s.Describe != nil {
			b.WriteString(s.Describe(p))
		}
	}
	b.WriteString(" + ")
	b.WriteString(p.Coder.String())
	switch {
	case p.Static:
		b.WriteString(" (static)")
		return b.String()
	case p.Solid:
		b.WriteString(" (adaptive, solid")
	default:
		b.WriteString(" (adaptive")
	}
	if p.Codewords {
		b.WriteString(", codewords")
	}
	if p.Restart > 0 {
		fmt.Fprintf(&b, ", restart every %d frames", p.Restart)
	}
	if p.Dict != 0 {
		fmt.Fprintf(&b, ", dictionary %016x", p.Dict)
	}
	if p.Text {
		b.WriteString(", text")
	}
	b.WriteString(")")
	return b.String()
}
