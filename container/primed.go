package container

// newStreamCodec returns the codec of a stream with p for a Writer or a
// Reader: newCodec's, primed with the dictionary d when p names one, behind
// the text transform (textCodec) when p.Text. A
// primed codec keeps the model from frame to frame (it is made solid) and
// its Reset starts a run: the Writer and Reader reset it at the start of
// each run (see Params.runFrames), so a stream that is not solid primes
// the model before every frame.
func newStreamCodec(p Params, res *Resources, d *Dictionary) (FrameCodec, error) {
	c, err := newPrimedCodec(p, res, d)
	if err != nil || !p.Text {
		return c, err
	}
	return newTextCodec(c, p), nil
}

// newPrimedCodec is newStreamCodec without the text transform.
func newPrimedCodec(p Params, res *Resources, d *Dictionary) (FrameCodec, error) {
	if p.Dict == 0 {
		return newCodec(p, res)
	}
	if err := checkDictionary(p, d); err != nil {
		return nil, err
	}
	q := p
	q.Solid = true
	c, err := newCodec(q, res)
	if err != nil {
		return nil, err
	}
	return &primedCodec{c: c, dict: d.content, pending: true}, nil
}

// primedCodec is a solid codec whose model learns a dictionary at the
// start of each run, as if the dictionary were a stored frame before it:
// docs/FORMAT.md, "Dictionaries". It primes lazily, on the run's first
// frame, so that codecs a Writer or Reader resets but does not use cost
// nothing.
type primedCodec struct {
	c       FrameCodec
	dict    []byte
	pending bool // the next frame starts a run: reset and prime first
}

// Reset starts a new run: the next frame codes with a model fresh but for
// the dictionary.
func (c *primedCodec) Reset() { c.pending = true }

// begin primes the model if a run starts.
func (c *primedCodec) begin() {
	if c.pending {
		c.c.Reset()
		c.c.Learn(c.dict)
		c.pending = false
	}
}

func (c *primedCodec) Encode(dst []byte, f Frame) ([]byte, error) {
	c.begin()
	return c.c.Encode(dst, f)
}

func (c *primedCodec) Decode(dst, src []byte, n int) ([]byte, error) {
	c.begin()
	return c.c.Decode(dst, src, n)
}

func (c *primedCodec) Learn(raw []byte) {
	c.begin()
	c.c.Learn(raw)
}
