package container

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/lm"
)

// A ModelSpec describes a model to the container: the id its stream header
// records, its parameters, the coders it can drive (and why it refuses the
// others), its memory and how to make the codec that codes its frames. The
// built-in models register themselves with one ModelSpec each
// (model_*.go); everything the container, the command line and package
// bench know of a model comes from its spec.
//
// A model of one's own needs ID, Name and NewBitModel or NewSymbolModel:
// it then codes adaptively with the range coder and with rANS, like orderk.
type ModelSpec struct {
	// ID is what the stream header records. Ids from UserModelMin to
	// UserModelMax are free for models registered with RegisterModel;
	// lower ids belong to entzip.
	ID Model
	// Name is the model's command-line name (-m NAME), unique.
	Name string
	// Summary is one line for listings of the models.
	Summary string

	// Order, Level and MemBits are the ranges of the model's parameters
	// (Params.Order, Params.Level, Params.MemBits); nil for a parameter the
	// model does not take, which must then be 0. A model takes an order or
	// a level, not both: the header records it in one byte. An Order is
	// required in Params (a Writer fills in the default); a Level or
	// MemBits of 0 stands for the default. MemBits belongs to adaptive
	// coding: static codes record 0.
	Order, Level, MemBits *ParamRange

	// Coders lists the ways the model can be coded, in order of
	// preference: for each coder, the first mode whose Check passes is
	// what a Writer chooses when static or adaptive coding is not asked
	// for. Without it, a model with NewBitModel or NewSymbolModel codes
	// adaptively with Arith and RANS.
	Coders []CoderMode
	// Refuse says, for a coder the model cannot drive at all, why, and
	// what to use instead; coders without an entry get a message listing
	// the coders the model can drive.
	Refuse map[Coder]string
	// Check, if not nil, makes the model's own checks of p (model,
	// coder and the parameter ranges already checked).
	Check func(p Params) error

	// SolidByDefault makes a Writer carry the model's state across frames
	// (Params.Solid) unless told otherwise.
	SolidByDefault bool
	// NoSolid, if not empty, says why the model cannot be solid.
	NoSolid string
	// Codewords says the model is a model.PrefixBitModel that can code
	// each byte as its codeword in a per-frame prefix code
	// (Params.Codewords); a Writer does so for adaptive coding that is not
	// solid.
	Codewords bool

	// Memory returns the bytes the model's codec needs beyond the frame
	// buffers, for adaptive coding with p; nil means none.
	Memory func(p Params) int64

	// NewBitModel or NewSymbolModel makes a fresh model for adaptive coding
	// with p. The container feeds it the bits of each byte, most
	// significant first (or its codeword's bits, with Codewords), or the
	// bytes.
	NewBitModel    func(p Params) (model.BitModel, error)
	NewSymbolModel func(p Params) (model.SymbolModel, error)

	// The hooks below are for models whose frames are not plain bytes (lm);
	// a model of bytes leaves them nil.

	// Resolve, if not nil, completes a Writer's parameters from its
	// resources (lm: the logits' fingerprint into p.LM). Resources given
	// to a model without Resolve are refused.
	Resolve func(p *Params, res *Resources) error
	// NewFramer, if not nil, makes what cuts a Writer's data into frames
	// (see Framer); without it frames are cut every FrameSize bytes.
	NewFramer func(p Params, res *Resources) (Framer, error)
	// ExtLen is the number of header extension bytes the model records (at
	// most maxModelExt, so that the stream's own extension fits beside it);
	// AppendExt writes them and ParseExt reads them back into p.
	ExtLen    int
	AppendExt func(dst []byte, p Params) []byte
	ParseExt  func(ext []byte, p *Params) error
	// Describe, if not nil, returns what String says of p's model after
	// its name and parameters (lm: its vocabulary size).
	Describe func(p Params) string
	// FrameUnits, if not nil, reads from the start of a coded frame's
	// payload how many units the frame holds (lm: its token range), for
	// Inspect, which skips the rest of the payload.
	FrameUnits func(r io.ByteReader) (units uint64, err error)
}

