package container

import (
	"errors"
	"fmt"
)

// Errors reported by readers and writers. Wrapped errors carry more detail;
// test for them with errors.Is.
var (
	// ErrFormat reports input that is not an entzip stream (wrong magic).
	ErrFormat = errors.New("entzip: not an entzip stream")
	// ErrVersion reports a stream written in a format version this package
	// does not know.
	ErrVersion = errors.New("entzip: unsupported format version")
	// ErrUnknownModel reports a stream or option naming an unknown model.
	ErrUnknownModel = errors.New("entzip: unknown model")
	// ErrUnknownCoder reports a stream or option naming an unknown coder.
	ErrUnknownCoder = errors.New("entzip: unknown coder")
	// ErrUnsupported reports a model × coder pairing (or a model or
	// parameter) that cannot work; the message says what to use instead.
	ErrUnsupported = errors.New("entzip: unsupported")
	// ErrHeader reports a stream or frame header whose checksum or fields
	// are invalid.
	ErrHeader = errors.New("entzip: corrupt header")
	// ErrChecksum reports decoded data whose checksum does not match.
	ErrChecksum = errors.New("entzip: checksum mismatch")
	// ErrCorrupt reports coded data that cannot be decoded.
	ErrCorrupt = errors.New("entzip: corrupt data")
	// ErrTruncated reports a stream that ends before its end marker.
	ErrTruncated = errors.New("entzip: truncated stream")
	// ErrTrailing reports bytes after the end of a stream that do not start
	// another stream.
	ErrTrailing = errors.New("entzip: trailing garbage after stream")
	// ErrLimit reports a stream that needs more memory than the reader
	// allows (see WithMaxMemory).
	ErrLimit = errors.New("entzip: memory limit exceeded")
	// ErrClosed reports use of a Writer after Close.
	ErrClosed = errors.New("entzip: writer is closed")
	// ErrLogits reports a problem with the logits of model lm: a stream
	// or a Writer that needs them and was given none (WithLogits,
	// WithDecoderLogits), or logits that cannot code the data — tokens
	// that do not reproduce the input, a row count that does not match it,
	// a row that cannot be read. It wraps package lm's error when there is
	// one.
	ErrLogits = errors.New("entzip: logits")
	// ErrLogitsMismatch reports logits that differ from those a stream was
	// coded with (by fingerprint, vocabulary size or quantization). A
	// Reader reports it before decoding anything.
	ErrLogitsMismatch = errors.New("entzip: logits mismatch")
	// ErrIndex reports a frame index (WithIndex) that is damaged or does
	// not match its stream. A Reader reports it only after the stream's
	// data, complete and verified by the stream checksum, so the data can
	// still be used; a SeekableReader, which relies on the index, fails.
	ErrIndex = errors.New("entzip: bad frame index")
	// ErrDictionary reports a dictionary problem: a stream primed with a
	// dictionary that the Reader was not given (WithDecoderDictionary) or
	// given another one, or a dictionary file that is damaged. A Reader
	// reports it before any output.
	ErrDictionary = errors.New("entzip: dictionary")
)

// A FrameError locates a problem in a stream: the frame index (0-based)
// and the byte offset of the frame header in the compressed stream.
// It wraps one of the sentinel errors above.
type FrameError struct {
	Frame  int64 // index of the frame, counted from 0
	Offset int64 // offset of the frame's header in the compressed stream
	Err    error // the underlying error, wrapping a sentinel
}

// Error implements error.
func (e *FrameError) Error() string {
	return fmt.Sprintf("frame %d at offset %d: %v", e.Frame, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *FrameError) Unwrap() error { return e.Err }
