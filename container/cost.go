package container

import (
	"github.com/entzip/entzip/coder"
	"github.com/entzip/entzip/internal/empirical"
	"github.com/entzip/entzip/model"
)

// A Cost is what the frames of a stream cost, in bits, split the way a
// two-part code is: the data under the model the coder was given, and the
// description of that model. A Writer made with WithCost adds each frame's
// cost to it as the frame is coded, so the figures come from the very
// probabilities and tables the stream was coded with.
//
// The stream's size in bits, less Data, Model and Stored, is the coders'
// own loss (whole-bit codes, quantized frequencies, the coder's final
// bytes) and the container's framing.
type Cost struct {
	// Data is the ideal code length of the coded frames: Σ −log2 p over the
	// symbols (or bits) an adaptive coder coded, with the p it was given;
	// for a semi-static code, the frame's empirical entropy under the
	// code's contexts, the least any code of its kind could spend.
	Data float64
	// Model is the bits describing the frames' codes: the tables of
	// semi-static codes, the prefix code of Params.Codewords.
	Model float64
	// Stored is the bits of the frames stored raw because coding did not
	// make them smaller.
	Stored float64
	// Frames counts the frames, Unmeasured those whose codec cannot tell
	// its cost (codecs of a ModelSpec's NewCodec): they count in Stored if
	// stored, in nothing otherwise.
	Frames, Unmeasured int
}

// WithCost makes the Writer add the cost of each frame it writes to *c
// (see Cost). It slows coding down, and the stream is the same as without
// it.
func WithCost(c *Cost) WriterOption {
	return func(s *writerSettings) error {
		s.cost = c
		return nil
	}
}

// A costCodec is a FrameCodec that can tell the cost of a frame as it
// codes it: EncodeCost is Encode that adds the frame's Data and Model bits
// to c.
type costCodec interface {
	EncodeCost(dst []byte, f Frame, c *Cost) ([]byte, error)
}

// add adds the cost of a frame of n raw bytes that the writer stored raw
// or, if not stored, that its codec measured as f (unless measured is
// false).
func (c *Cost) add(f Cost, n int, stored, measured bool) {
	c.Frames++
	switch {
	case stored:
		c.Stored += 8 * float64(n)
	case measured:
		c.Data += f.Data
		c.Model += f.Model
	}
	if !measured {
		c.Unmeasured++
	}
}

// costTee is an adaptive encoder that codes with e and sums the ideal
// code length of what it codes: log2(total/freq) per symbol, −log2 P(bit)
// per bit.
type costTee struct {
	e    coder.AdaptiveEncoder
	bits float64
}

func (t *costTee) Reset() { t.e.Reset() }

func (t *costTee) EncodeFreq(start, freq, total uint32) {
	t.bits += empirical.Log2(total) - empirical.Log2(freq)
	t.e.EncodeFreq(start, freq, total)
}

func (t *costTee) EncodeBit(p1 uint32, bit int) {
	p := p1
	if bit == 0 {
		p = 1<<model.ProbBits - p1
	}
	t.bits += model.ProbBits - empirical.Log2(p)
	t.e.EncodeBit(p1, bit)
}

func (t *costTee) Finish(dst []byte) []byte { return t.e.Finish(dst) }

// contextEntropy returns the empirical entropy of src in bits under
// contexts of the order previous bytes, the bytes before src taken as 0
// and the context restarted as empirical.Sorter.CondBits does.
func contextEntropy(src []byte, order, restarts int) float64 {
	var s empirical.Sorter
	bits, _ := s.CondBits(src, order, false, restarts)
	return bits
}
