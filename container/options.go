package container

import (
	"fmt"
	"runtime"
)

// writerSettings collects WriterOptions before they become Params.
type writerSettings struct {
	p           Params
	preset      int // the WithLevel given, 0 if none
	modelSet    bool
	orderSet    bool
	staticSet   bool
	solidSet    bool
	codeSet     bool // WithCodewords or WithParams
	concurrency int
	res         Resources      // WithLogits
	cost        *Cost          // WithCost
	stream      streamSettings // WithRestart, WithIndex, WithDictionary
	text        int8           // WithTextTransform: 1 on, -1 off, 0 as the preset says
}

// A WriterOption configures a Writer. Options apply in order; WithLevel
// replaces the model, coder and order chosen so far, so give it first.
type WriterOption func(*writerSettings) error

// Levels: DefaultLevel is what NewWriter uses without options.
const (
	MinLevel     = 1
	MaxLevel     = 9
	DefaultLevel = 6
)

// levels lists what each preset selects, from fastest to strongest.
//
// Level 5 gives orderk a 2 MiB hash table (MemBits 21) rather than the
// model's default 4 MiB: about one core's L2 cache, it codes the four
// canterbury texts 7–14 % faster for 1.5 % more bytes (324,445 against
// 319,554; bzip2 -9 takes 336,054). 1 MiB is 3–5 % faster again but only
// 0.3 % smaller than bzip2 (335,046).
//
// The cm presets transform text (Params.Text): on the shared corpus -6
// codes 2,545,683 bytes instead of 2,587,541 and -9 2,471,779 instead of
// 2,489,273, both faster (the model sees fewer bytes); other files cost
// one byte per frame.
var levels = [MaxLevel + 1]Params{
	1: {Model: Order0, Coder: RANS, Static: true},
	2: {Model: OrderK, Order: 1, Coder: RANS, Static: true},
	3: {Model: OrderK, Order: 2, Coder: Arith, Codewords: true},
	4: {Model: OrderK, Order: 3, Coder: Arith, Codewords: true},
	5: {Model: OrderK, Order: 4, Coder: Arith, MemBits: 21, Codewords: true},
	6: {Model: CM, Level: 6, Coder: Arith, Solid: true, Text: true},
	7: {Model: CM, Level: 7, Coder: Arith, Solid: true, Text: true},
	8: {Model: CM, Level: 8, Coder: Arith, Solid: true, Text: true},
	9: {Model: CM, Level: 9, Coder: Arith, Solid: true, Text: true},
}

// LevelParams returns what preset level selects.
func LevelParams(level int) (Params, error) {
	if level < MinLevel || level > MaxLevel {
		return Params{}, fmt.Errorf("%w: level %d out of range %d..%d", ErrUnsupported, level, MinLevel, MaxLevel)
	}
	return levels[level].withDefaults(), nil
}

// WithLevel selects preset level 1 (fastest) .. 9 (strongest); see
// LevelParams. It replaces any model, coder and order chosen before it.
// With the cm model the level is also cm's memory level: WithLevel(3)
// followed by WithModel(CM) selects cm level 3.
func WithLevel(level int) WriterOption {
	return func(s *writerSettings) error {
		p, err := LevelParams(level)
		if err != nil {
			return err
		}
		frame, conc, res, cost, stream, text := s.p.FrameSize, s.concurrency, s.res, s.cost, s.stream, s.text
		*s = writerSettings{p: p, preset: level, concurrency: conc, res: res, cost: cost, stream: stream, text: text}
		s.p.FrameSize = frame
		return nil
	}
}

// WithModel selects the model. Its order, unless given with WithOrder, is
// the model's default.
func WithModel(m Model) WriterOption {
	return func(s *writerSettings) error {
		if _, err := spec(m); err != nil {
			return err
		}
		s.modelSet = true
		if s.p.Model != m {
			s.p.Model = m
			s.p.MemBits, s.p.Level = 0, 0
			s.p.Text = false // a preset's choice for its own model
			if !s.solidSet {
				s.p.Solid = false
			}
			if !s.orderSet {
				s.p.Order = 0
			}
		}
		return nil
	}
}

// WithCoder selects the entropy coder.
func WithCoder(c Coder) WriterOption {
	return func(s *writerSettings) error {
		if c >= numCoders {
			return fmt.Errorf("%w %d", ErrUnknownCoder, c)
		}
		s.p.Coder = c
		return nil
	}
}

