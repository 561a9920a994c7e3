// Package lm codes data with the predictions of an external language
// model: a researcher runs any LM offline, saves its logits with numpy, and
// a Model turns each row of logits into the integer frequencies an entropy
// coder from package coder needs. The coded size is then the LM's
// cross-entropy on the data plus a small quantization overhead (see
// Quantization below). tools/lm_logits.py writes such a file for any
// Hugging Face causal LM. See docs/FORMAT.md for how an .ez stream records
// the model.
//
// # The logits file
//
// A logits file is a .npy file (np.save) or an .npz archive (np.savez,
// members stored, or np.savez_compressed, members deflated); Open tells
// them apart by content. A .npy file holds dense byte-level logits only (it has no room
// for a vocabulary). An .npz
// file holds these arrays (member NAME.npy; other members are ignored):
//
//	logits         [T, V] float   dense logits: row t predicts token t
//	topk_ids       [T, K] int     sparse rows: the K listed token ids (any order,
//	topk_logits    [T, K] float   distinct) and their logits; instead of logits
//	rest_logit     [T]    float   optional, top-k only: the logit of every unlisted token
//	vocab_size     ()     int     V, for byte-level top-k rows (must match a vocabulary if both)
//	vocab_bytes    [N]    uint8   all tokens' bytes concatenated
//	vocab_offsets  [V+1]  int     token i is vocab_bytes[offsets[i]:offsets[i+1]]
//	temperature    ()     float   the logits are divided by it (default 1)
//	tokens         [T]    int     encoder only: the input's tokenization
//
// Without a vocabulary the logits are byte-level: V = 256 (token i is
// byte i) or V = 257 (token 256 is an end token with no bytes, which lets
// the rows predict the end of the data). A vocabulary must have exactly V
// tokens (pad it with empty tokens if the model's output layer is wider
// than its tokenizer), offsets[0] = 0, non-decreasing, offsets[V] = N.
// V is at most MaxVocab.
//
// Dtypes: "float" is float32 '<f4', float16 '<f2', float64 '<f8' or
// bfloat16, which numpy lacks and which is therefore saved as its bit
// pattern: an array of dtype '<u2' (uint16) or '|V2' in a float role is
// read as bfloat16 bits (in PyTorch: t.view(torch.int16).numpy().view(np.uint16)).
// "int" is any signed or unsigned integer dtype; vocab_bytes is '|u1'.
// Arrays must be little-endian and in C order (ErrFortranOrder otherwise);
// .npy versions 1.0, 2.0 and 3.0 are read.
//
// The decoder uses only the logits (or top-k arrays), the vocabulary and
// the temperature, never tokens: the file it is given may lack them.
// File.InputTokens checks the encoder's side: the tokens must detokenize
// to the input exactly (ErrTokens), and there must be exactly one row per
// token (ErrRows); byte-level files may omit tokens (the input's bytes are
// the tokens) and, with V = 257, have one extra row predicting the end
// token.
//
// # Top-k rows and the rest mass
//
// A top-k row lists K tokens; the V−K unlisted tokens share one weight.
// With a rest_logit array, each unlisted token has that logit (so a
// writer that knows the full distribution can set it to
// logsumexp(unlisted logits) − ln(V−K), which keeps the unlisted mass
// exact; tools/lm_logits.py does). Without it, the unlisted tokens
// together get the weight of the least likely listed token, split evenly:
//
//	p(listed j) = e^{y_j} / Z,   p(unlisted) = e^{min_j y_j} / ((V−K)·Z),
//	Z = Σ_j e^{y_j} + e^{min_j y_j}
//
// (in fixed point exactly as quant.go specifies). Every token, listed or
// not, gets a frequency of at least 1, so anything can be coded.
//
// # Quantization
//
// quant.go specifies the quantization exactly: logits relative to the
// row maximum in fixed point (2^-16 nats, clamped at 32 nats), exp from
// integer tables built with integer arithmetic, frequencies
// 1 + ⌊w_i·(2^28 − V)/S⌋ with the rounding remainder given to the most
// likely token. Encoder and decoder get identical frequencies on every
// GOARCH. NaN and +Inf logits are ErrNonFinite; −Inf marks an impossible
// token, which still gets frequency 1.
//
// The overhead over the float cross-entropy Σ −log2 softmax(row_t)[token_t]
// is about 0.001 % for byte-level logits. For large vocabularies it is
// dominated by the floor: V units of the total 2^28 go to frequencies of 1
// whatever the probabilities, costing −log2(1 − V/2^28) bits per token
// (0.00027 bits for V = 50257: 0.016 % of a sharp model's 1.6 bits per
// token; at a total of 2^24 it was 16 times as much). WithTotalBits
// chooses a smaller total.
//
// # Memory
//
// Open reads the headers, the vocabulary and the scalars. A Model reads
// one row at a time: from a .npy file or a stored member with ReadAt at
// the row's offset, from a deflated member by decompressing sequentially.
// Memory is O(V) however large the file is.
package lm
