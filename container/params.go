package container

import (
	"fmt"
	"strings"

	"github.com/entzip/entzip/model/cm"
)

// Model names a probability model family. Its numeric value is what the
// stream header records.
type Model uint8

// The models a stream can name.
const (
	Order0 Model = iota // adaptive or semi-static order-0 frequencies
	OrderK              // order-k context model blended down to order 0
	CM                  // context mixing of many models (PAQ-style), bitwise
	LM                  // external language-model logits (WithLogits); see LMInfo
	numModels
)

var modelNames = [numModels]string{"order0", "orderk", "cm", "lm"}

// String returns the model's command-line name.
func (m Model) String() string {
	if m < numModels {
		return modelNames[m]
	}
	return fmt.Sprintf("model(%d)", uint8(m))
}

// ParseModel returns the model with the given command-line name.
func ParseModel(s string) (Model, error) {
	for i, n := range modelNames {
		if strings.EqualFold(s, n) {
			return Model(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q (known: %s)", ErrUnknownModel, s, strings.Join(modelNames[:], ", "))
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
	Model Model
	Coder Coder
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
}

// withDefaults returns p with zero fields set to their defaults.
func (p Params) withDefaults() Params {
	if p.FrameSize == 0 {
		p.FrameSize = DefaultFrameSize
		if p.Coder == Arith && !p.Static {
			p.FrameSize = DefaultArithFrameSize
		}
	}
	switch {
	case p.Static:
		p.MemBits = 0 // static codes keep no model tables
	case p.Model == OrderK && p.MemBits == 0:
		p.MemBits = defaultMemBits
	case p.Model == CM && p.Level == 0:
		p.Level = cm.DefaultLevel
	}
	return p
}

// Validate reports whether p names a model and coder that work together,
// with parameters in range. Its errors wrap ErrUnknownModel,
// ErrUnknownCoder or ErrUnsupported and say what to use instead.
func (p Params) Validate() error {
	if p.Model >= numModels {
		return fmt.Errorf("%w %d", ErrUnknownModel, p.Model)
	}
	if p.Coder >= numCoders {
		return fmt.Errorf("%w %d", ErrUnknownCoder, p.Coder)
	}
	if p.FrameSize != 0 && (p.FrameSize&(p.FrameSize-1) != 0 || p.FrameSize < 1<<MinFrameLog || p.FrameSize > 1<<MaxFrameLog) {
		return fmt.Errorf("%w: frame size %d is not a power of two between %d and %d", ErrUnsupported, p.FrameSize, 1<<MinFrameLog, 1<<MaxFrameLog)
	}
	if p.Model != CM && p.Level != 0 {
		return fmt.Errorf("%w: model %s has no memory level (got %d); memory levels belong to -m cm", ErrUnsupported, p.Model, p.Level)
	}
	if p.Model != LM && p.LM != (LMInfo{}) {
		return fmt.Errorf("%w: logits information for model %s, which uses none", ErrUnsupported, p.Model)
	}
	switch p.Model {
	case LM:
		if err := p.validateLM(); err != nil {
			return err
		}
	case CM:
		if p.Order != 0 || p.MemBits != 0 {
			return fmt.Errorf("%w: model cm takes a memory level (-1..-9), not --order or a table size", ErrUnsupported)
		}
		if p.Level != 0 && (p.Level < cm.MinLevel || p.Level > cm.MaxLevel) {
			return fmt.Errorf("%w: cm level %d out of range %d..%d", ErrUnsupported, p.Level, cm.MinLevel, cm.MaxLevel)
		}
		if p.Coder == Huffman {
			return fmt.Errorf("%w: cm predicts each bit with a probability, and a prefix code cannot spend less than a whole bit on a bit; use -e arith (or -e rans)", ErrUnsupported)
		}
		if p.Static {
			return fmt.Errorf("%w: cm is an adaptive model and has no static tables; use --adaptive", ErrUnsupported)
		}
	case Order0:
		if p.Order != 0 {
			return fmt.Errorf("%w: model order0 has no order (got %d); use -m orderk --order %d", ErrUnsupported, p.Order, p.Order)
		}
	case OrderK:
		if p.Order < minOrder || p.Order > maxOrder {
			return fmt.Errorf("%w: order %d out of range %d..%d", ErrUnsupported, p.Order, minOrder, maxOrder)
		}
		if p.MemBits != 0 && (p.MemBits < minMemBits || p.MemBits > maxMemBits) {
			return fmt.Errorf("%w: model memory 2^%d bytes out of range 2^%d..2^%d", ErrUnsupported, p.MemBits, minMemBits, maxMemBits)
		}
	}
	if p.Codewords && (p.Model != OrderK || p.Static) {
		return fmt.Errorf("%w: codewords belong to the adaptive orderk model, not to %s; drop --codewords or use -m orderk", ErrUnsupported, p)
	}
	if p.Solid && p.Static {
		return fmt.Errorf("%w: static codes keep no model state between frames, so they cannot be solid; use --adaptive", ErrUnsupported)
	}
	switch p.Coder {
	case Huffman:
		if !p.Static && p.Model != LM {
			return fmt.Errorf("%w: huffman is semi-static: it builds its code from each frame and cannot adapt symbol by symbol; use -e arith or -e rans for adaptive coding", ErrUnsupported)
		}
		if p.Model == OrderK && p.Order > 2 {
			return fmt.Errorf("%w: huffman stores one code table per context, which is only practical up to order 2 (got --order %d); use -e arith or -e rans for higher orders", ErrUnsupported, p.Order)
		}
	case Arith:
		if p.Static {
			return fmt.Errorf("%w: arith codes adaptive models; for semi-static per-frame tables use -e rans or -e huffman", ErrUnsupported)
		}
	case RANS:
		if p.Static && p.Model == OrderK && p.Order != 1 {
			return fmt.Errorf("%w: static rANS tables exist for order 0 and order 1 only (got --order %d); use adaptive rans or -e arith", ErrUnsupported, p.Order)
		}
	}
	return nil
}

// String describes p the way the command line would ask for it.
func (p Params) String() string {
	var b strings.Builder
	b.WriteString(p.Model.String())
	switch p.Model {
	case OrderK:
		fmt.Fprintf(&b, " order %d", p.Order)
	case CM:
		fmt.Fprintf(&b, " level %d", p.Level)
	case LM:
		if p.LM.Vocab != 0 {
			fmt.Fprintf(&b, " V=%d", p.LM.Vocab)
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
	b.WriteString(")")
	return b.String()
}