// WithOrder sets the context order of a model that takes one (orderk:
// 1..8; see ModelSpec.Order).
func WithOrder(k int) WriterOption {
	return func(s *writerSettings) error {
		if k < 1 {
			return fmt.Errorf("%w: order %d is not positive", ErrUnsupported, k)
		}
		s.p.Order, s.orderSet = k, true
		return nil
	}
}

// WithMemBits sets log2 of the model's table memory in bytes, for a model
// that takes it (orderk; see ModelSpec.MemBits).
func WithMemBits(n int) WriterOption {
	return func(s *writerSettings) error {
		if n < 1 {
			return fmt.Errorf("%w: model memory 2^%d bytes", ErrUnsupported, n)
		}
		s.p.MemBits = n
		return nil
	}
}

// WithStatic chooses between semi-static coding (tables built per frame and
// stored in it) and adaptive coding. Without it the writer picks: static for
// Huffman and for rANS with order 0 or order 1 (the fast paths), adaptive
// otherwise.
func WithStatic(static bool) WriterOption {
	return func(s *writerSettings) error {
		s.p.Static, s.staticSet = static, true
		return nil
	}
}

// WithSolid makes the model's state carry over from frame to frame (see
// Params.Solid): better ratio on inputs longer than a frame, but frames
// can then only be decoded in order.
func WithSolid(solid bool) WriterOption {
	return func(s *writerSettings) error {
		s.p.Solid, s.solidSet = solid, true
		return nil
	}
}

// WithFrameSize sets the largest number of raw bytes per frame, a power of
// two in [1<<MinFrameLog, 1<<MaxFrameLog]. Larger frames let adaptive models
// learn longer; every frame costs its header and, for static coders, its
// tables.
func WithFrameSize(n int) WriterOption {
	return func(s *writerSettings) error {
		if n&(n-1) != 0 || n < 1<<MinFrameLog || n > 1<<MaxFrameLog {
			return fmt.Errorf("%w: frame size %d is not a power of two between %d and %d", ErrUnsupported, n, 1<<MinFrameLog, 1<<MaxFrameLog)
		}
		s.p.FrameSize = n
		return nil
	}
}

// WithCodewords chooses whether adaptive orderk codes each byte as its
// codeword in a per-frame prefix code (the default; see Params.Codewords)
// or as its 8 bits.
func WithCodewords(on bool) WriterOption {
	return func(s *writerSettings) error {
		s.p.Codewords, s.codeSet = on, true
		return nil
	}
}

// WithParams sets every parameter at once, as Inspect or Reader.Params
// report them.
func WithParams(p Params) WriterOption {
	return func(s *writerSettings) error {
		*s = writerSettings{p: p, modelSet: true, orderSet: true, staticSet: true, solidSet: true, codeSet: true, concurrency: s.concurrency, res: s.res, cost: s.cost, stream: s.stream, text: -1}
		if p.Text {
			s.text = 1
		}
		return p.Validate()
	}
}

// WithConcurrency codes up to n frames at once, each on its own goroutine
// with its own model (n times the model memory); 0 means
// runtime.GOMAXPROCS(0). The default is 1. Solid streams are coded one
// frame at a time whatever n is, unless they restart (WithRestart): then
// each worker codes whole runs. The output does not depend on n.
func WithConcurrency(n int) WriterOption {
	return func(s *writerSettings) error {
		c, err := concurrency(n)
		s.concurrency = c
		return err
	}
}

// concurrency resolves a WithConcurrency or WithDecoderConcurrency value.
func concurrency(n int) (int, error) {
	switch {
	case n < 0:
		return 1, fmt.Errorf("%w: concurrency %d is negative", ErrUnsupported, n)
	case n == 0:
		return runtime.GOMAXPROCS(0), nil
	}
	return min(n, maxConcurrency), nil
}

// maxConcurrency bounds the frames coded at once.
const maxConcurrency = 256

// Resolve returns the Params that a Writer with opts would record, with
// every default filled in, without allocating a model. Its errors are
// NewWriter's.
func Resolve(opts ...WriterOption) (Params, error) {
	s, err := resolve(opts)
	return s.p, err
}

// presetFallback is the model a preset's model makes way for when only
// what that model offers was asked for (a Huffman code, a context order,
// static tables): -e huffman alone means orderk with Huffman, not cm.
const presetFallback = OrderK