// A ParamRange is the range of one model parameter.
type ParamRange struct {
	Min, Max, Default int
}

// A CoderMode is one way a model can be coded: with Coder, statically
// (tables built from each frame and stored in it) or adaptively.
type CoderMode struct {
	Coder  Coder
	Static bool
	// Check, if not nil, says when p (with this coder and mode) cannot
	// work, and what to use instead.
	Check func(p Params) error
	// NewCodec makes the codec of a stream with p. Nil for adaptive coding
	// of a model with NewBitModel or NewSymbolModel, which the container
	// drives itself.
	NewCodec func(p Params, res *Resources) (FrameCodec, error)
}

// A FrameCodec codes the frames of one stream: a model and a coder, made
// once per stream (per goroutine coding frames at once) and reused from
// frame to frame. It is not safe for concurrent use.
type FrameCodec interface {
	// Reset prepares the codec for a new stream.
	Reset()
	// Encode appends the coded form of frame f to dst.
	Encode(dst []byte, f Frame) ([]byte, error)
	// Decode appends the n raw bytes coded in src to dst. Its errors
	// should wrap ErrCorrupt.
	Decode(dst, src []byte, n int) ([]byte, error)
	// Learn updates a solid model with a frame that was stored raw, as
	// coding it did on the writer's side.
	Learn(raw []byte)
}

// A Frame is what a Writer gives a FrameCodec to code: the raw bytes and,
// for a stream cut by a Framer, the units they are made of.
type Frame struct {
	Raw []byte
	// First is the index in the stream of the frame's first unit, and
	// Units their ids (lm: the tokens); both zero without a Framer.
	First int
	Units []int32
}

// A Framer cuts the data of a Writer into frames at the boundaries of its
// units (lm: tokens), checking the data as it arrives.
type Framer interface {
	// Reset prepares the Framer for a new stream.
	Reset()
	// Write takes the next data bytes and calls add for each unit they
	// complete (and for units without bytes that come before the next
	// byte), in order: its index, its id and its bytes. A unit's bytes are
	// added to the frame being filled, which is first cut when it has
	// bytes and the unit would take it past FrameSize. Write returns how
	// many bytes of p it took; bytes of a unit not yet complete are kept.
	Write(p []byte, add func(index int, id int32, unit []byte) error) (int, error)
	// Close checks, at the end of the data, that the data ended where a
	// unit does, and adds the units without bytes that end the stream.
	// Units left in a frame without bytes are not coded.
	Close(add func(index int, id int32, unit []byte) error) error
}

// Resources are what a Writer's or Reader's options give the models
// beyond Params: the logits of model lm (WithLogits, WithDecoderLogits).
// A Writer or Reader makes all its codecs from one goroutine, so a codec
// constructor may keep what it computed here (lm: the logits'
// fingerprint) for the next.
type Resources struct {
	Logits *lm.File
	// fingerprint is Logits' fingerprint once computed.
	fingerprint *uint64
}

// Model id ranges: ids up to maxBuiltinModel are entzip's, the others free
// for RegisterModel.
const (
	UserModelMin    Model = 128
	UserModelMax    Model = 255
	maxBuiltinModel Model = UserModelMin - 1
)

// registry holds the registered models.
var registry struct {
	sync.RWMutex
	byID [256]*ModelSpec
	ids  []Model // registered ids, ascending
}

// RegisterModel makes the model spec describes available to Writers and
// Readers of this process under spec.ID, from UserModelMin to
// UserModelMax, and spec.Name. It fails when the id or the name is taken,
// or the spec is incomplete. Register a model before any stream names it;
// a Reader meeting an id nobody registered fails with ErrUnknownModel.
func RegisterModel(spec ModelSpec) error {
	if spec.ID < UserModelMin {
		return fmt.Errorf("%w: model id %d is entzip's; use an id from %d to %d", ErrUnsupported, spec.ID, UserModelMin, UserModelMax)
	}
	return register(spec)
}

