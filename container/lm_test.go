package container

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/lmfixture"
	"github.com/entzip/entzip/model/lm"
)

// lmData is the text the lm tests code: several frames at the smallest
// frame size.
func lmData(n int) []byte {
	return edgeCases()["text"][:n]
}

// buildLM builds a logits file for data and opens it.
func buildLM(t testing.TB, data []byte, o lmfixture.Options) (*lm.File, lmfixture.Fixture) {
	t.Helper()
	fx, err := lmfixture.Build(data, o)
	require.NoError(t, err)
	return openLM(t, fx.NPZ), fx
}

func openLM(t testing.TB, b []byte) *lm.File {
	t.Helper()
	f, err := lm.NewFile(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	return f
}

// lmKinds lists the logits files the round trips use.
var lmKinds = []struct {
	name string
	o    lmfixture.Options
}{
	{"bytes-dense", lmfixture.Options{}},
	{"bytes-end-token", lmfixture.Options{EndToken: true}},
	{"bytes-topk", lmfixture.Options{TopK: 8, RestLogit: true}},
	{"tokens-dense", lmfixture.Options{Tokens: true}},
	{"tokens-topk", lmfixture.Options{Tokens: true, TopK: 12}},
	{"tokens-topk-rest-deflated", lmfixture.Options{Tokens: true, TopK: 12, RestLogit: true, Deflate: true}},
}

// TestLMRoundTrip: every kind of logits file with every coder, over
// several frames, one and three at a time, through Compress/Decompress;
// the decoder's file lacks the tokens array.
func TestLMRoundTrip(t *testing.T) {
	for _, k := range lmKinds {
		for _, c := range []Coder{Arith, RANS, Huffman} {
			// The step Huffman coder builds a code per token: less data.
			data, concs := lmData(7000), []int{1, 3}
			if c == Huffman {
				data, concs = lmData(5000), []int{2}
			}
			enc, fx := buildLM(t, data, k.o)
			o := k.o
			o.OmitTokens = true
			dec, _ := buildLM(t, data, o)
			require.False(t, dec.HasTokens())
			t.Run(k.name+"/"+c.String(), func(t *testing.T) {
				var first []byte
				for _, conc := range concs {
					z, err := Compress(nil, data, WithModel(LM), WithCoder(c), WithLogits(enc),
						WithFrameSize(1<<MinFrameLog), WithConcurrency(conc))
					require.NoError(t, err)
					if first == nil {
						first = z
					}
					require.True(t, bytes.Equal(first, z), "concurrency changes the output: %s", diff(first, z))
					got, err := Decompress(nil, z, WithDecoderLogits(dec), WithDecoderConcurrency(conc))
					require.NoError(t, err)
					require.True(t, bytes.Equal(data, got), "round trip differs: %s", diff(data, got))
				}
				info, err := Inspect(bytes.NewReader(first))
				require.NoError(t, err)
				require.Equal(t, LM, info.Params.Model)
				require.Equal(t, enc.VocabSize(), info.Params.LM.Vocab)
				require.Equal(t, !k.o.Tokens, info.Params.LM.ByteLevel)
				require.Equal(t, lm.TotalBits, info.Params.LM.TotalBits)
				require.Greater(t, info.Frames, int64(1))
				require.Zero(t, info.StoredFrames)
				require.Equal(t, int64(len(fx.Tokens)), info.Units, "every token is in a coded frame")
				require.Less(t, len(first), len(data)*6/10)
			})
		}
	}
}

// TestLMEdgeInputs: empty input, a single token, a stored frame.
func TestLMEdgeInputs(t *testing.T) {
	random := edgeCases()["random"][:4200]
	for name, data := range map[string][]byte{"empty": {}, "one": {'x'}, "random": random} {
		for _, o := range []lmfixture.Options{{}, {EndToken: true}, {Tokens: true}} {
			f, _ := buildLM(t, data, o)
			for _, c := range []Coder{Arith, RANS, Huffman} {
				z, err := Compress(nil, data, WithModel(LM), WithCoder(c), WithLogits(f), WithFrameSize(1<<MinFrameLog))
				require.NoError(t, err, "%s %+v %s", name, o, c)
				got, err := Decompress(nil, z, WithDecoderLogits(f))
				require.NoError(t, err, "%s %+v %s", name, o, c)
				require.True(t, bytes.Equal(data, got), "%s %+v %s", name, o, c)
			}
		}
	}
}

// TestLMOddWrites: the output depends neither on how the data is split
// into writes nor on the concurrency; Reset codes the same again.
func TestLMOddWrites(t *testing.T) {
	data := lmData(7000)
	for _, o := range []lmfixture.Options{{}, {Tokens: true}} {
		f, _ := buildLM(t, data, o)
		want, err := Compress(nil, data, WithModel(LM), WithLogits(f), WithFrameSize(1<<MinFrameLog))
		require.NoError(t, err)
		var buf bytes.Buffer
		z, err := NewWriter(&buf, WithModel(LM), WithLogits(f), WithFrameSize(1<<MinFrameLog), WithConcurrency(2))
		require.NoError(t, err)
		for _, step := range []int{1, 3, 7, 1000} {
			buf.Reset()
			z.Reset(&buf)
			for i := 0; i < len(data); i += step {
				_, err := z.Write(data[i:min(i+step, len(data))])
				require.NoError(t, err)
			}
			require.NoError(t, z.Close())
			require.True(t, bytes.Equal(want, buf.Bytes()), "step %d: %s", step, diff(want, buf.Bytes()))
		}
	}
}

// TestLMFlush: a Flush in the middle of a token writes the tokens before
// it; the stream still decodes.
func TestLMFlush(t *testing.T) {
	data := lmData(3000)
	f, _ := buildLM(t, data, lmfixture.Options{Tokens: true})
	var buf bytes.Buffer
	z, err := NewWriter(&buf, WithModel(LM), WithLogits(f))
	require.NoError(t, err)
	cut := bytes.Index(data, []byte("the ")) + 2 // inside the token "the "
	_, err = z.Write(data[:cut])
	require.NoError(t, err)
	require.NoError(t, z.Flush())
	_, err = z.Write(data[cut:])
	require.NoError(t, err)
	require.NoError(t, z.Close())
	got, err := Decompress(nil, buf.Bytes(), WithDecoderLogits(f))
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, got))
	info, err := Inspect(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	require.Equal(t, int64(2), info.Frames)
}

