#!/usr/bin/env python3
"""Dump a Hugging Face causal language model's predictions of a file as an
entzip logits file, so that entzip can code the file with them (issue 5:
"language modeling is compression": the coded size is the model's
cross-entropy on the file, plus well under 0.1 %).

Usage:

    python tools/lm_logits.py MODEL_NAME FILE -o OUT.npz [--topk K]
        [--window N] [--stride S] [--dtype float32|float16|bfloat16]
        [--temperature T] [--device cpu|cuda|mps]

for example `python tools/lm_logits.py gpt2 book.txt -o book.npz --topk 256`.
Needs numpy, torch and transformers (`pip install numpy torch transformers`);
MODEL_NAME is anything `AutoModelForCausalLM.from_pretrained` accepts.

What it does:

1. Reads FILE as bytes; it must be UTF-8 text (a text tokenizer cannot cover
   arbitrary bytes losslessly). Tokenizes it without special tokens.
2. Builds the vocabulary as bytes: for byte-level BPE tokenizers (GPT-2,
   RoBERTa, Llama 3, Qwen, ...) each token string is mapped back through
   GPT-2's byte decoder, so token bytes are exact; for SentencePiece
   tokenizers "▁" becomes a space and byte-fallback tokens <0xHH> become the
   byte. Special and padding ids (the model's output layer may be wider than
   the tokenizer) get empty bytes. It then checks that the tokens'
   bytes, concatenated, are FILE exactly, and stops with an error if not
   (e.g. a tokenizer that normalizes text or adds a leading space).
3. Runs the model with a sliding window: windows of N tokens (default: the
   model's maximum context), each after the first starting S tokens (default
   N/2) after the previous one, so every prediction but the first N sees at
   least N-S tokens of context. Row t of the logits predicts token t; the
   context starts with the tokenizer's BOS token (or EOS, which GPT-2 uses
   as BOS), or, for a tokenizer with neither, row 0 is uniform.
4. Writes OUT.npz with one np.savez call (members stored, so entzip can
   read any row directly): `logits` [T, V] (or, with --topk K, `topk_ids`
   [T, K] int32, `topk_logits` [T, K] and `rest_logit` [T] =
   logsumexp(the other logits) - ln(V-K), which keeps the mass of the
   unlisted tokens exact), `vocab_bytes` uint8, `vocab_offsets` int64 [V+1],
   `tokens` int32 [T] (the encoder needs them; the decoder does not, so the
   file given to a decoder may lack them) and, with --temperature,
   `temperature` (entzip divides the logits by it; the file keeps raw logits).

Dense logits take T*V*4 bytes (GPT-2: 200 KB per token); they are staged in
a memory-mapped temporary file next to OUT, so RAM stays bounded, and --topk
(e.g. 256) makes files ~200 times smaller at a small cost in coded size.
--dtype bfloat16 stores bfloat16 bits as uint16 ('<u2'), which entzip reads
as bfloat16. The exact format is documented in model/lm/doc.go of entzip.
"""

import argparse
import json
import math
import os
import re
import sys
import tempfile

import numpy as np