// register adds spec to the registry: RegisterModel without the id range.
func register(spec ModelSpec) error {
	if err := spec.complete(); err != nil {
		return err
	}
	registry.Lock()
	defer registry.Unlock()
	if old := registry.byID[spec.ID]; old != nil {
		return fmt.Errorf("%w: model id %d is already registered (%s)", ErrUnsupported, spec.ID, old.Name)
	}
	for _, id := range registry.ids {
		if strings.EqualFold(registry.byID[id].Name, spec.Name) {
			return fmt.Errorf("%w: model name %q is already registered (id %d)", ErrUnsupported, spec.Name, id)
		}
	}
	s := spec
	registry.byID[s.ID] = &s
	registry.ids = append(registry.ids, s.ID)
	slices.Sort(registry.ids)
	return nil
}

// mustRegister registers a built-in model.
func mustRegister(spec ModelSpec) {
	if err := register(spec); err != nil {
		panic(err)
	}
}

// complete checks spec and fills in its default coders.
func (s *ModelSpec) complete() error {
	bad := func(why string) error {
		return fmt.Errorf("%w: model spec %d %q: %s", ErrUnsupported, s.ID, s.Name, why)
	}
	adaptive := s.NewBitModel != nil || s.NewSymbolModel != nil
	switch {
	case s.Name == "" || strings.ContainsAny(s.Name, " -\t"):
		return bad("needs a name without spaces or dashes")
	case s.NewBitModel != nil && s.NewSymbolModel != nil:
		return bad("has both NewBitModel and NewSymbolModel")
	case s.Order != nil && s.Level != nil:
		return bad("takes both an order and a level")
	case s.Codewords && s.NewBitModel == nil:
		return bad("codes codewords without a bit model")
	case s.ExtLen > maxModelExt || s.ExtLen > 0 && (s.AppendExt == nil || s.ParseExt == nil):
		return bad(fmt.Sprintf("header extension without AppendExt and ParseExt, or longer than %d bytes", maxModelExt))
	}
	if len(s.Coders) == 0 {
		s.Coders = []CoderMode{{Coder: Arith}, {Coder: RANS}}
	}
	s.Coders = slices.Clone(s.Coders)
	s.Refuse = maps.Clone(s.Refuse)
	if s.NewBitModel != nil && s.Refuse[Huffman] == "" && !slices.ContainsFunc(s.Coders, func(m CoderMode) bool { return m.Coder == Huffman }) {
		if s.Refuse == nil {
			s.Refuse = map[Coder]string{}
		}
		s.Refuse[Huffman] = s.Name + " predicts each bit with a probability, and a prefix code cannot spend less than a whole bit on a bit; use -e arith (or -e rans)"
	}
	for _, m := range s.Coders {
		if m.Coder >= numCoders {
			return bad(fmt.Sprintf("names coder %d", m.Coder))
		}
		if m.NewCodec == nil && (!adaptive || m.Static || !m.Coder.adaptive()) {
			return bad(fmt.Sprintf("has no codec for %s", m.describe()))
		}
	}
	return nil
}

// describe names the mode, as in "static rans".
func (m CoderMode) describe() string {
	if m.Static {
		return "static " + m.Coder.String()
	}
	return "adaptive " + m.Coder.String()
}

// lookup returns the spec of model id m, nil if none is registered.
func lookup(m Model) *ModelSpec {
	registry.RLock()
	defer registry.RUnlock()
	return registry.byID[m]
}

// spec returns the spec of model id m or an error naming the id.
func spec(m Model) (*ModelSpec, error) {
	if s := lookup(m); s != nil {
		return s, nil
	}
	if m >= UserModelMin {
		return nil, fmt.Errorf("%w %d (a model of the user range %d..%d: register it with container.RegisterModel before use)", ErrUnknownModel, m, UserModelMin, UserModelMax)
	}
	return nil, fmt.Errorf("%w %d", ErrUnknownModel, m)
}