// TestLMMismatch: logits that differ in one row only fail with
// ErrLogitsMismatch when the Reader is made, before any data is decoded.
func TestLMMismatch(t *testing.T) {
	data := lmData(5000)
	for _, o := range []lmfixture.Options{{}, {Tokens: true}, {Tokens: true, TopK: 12}} {
		f, _ := buildLM(t, data, o)
		o.Alter = true
		other, _ := buildLM(t, data, o)
		z, err := Compress(nil, data, WithModel(LM), WithLogits(f), WithFrameSize(1<<MinFrameLog))
		require.NoError(t, err)
		_, err = NewReader(bytes.NewReader(z), WithDecoderLogits(other))
		require.ErrorIs(t, err, ErrLogitsMismatch)
		require.Contains(t, err.Error(), "logits mismatch")
		require.True(t, isFormatError(err))
	}
	// Other logits entirely: another vocabulary size.
	f, _ := buildLM(t, data, lmfixture.Options{})
	tok, _ := buildLM(t, data, lmfixture.Options{Tokens: true})
	z, err := Compress(nil, data, WithModel(LM), WithLogits(f))
	require.NoError(t, err)
	_, err = NewReader(bytes.NewReader(z), WithDecoderLogits(tok))
	require.ErrorIs(t, err, ErrLogitsMismatch)
	require.Contains(t, err.Error(), "V = 256")
}

// TestLMMissingLogits: an lm stream without logits, and model lm without
// logits or logits without model lm.
func TestLMMissingLogits(t *testing.T) {
	data := lmData(2000)
	f, _ := buildLM(t, data, lmfixture.Options{})
	z, err := Compress(nil, data, WithModel(LM), WithLogits(f))
	require.NoError(t, err)
	_, err = NewReader(bytes.NewReader(z))
	require.ErrorIs(t, err, ErrLogits)
	require.Contains(t, err.Error(), "coded with an external language model; give the same logits with --logits")

	_, err = NewWriter(io.Discard, WithModel(LM))
	require.ErrorIs(t, err, ErrLogits)
	_, err = NewWriter(io.Discard, WithModel(OrderK), WithLogits(f))
	require.ErrorIs(t, err, ErrUnsupported)
	require.Contains(t, err.Error(), "-m lm")

	// Streams of other models ignore the logits.
	z, err = Compress(nil, data)
	require.NoError(t, err)
	got, err := Decompress(nil, z, WithDecoderLogits(f))
	require.NoError(t, err)
	require.Equal(t, data, got)

	// A token-level file without tokens cannot encode.
	o := lmfixture.Options{Tokens: true, OmitTokens: true}
	noTok, _ := buildLM(t, data, o)
	_, err = NewWriter(io.Discard, WithModel(LM), WithLogits(noTok))
	require.ErrorIs(t, err, ErrLogits)
	require.ErrorIs(t, err, lm.ErrMissing)
}

