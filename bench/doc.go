// Package bench measures compressors against each other and against the
// entropy of their input, as `entzip bench` and `entzip entropy` do.
//
// Methods lists what a run measures — entzip's model × coder pairs
// (Pairs, from the container's registry) and presets, Go library
// baselines, external tools found on PATH — and Run (or RunInputs)
// round-trips every input with every method, times both directions,
// measures peak memory and returns a Report, which writes itself as text,
// Markdown, CSV, JSON (schema entzip-bench/1) or a plot.
//
// For entzip methods the report splits the coded size as a two-part code:
// the ideal code length of the data under the model (StreamCost, measured
// by the container while it codes), the bits spent describing the model
// (tables), and the coder's overhead. Entropy gives a file's empirical
// entropy profile (H0, H1..Hk and the Rényi family), the bounds the
// reports print; CrossEntropy, SymbolModelBits and BitModelBits give a
// model's cross-entropy over data; LMBits that of an external language
// model's logits. docs/BENCH.md defines every figure.
package bench