// Models returns the specs of the registered models, by id. Changing them
// changes nothing registered.
func Models() []ModelSpec {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]ModelSpec, len(registry.ids))
	for i, id := range registry.ids {
		out[i] = registry.byID[id].clone()
	}
	return out
}

// clone returns a copy of s that shares no slice or map with it.
func (s *ModelSpec) clone() ModelSpec {
	c := *s
	c.Coders = slices.Clone(s.Coders)
	c.Refuse = maps.Clone(s.Refuse)
	return c
}

// LookupModel returns the spec of the registered model id m.
func LookupModel(m Model) (ModelSpec, bool) {
	if s := lookup(m); s != nil {
		return s.clone(), true
	}
	return ModelSpec{}, false
}

// mode returns the first of s's modes for p's coder and Static whose
// Check passes, or nil and the error saying why there is none: the Check
// of the first such mode, or why the model has no such mode.
func (s *ModelSpec) mode(p Params) (*CoderMode, error) {
	if m := s.workingMode(p, true); m != nil {
		return m, nil
	}
	otherMode := false
	for _, m := range s.Coders {
		switch {
		case m.Coder != p.Coder:
		case m.Static == p.Static:
			return nil, m.Check(p) // it failed in workingMode
		default:
			otherMode = true
		}
	}
	switch {
	case otherMode && p.Static:
		if !s.hasStatic() {
			return nil, fmt.Errorf("%w: %s is an adaptive model and has no static tables; use --adaptive", ErrUnsupported, s.Name)
		}
		return nil, fmt.Errorf("%w: %s codes %s adaptively; for semi-static per-frame tables use %s", ErrUnsupported, p.Coder, s.Name, s.coderFlags(true))
	case otherMode:
		return nil, fmt.Errorf("%w: %s is semi-static: it builds its code from each frame and cannot adapt symbol by symbol; use %s for adaptive coding", ErrUnsupported, p.Coder, s.coderFlags(false))
	}
	if why := s.Refuse[p.Coder]; why != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, why)
	}
	return nil, fmt.Errorf("%w: model %s cannot drive %s; use %s", ErrUnsupported, s.Name, p.Coder, s.coderFlags(p.Static))
}

// hasStatic reports whether the model has a static mode.
func (s *ModelSpec) hasStatic() bool {
	return slices.ContainsFunc(s.Coders, func(m CoderMode) bool { return m.Static })
}

// coderFlags names the coders of s's static (or adaptive) modes as flags:
// "-e arith or -e rans".
func (s *ModelSpec) coderFlags(static bool) string {
	var names []string
	for _, m := range s.Coders {
		if f := "-e " + m.Coder.String(); m.Static == static && !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	if len(names) == 0 {
		return "another model"
	}
	return strings.Join(names, " or ")
}

// defaultStatic returns whether a Writer codes p (whose Static is not
// asked for) statically: as the first mode with p's coder whose Check
// passes, or else the first with p's coder, whose Check then says why.
func (s *ModelSpec) defaultStatic(p Params) bool {
	if m := s.workingMode(p, false); m != nil {
		return m.Static
	}
	for _, m := range s.Coders {
		if m.Coder == p.Coder {
			return m.Static
		}
	}
	return false
}

// workingMode returns the first mode with p's coder (and p.Static, if
// staticSet) whose Check passes for p, or nil.
func (s *ModelSpec) workingMode(p Params, staticSet bool) *CoderMode {
	for i := range s.Coders {
		m := &s.Coders[i]
		q := p
		q.Static = m.Static
		if m.Coder == p.Coder && (!staticSet || m.Static == p.Static) && (m.Check == nil || m.Check(q) == nil) {
			return m
		}
	}
	return nil
}