// TestLMDataMismatch: data that is not what the tokens (or rows) say
// fails with ErrLogits and lm.ErrTokens or lm.ErrRows.
func TestLMDataMismatch(t *testing.T) {
	data := lmData(3000)
	tok, _ := buildLM(t, data, lmfixture.Options{Tokens: true})
	byt, _ := buildLM(t, data, lmfixture.Options{OmitTokens: true})
	bytTok, _ := buildLM(t, data, lmfixture.Options{})
	other := append([]byte{}, data...)
	other[1234] ^= 1
	for _, c := range []struct {
		name string
		f    *lm.File
		data []byte
		want error
	}{
		{"tokens-differ", tok, other, lm.ErrTokens},
		{"tokens-short", tok, data[:2999], lm.ErrTokens},
		{"tokens-long", tok, append(append([]byte{}, data...), 'x'), lm.ErrTokens},
		{"bytes-tokens-short", bytTok, data[:2999], lm.ErrTokens},
		{"bytes-short", byt, data[:2999], lm.ErrRows},
		{"bytes-long", byt, append(append([]byte{}, data...), 'x'), lm.ErrRows},
	} {
		_, err := Compress(nil, c.data, WithModel(LM), WithLogits(c.f))
		require.ErrorIs(t, err, ErrLogits, c.name)
		require.ErrorIs(t, err, c.want, c.name)
	}
	_, err := Compress(nil, other, WithModel(LM), WithLogits(tok))
	require.Contains(t, err.Error(), "at byte 1234")
}

// TestLMBadLogitsFile: damaged logits files give clear errors: a
// truncated file when opened, a deflated member with damaged data when
// its rows are read (the fingerprint reads them all).
func TestLMBadLogitsFile(t *testing.T) {
	data := lmData(2000)
	fx, err := lmfixture.Build(data, lmfixture.Options{Tokens: true})
	require.NoError(t, err)
	_, err = lm.NewFile(bytes.NewReader(fx.NPZ[:len(fx.NPZ)/2]), int64(len(fx.NPZ)/2))
	require.Error(t, err)

	fx, err = lmfixture.Build(data, lmfixture.Options{Deflate: true})
	require.NoError(t, err)
	good := openLM(t, fx.NPZ)
	z, err := Compress(nil, data, WithModel(LM), WithLogits(good))
	require.NoError(t, err)
	bad := append([]byte{}, fx.NPZ...)
	i := bytes.Index(bad, []byte("logits.npy")) + 200 // inside the member's deflated data
	for j := range 64 {
		bad[i+j] ^= 0x55
	}
	f, err := lm.NewFile(bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		return // damage found when opening: clear enough
	}
	_, err = NewWriter(io.Discard, WithModel(LM), WithLogits(f))
	require.ErrorIs(t, err, ErrLogits)
	_, err = NewReader(bytes.NewReader(z), WithDecoderLogits(f))
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrLogits) || errors.Is(err, ErrLogitsMismatch), "%v", err)
}

// TestLMHeader: the extension bytes round-trip, are covered by the header
// CRC, and are refused for other models or with unknown flags.
func TestLMHeader(t *testing.T) {
	p := Params{Model: LM, Coder: RANS, LM: LMInfo{Fingerprint: 0x0123456789abcdef, TotalBits: 24, Vocab: 50257}}.withDefaults()
	h := appendHeader(nil, p)
	require.Len(t, h, headerSize+lmExtLen)
	require.Equal(t, byte(lmExtLen), h[11])
	got, err := readHeader(bytes.NewReader(h))
	require.NoError(t, err)
	require.Equal(t, p, got)

	bad := append([]byte{}, h...)
	bad[13] ^= 1 // in the fingerprint
	_, err = readHeader(bytes.NewReader(bad))
	require.ErrorIs(t, err, ErrHeader)

	// Unknown lm flags, with a correct CRC.
	bad = append([]byte{}, h[:headerSize-4+lmExtLen]...)
	bad[12+9] |= 2
	bad = appendCRC(bad)
	_, err = readHeader(bytes.NewReader(bad))
	require.ErrorIs(t, err, ErrHeader)

	// Extension bytes on an order0 stream.
	bad = append([]byte{}, h[:headerSize-4+lmExtLen]...)
	bad[5] = byte(Order0)
	bad = appendCRC(bad)
	_, err = readHeader(bytes.NewReader(bad))
	require.ErrorIs(t, err, ErrHeader)

	// An lm stream without them.
	p0 := appendHeader(nil, Params{Model: Order0, Coder: Arith}.withDefaults())
	p0 = append([]byte{}, p0[:headerSize-4]...)
	p0[5] = byte(LM)
	_, err = readHeader(bytes.NewReader(appendCRC(p0)))
	require.ErrorIs(t, err, ErrHeader)

	// Truncated inside the extension.
	_, err = readHeader(bytes.NewReader(h[:20]))
	require.ErrorIs(t, err, ErrTruncated)
}

