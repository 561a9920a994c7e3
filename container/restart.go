package container

import "fmt"

// maxRestart bounds Params.Restart.
const maxRestart = 1 << 30

// WithRestart makes a solid stream start its model afresh every n frames
// (Params.Restart), so that random access (SeekableReader) and parallel
// decoding can enter it at every n-th frame, at some cost in ratio. It
// makes the stream solid unless WithSolid(false) says otherwise, which
// with n > 1 is an error; n = 1 is a fresh model in every frame, the same
// as WithSolid(false).
func WithRestart(n int) WriterOption {
	return func(s *writerSettings) error {
		if n < 1 || n > maxRestart {
			return fmt.Errorf("%w: restart interval %d out of range 1..%d frames", ErrUnsupported, n, maxRestart)
		}
		s.stream.restart = n
		return nil
	}
}

// streamSettings are the Writer options that shape the stream rather than
// the model: WithLevel and WithParams keep them.
type streamSettings struct {
	restart int         // WithRestart, 0 if not given
	index   bool        // WithIndex
	dict    *Dictionary // WithDictionary
}

// applyStream completes p with the restart interval and the dictionary of
// s, after the model's defaults.
func (s *writerSettings) applyStream(p *Params) error {
	switch r := s.stream.restart; {
	case r == 1 && s.solidSet && p.Solid:
		return fmt.Errorf("%w: --restart 1 gives every frame a fresh model, which is --no-solid, not --solid", ErrUnsupported)
	case r == 1:
		p.Solid, p.Restart = false, 0
	case r > 1 && s.solidSet && !p.Solid:
		return fmt.Errorf("%w: --restart %d restarts a solid stream every %d frames, but --no-solid restarts every frame already", ErrUnsupported, r, r)
	case r > 1:
		p.Solid, p.Restart = true, r
	}
	switch d := s.stream.dict; {
	case d != nil:
		p.Dict = d.ID()
	case p.Dict != 0:
		return fmt.Errorf("%w: parameters name dictionary %016x, but none is given (WithDictionary)", ErrDictionary, p.Dict)
	}
	return nil
}

// checkStream checks p's restart interval and dictionary against the model.
func (s *ModelSpec) checkStream(p Params) error {
	switch {
	case p.Restart != 0 && !p.Solid:
		return fmt.Errorf("%w: a restart interval belongs to solid streams; without --solid every frame restarts", ErrUnsupported)
	case p.Restart != 0 && (p.Restart < 2 || p.Restart > maxRestart):
		return fmt.Errorf("%w: restart interval %d out of range 2..%d", ErrUnsupported, p.Restart, maxRestart)
	case p.Dict == 0:
		return nil
	case p.Static:
		return fmt.Errorf("%w: a dictionary primes an adaptive model, and static codes keep none; use --adaptive or a model like orderk or cm", ErrUnsupported)
	case s.NewBitModel == nil && s.NewSymbolModel == nil || s.NewFramer != nil:
		return fmt.Errorf("%w: model %s cannot be primed with a dictionary; use orderk or cm", ErrUnsupported, s.Name)
	}
	return nil
}

// runFrames returns how many frames of a stream with p share a model: 1
// when every frame starts afresh, the restart interval, or 0 for a solid
// stream without restarts.
func (p Params) runFrames() int64 {
	if !p.Solid {
		return 1
	}
	return int64(p.Restart)
}

// managedRuns reports whether the Writer or Reader resets the codec at the
// start of each run (restarts, or priming with a dictionary); otherwise
// the codec of a stream that is not solid resets itself in every frame.
func (p Params) managedRuns() bool { return p.Restart != 0 || p.Dict != 0 }

// runStart returns the first frame of the run that frame f belongs to.
func (p Params) runStart(f int64) int64 {
	if n := p.runFrames(); n > 0 {
		return f - f%n
	}
	return 0
}

// frameWorker returns which of workers codecs codes or decodes frame f of
// a stream with p, runs of unit frames going to the workers in turn (so
// that a run a Flush cut in two goes on with the codec that began it),
// and whether f starts a run, before which the Writer or Reader resets
// that codec.
func (p Params) frameWorker(f, unit int64, workers int) (worker int, restart bool) {
	return int(f / unit % int64(workers)), p.managedRuns() && p.runStart(f) == f
}

// runWorkers returns how many workers code or decode the frames of a
// stream with p at once, given the concurrency asked for, and how many
// frames in a row go to one worker: a solid stream's runs each go to one
// worker, which keeps the whole run in memory, so runs of more than
// maxParallelRun bytes are coded on one.
func runWorkers(p Params, concurrency int) (workers int, unit int64) {
	switch run := p.runFrames(); {
	case concurrency <= 1 || run == 0:
		return 1, 1
	case run == 1:
		return concurrency, 1
	case run*int64(p.FrameSize) > maxParallelRun:
		return 1, 1
	default:
		return concurrency, run
	}
}

// maxParallelRun bounds the raw bytes of a run that one worker of several
// holds.
const maxParallelRun = 256 << 20