// resolve applies opts over the default level and returns the settings
// with validated Params. What it fills in comes from the model's spec.
func resolve(opts []WriterOption) (writerSettings, error) {
	s := writerSettings{p: levels[DefaultLevel], concurrency: 1}
	for _, o := range opts {
		if err := o(&s); err != nil {
			return s, err
		}
	}
	p := s.p
	sp, err := spec(p.Model)
	if err != nil {
		return s, err
	}
	if !s.modelSet && !sp.offers(p, s) {
		p.Model, p.Level, p.Text = presetFallback, 0, false
		if sp, err = spec(p.Model); err != nil {
			return s, err
		}
		if !s.solidSet {
			p.Solid = false
		}
	}
	if sp.Order != nil && p.Order == 0 {
		p.Order = sp.Order.Default
	}
	if !s.orderSet {
		// A preset's order may be too high for the coder (per-context
		// Huffman codes): take the highest that works, as the user asked
		// only for the coder.
		for sp.Order != nil && p.Order > sp.Order.Min && sp.workingMode(p, s.staticSet) == nil {
			p.Order--
		}
	}
	if !s.staticSet {
		p.Static = sp.defaultStatic(p)
	}
	switch s.text {
	case 0:
		p.Text = p.Text && !p.Static && sp.NewFramer == nil
	default:
		p.Text = s.text > 0
	}
	if sp.Level != nil && p.Level == 0 && s.preset != 0 {
		p.Level = min(max(s.preset, sp.Level.Min), sp.Level.Max)
	}
	if !s.solidSet && sp.SolidByDefault {
		p.Solid = true // the model learns from the whole input
	}
	if err := s.applyStream(&p); err != nil {
		return s, err
	}
	if !s.codeSet {
		// A solid stream keeps its code while it fits, but a code that
		// changes (when new bytes turn up) re-indexes what the model has
		// learned: there the 8 bits are the safer default (world192.txt
		// in 256 KiB frames: 527,072 bytes against 559,579).
		p.Codewords = sp.Codewords && !p.Static && !p.Solid
	}
	if err := p.Validate(); err != nil {
		return s, err
	}
	switch {
	case sp.Resolve != nil:
		if err := sp.Resolve(&p, &s.res); err != nil {
			return s, err
		}
		if err := p.Validate(); err != nil {
			return s, err
		}
	case s.res.Logits != nil:
		return s, fmt.Errorf("%w: logits are the predictions of model lm, but the model is %s; add -m lm", ErrUnsupported, p.Model)
	}
	s.p = p.withDefaults()
	return s, nil
}

// offers reports whether the model can serve what the options asked for
// beside the model: the coder (in the static or adaptive mode asked for)
// and a context order.
func (sp *ModelSpec) offers(p Params, s writerSettings) bool {
	if s.orderSet && sp.Order == nil {
		return false
	}
	for _, m := range sp.Coders {
		if m.Coder == p.Coder && (!s.staticSet || m.Static == p.Static) {
			return true
		}
	}
	return false
}

// readerSettings collects ReaderOptions.
type readerSettings struct {
	maxMemory   int64
	concurrency int
	res         Resources   // WithDecoderLogits
	dict        *Dictionary // WithDecoderDictionary
}

// A ReaderOption configures a Reader.
type ReaderOption func(*readerSettings) error

// DefaultMaxMemory is the decoder memory limit without WithMaxMemory.
const DefaultMaxMemory = 2 << 30

// WithMaxMemory limits the memory a Reader may allocate for one stream's
// model, frame buffers and tables. A stream that needs more is refused
// with ErrLimit before anything large is allocated.
func WithMaxMemory(n int64) ReaderOption {
	return func(s *readerSettings) error {
		if n <= 0 {
			return fmt.Errorf("%w: memory limit %d must be positive", ErrUnsupported, n)
		}
		s.maxMemory = n
		return nil
	}
}

// WithDecoderConcurrency decodes up to n frames at once, each on its own
// goroutine with its own model; 0 means runtime.GOMAXPROCS(0). The default
// is 1. Solid streams decode one frame at a time, unless they restart
// (WithRestart): then each worker decodes whole runs. The memory limit
// counts every concurrent frame (and run): a Reader lowers n to stay
// within it.
func WithDecoderConcurrency(n int) ReaderOption {
	return func(s *readerSettings) error {
		c, err := concurrency(n)
		s.concurrency = c
		return err
	}
}

func resolveReader(opts []ReaderOption) (readerSettings, error) {
	s := readerSettings{maxMemory: DefaultMaxMemory, concurrency: 1}
	for _, o := range opts {
		if err := o(&s); err != nil {
			return s, err
		}
	}
	return s, nil
}