// appendCRC appends the header CRC of b.
func appendCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// TestLMCorruptFrames: damage in an lm stream is reported, never a panic,
// and no frame's bytes are returned unchecked.
func TestLMCorruptFrames(t *testing.T) {
	data := lmData(5000)
	for _, o := range []lmfixture.Options{{TopK: 8}, {Tokens: true, TopK: 8}} {
		f, _ := buildLM(t, data, o)
		for _, c := range []Coder{Arith, RANS, Huffman} {
			z, err := Compress(nil, data, WithModel(LM), WithCoder(c), WithLogits(f), WithFrameSize(1<<MinFrameLog))
			require.NoError(t, err)
			hdr := headerSize + lmExtLen
			for i := hdr; i < len(z); i += max(1, len(z)/10) {
				bad := append([]byte{}, z...)
				bad[i] ^= 0x24
				got, err := Decompress(nil, bad, WithDecoderLogits(f))
				require.Error(t, err, "%s byte %d", c, i)
				require.True(t, isFormatError(err), "%s byte %d: %v", c, i, err)
				require.True(t, bytes.HasPrefix(data, got), "%s byte %d", c, i)
			}
		}
	}
}

// TestLMOverhead reports the coded size against the float cross-entropy
// of the logits, per coder (run with -v; ENTZIP_LM_OVERHEAD=1 for the
// whole text): the coder's output for all tokens as one frame, and the
// whole .ez file with its default frames.
func TestLMOverhead(t *testing.T) {
	data, kinds := edgeCases()["text"][:6000], lmKinds[:1]
	if os.Getenv("ENTZIP_LM_OVERHEAD") != "" {
		data, kinds = edgeCases()["text"], lmKinds
	}
	for _, k := range kinds {
		f, fx := buildLM(t, data, k.o)
		for _, c := range []Coder{Arith, RANS, Huffman} {
			z, err := Compress(nil, data, WithModel(LM), WithCoder(c), WithLogits(f))
			require.NoError(t, err)
			p, err := Resolve(WithModel(LM), WithCoder(c), WithLogits(f))
			require.NoError(t, err)
			codec, err := newCodec(p, &Resources{Logits: f})
			require.NoError(t, err)
			out, err := codec.Encode(nil, Frame{Units: fx.Tokens})
			require.NoError(t, err)
			body := float64(8 * (len(out) - 1 - len(binary.AppendUvarint(nil, uint64(len(fx.Tokens))))))
			over := body/fx.CrossEntropy - 1
			t.Logf("%-26s %-7s %5d tokens %5d bytes: cross-entropy %8.0f bits (%.3f bits/byte), coder %8.0f bits (%+.3f %%), file %6d bytes (%+.3f %%)",
				k.name, c, len(fx.Tokens), len(data), fx.CrossEntropy, fx.CrossEntropy/float64(len(data)), body, 100*over, len(z), 100*(float64(8*len(z))/fx.CrossEntropy-1))
			if c != Huffman {
				// Quantization costs about 0.001 %; the coder flushes a few
				// bytes (rANS: its 8-byte final state).
				require.Less(t, body-fx.CrossEntropy, 0.001*fx.CrossEntropy+96, "%s %s", k.name, c)
			} else {
				require.Less(t, over, float64(len(fx.Tokens))/fx.CrossEntropy, "%s: Huffman costs less than a bit per token more", k.name)
			}
		}
	}
}

// readHeader reads and validates one stream header from r, as a Reader
// does at the start of its input.
func readHeader(r io.Reader) (Params, error) {
	cr := countingReader{r: bufio.NewReader(r)}
	var b [headerSize]byte
	if err := readMagic(&cr, &b, true); err != nil {
		return Params{}, err
	}
	return readHeaderAfterMagic(&cr, b)
}