def byte_decoder():
    """GPT-2's byte-level BPE maps each byte to a printable character; this
    is the inverse map (same table as transformers' bytes_to_unicode)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def is_byte_level(tokenizer):
    """Whether a (fast) tokenizer decodes with a ByteLevel decoder."""
    try:
        spec = json.loads(tokenizer.backend_tokenizer.to_str())
    except Exception:
        return False
    dec = spec.get("decoder") or {}
    decoders = [dec] + list(dec.get("decoders") or [])
    return any(d.get("type") == "ByteLevel" for d in decoders if isinstance(d, dict))


def vocab_bytes(tokenizer, vocab_size):
    """The bytes of every token id below vocab_size."""
    byte_level = is_byte_level(tokenizer)
    decode = byte_decoder()
    special = set(tokenizer.all_special_ids)
    out = []
    for i in range(vocab_size):
        piece = tokenizer.convert_ids_to_tokens(i) if i < len(tokenizer) else None
        if piece is None or i in special:
            out.append(b"")
        elif byte_level and all(c in decode for c in piece):
            out.append(bytes(decode[c] for c in piece))
        elif re.fullmatch(r"<0x[0-9A-Fa-f]{2}>", piece):
            out.append(bytes([int(piece[3:5], 16)]))
        else:
            out.append(piece.replace("\u2581", " ").encode("utf-8"))
    return out


def windows(n_pos, window, stride):
    """Yields (start, keep_from, end): run the model on sequence positions
    [start, end) and keep the predictions of positions [keep_from, end)."""
    done = 0
    while done < n_pos:
        start = 0 if done == 0 else done - (window - stride)
        end = min(start + window, n_pos)
        yield start, done, end
        done = end


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", metavar="MODEL_NAME")
    ap.add_argument("file", metavar="FILE")
    ap.add_argument("-o", "--output", required=True, metavar="OUT.npz")
    ap.add_argument("--topk", type=int, default=0, metavar="K", help="keep the K most likely tokens per row (default: dense logits)")
    ap.add_argument("--window", type=int, default=0, metavar="N", help="tokens per model call (default: the model's context)")
    ap.add_argument("--stride", type=int, default=0, metavar="S", help="tokens between windows (default: N/2)")
    ap.add_argument("--dtype", choices=["float32", "float16", "bfloat16"], default="float32", help="dtype of the stored logits")
    ap.add_argument("--temperature", type=float, default=0, help="store this temperature (entzip divides the logits by it)")
    ap.add_argument("--device", default="cuda" if _cuda() else "cpu")
    args = ap.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    data = open(args.file, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{args.file}: not UTF-8 text ({e}); an LM tokenizer cannot code it losslessly")

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model).to(args.device).eval()
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    T = len(ids)

    V = model.get_output_embeddings().weight.shape[0]
    pieces = vocab_bytes(tokenizer, V)
    if max(ids, default=0) >= V:
        sys.exit(f"token id {max(ids)} outside the model's {V} outputs")
    joined = b"".join(pieces[i] for i in ids)
    if joined != data:
        k = next((i for i in range(min(len(joined), len(data))) if joined[i] != data[i]), min(len(joined), len(data)))
        sys.exit(f"the tokens do not reproduce {args.file}: they differ at byte {k} "
                 f"(got {joined[k:k + 20]!r}, want {data[k:k + 20]!r}); this tokenizer normalizes its input")

    window = args.window or getattr(model.config, "max_position_embeddings", 0) or getattr(model.config, "n_positions", 0) or 1024
    stride = args.stride or max(window // 2, 1)
    if not 0 < stride <= window:
        sys.exit("need 0 < stride <= window")

    # seq[j] is the context token at position j; position j predicts row
    # j (token ids[j]) when a BOS token leads, else row j+1.
    bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
    seq = ([bos] if bos is not None else []) + ids
    first_row = 0 if bos is not None else 1
    n_pos = T - first_row  # positions whose predictions are rows

    K = min(args.topk, V) if args.topk > 0 else 0
    out_dir = os.path.dirname(os.path.abspath(args.output))
    stage = tempfile.TemporaryDirectory(dir=out_dir, prefix=".lm_logits-")
    store = {"float32": np.float32, "float16": np.float16, "bfloat16": np.uint16}[args.dtype]
    width = K or V
    rows = np.lib.format.open_memmap(os.path.join(stage.name, "rows.npy"), mode="w+", dtype=store, shape=(T, width))
    top_ids = np.zeros((T, K), dtype=np.int32) if K else None
    rest = np.zeros(T, dtype=np.float32) if K and K < V else None

    def put(r0, logits):
        """Store rows r0.. from a float32 tensor of logits [n, V]."""
        n = logits.shape[0]
        if K:
            vals, idx = torch.topk(logits, K, dim=-1)
            top_ids[r0:r0 + n] = idx.cpu().numpy()
            if rest is not None:
                lse_all = torch.logsumexp(logits, -1)
                lse_top = torch.logsumexp(vals, -1)
                frac = torch.clamp(-torch.expm1(lse_top - lse_all), min=1e-30)  # unlisted share of the mass
                rest[r0:r0 + n] = (lse_all + torch.log(frac) - math.log(V - K)).cpu().numpy()
            logits = vals
        if args.dtype == "bfloat16":
            rows[r0:r0 + n] = logits.to(torch.bfloat16).view(torch.int16).cpu().numpy().view(np.uint16)
        else:
            rows[r0:r0 + n] = logits.cpu().numpy().astype(store)

    if T and first_row == 1:
        put(0, torch.zeros((1, V)))  # nothing to condition the first token on: uniform
    with torch.no_grad():
        for start, keep, end in windows(n_pos, window, stride):
            x = torch.tensor([seq[start:end]], device=args.device)
            logits = model(x).logits[0, keep - start:].float()
            put(first_row + keep, logits)
            print(f"\r{end}/{n_pos} positions", end="", file=sys.stderr)
    print(file=sys.stderr)
    rows.flush()

    arrays = {
        "vocab_bytes": np.frombuffer(b"".join(pieces), dtype=np.uint8),
        "vocab_offsets": np.cumsum([0] + [len(p) for p in pieces]).astype(np.int64),
        "tokens": np.asarray(ids, dtype=np.int32),
    }
    if K:
        arrays.update(topk_ids=top_ids, topk_logits=rows)
        if rest is not None:
            arrays["rest_logit"] = rest
    else:
        arrays["logits"] = rows
    if args.temperature:
        arrays["temperature"] = np.float64(args.temperature)
    np.savez(args.output, **arrays)  # numpy streams the memory-mapped rows
    del rows
    stage.cleanup()
    print(f"wrote {args.output}: T = {T} tokens, V = {V}" + (f", top-{K}" if K else ""), file=sys.stderr)


def _cuda():
    try:
        import torch
        return torch.cuda.is_available()
    except Exception:
        return False


if __name__ == "__main__":
    main()
