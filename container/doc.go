// Package container reads and writes entzip's framed stream format (.ez,
// docs/FORMAT.md) and is where a model and a coder are paired.
//
// A Writer cuts its input into frames, codes each with a FrameCodec and
// writes it with its length and CRC-32C; a Reader checks and decodes them
// in order, and fails with an error that names what is wrong (ErrCorrupt,
// ErrTruncated, ErrUnknownModel, a FrameError with the frame's offset)
// rather than return wrong bytes. Compress and Decompress do the same on
// byte slices; Inspect walks a stream without decoding it.
//
// What a stream is coded with is its Params: a model (orderk, cm, order0,
// lm, or one a program registers), a coder (range coder, rANS, Huffman),
// static or adaptive coding, solid or not, and the model's parameters. The
// options WithLevel (a preset 1..9), WithModel, WithCoder, WithOrder and
// the others choose them; Resolve shows what a Writer would choose. Every
// model is described by one ModelSpec in a registry: its header id, its
// parameter ranges, the coders it can drive and why it refuses the others,
// its memory and its codec. The built-in models register themselves in
// model_*.go exactly as RegisterModel registers a program's own
// model.BitModel or model.SymbolModel under an id from UserModelMin to
// UserModelMax (see ExampleRegisterModel and docs/ARCHITECTURE.md).
//
// WithCost makes a Writer report what each frame cost as it codes it: the
// ideal code length under the probabilities the coder was given and the
// bits of the model's tables, which package bench prints beside the coded
// size.
package container
