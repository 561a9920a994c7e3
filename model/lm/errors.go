package lm

import "errors"

// Errors of package lm. Every error the package returns wraps one of these
// (test with errors.Is) and adds context: the file, the array, the row or
// the byte offset concerned.
var (
	// ErrFormat reports a file that is not a .npy or .npz file, or a .npy
	// header that cannot be parsed.
	ErrFormat = errors.New("lm: not a valid .npy/.npz logits file")
	// ErrDtype reports an array whose dtype is not allowed for its role
	// (see the package documentation for the allowed dtypes).
	ErrDtype = errors.New("lm: unsupported dtype")
	// ErrShape reports an array of the wrong rank or size: logits that are
	// not 2-D, a vocabulary that does not have V entries, top-k arrays of
	// different shapes, and so on.
	ErrShape = errors.New("lm: wrong array shape")
	// ErrFortranOrder reports an array stored in Fortran (column-major)
	// order; rows must be contiguous (numpy's default C order).
	ErrFortranOrder = errors.New("lm: Fortran-order array (save a C-contiguous array)")
	// ErrTruncated reports a file or archive member that ends before the
	// data its header announces.
	ErrTruncated = errors.New("lm: truncated file")
	// ErrMissing reports a required array that the .npz file does not hold.
	ErrMissing = errors.New("lm: missing array")
	// ErrVocab reports an invalid vocabulary (offsets not starting at 0,
	// decreasing, or not ending at len(vocab_bytes)), or logits that need
	// one and have none.
	ErrVocab = errors.New("lm: bad vocabulary")
	// ErrValue reports an invalid value: a temperature that is not a
	// positive finite number, a top-k id out of range or repeated within a
	// row, a token id out of range.
	ErrValue = errors.New("lm: invalid value")
	// ErrNonFinite reports a NaN or +Inf logit (or a row whose logits are
	// all −Inf) in a row used for coding.
	ErrNonFinite = errors.New("lm: non-finite logit")
	// ErrTokens reports tokens whose bytes, concatenated, are not the input.
	ErrTokens = errors.New("lm: tokens do not reproduce the input")
	// ErrRows reports a number of logits rows that does not match the
	// number of symbols to code.
	ErrRows = errors.New("lm: row count does not match the tokens")
	// ErrExhausted reports a Model asked for a prediction past its last
	// row.
	ErrExhausted = errors.New("lm: no logits row left")
	// ErrMismatch reports logits that differ from those the data was coded
	// with (a fingerprint or row digest that does not match).
	ErrMismatch = errors.New("lm: logits mismatch")
)
