"""Writes the numpy-made fixtures of model/lm/testdata/numpy/ (run from this
directory with any numpy: python3 make_numpy_fixtures.py). The files are
small and checked in; numpy_test.go reads them and expects exactly these
values, so they pin interoperability with numpy's own writers."""
import numpy as np


def rows(t, v):
    # Values k/4 for k in [-32, 32): exact in float16 and bfloat16.
    i = np.arange(v)
    return np.stack([((r * 31 + i * 17) % 64 - 32) / 4 for r in range(t)]).astype(np.float32)


d = "numpy/"
x = rows(3, 256)
np.save(d + "dense_f4.npy", x)
np.save(d + "dense_f2.npy", x.astype(np.float16))
np.save(d + "dense_bf16.npy", (x.view(np.uint32) >> 16).astype(np.uint16))
with open(d + "dense_f4_v2.npy", "wb") as f:
    np.lib.format.write_array(f, x, version=(2, 0))
np.save(d + "fortran.npy", np.asfortranarray(x))
np.save(d + "bigendian.npy", x.astype(">f4"))

tokens = [b"", b"a", b"b", b"ab", b"the", b" ", b"ba", b"\x00\xff"]
vocab_bytes = np.frombuffer(b"".join(tokens), dtype=np.uint8)
vocab_offsets = np.cumsum([0] + [len(t) for t in tokens]).astype(np.int64)
np.savez(d + "tokens.npz", logits=rows(4, 8), vocab_bytes=vocab_bytes,
         vocab_offsets=vocab_offsets, tokens=np.array([1, 3, 4, 7], dtype=np.int32),
         temperature=0.5)
np.savez_compressed(d + "topk.npz",
                    topk_ids=np.array([[3, 1], [0, 7], [2, 6], [5, 4]], dtype=np.int64),
                    topk_logits=rows(4, 2).astype(np.float16),
                    rest_logit=np.array([-1, -2, -3, -4], dtype=np.float32),
                    vocab_size=np.int64(8), vocab_bytes=vocab_bytes, vocab_offsets=vocab_offsets)
