package container

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/entzip/entzip/model/lm"
)

// LMInfo is what the header of an LM stream records about the logits it
// was coded with (see docs/FORMAT.md, "Model lm"). A Reader checks the
// logits it is given against it before decoding anything.
type LMInfo struct {
	// Fingerprint is the logits file's full fingerprint
	// (lm.File.Fingerprint): CRC-64 of T, V, K, the dtypes, the
	// temperature, the vocabulary and every row.
	Fingerprint uint64
	// TotalBits is log2 of the total the rows are quantized to
	// (lm.TotalBits).
	TotalBits int
	// Vocab is V, the number of tokens a row predicts.
	Vocab int
	// ByteLevel reports logits without a vocabulary: token i < 256 is
	// byte i.
	ByteLevel bool
}

// lmExtLen is the number of extension bytes of an LM stream header:
//
//	fingerprint u64le   LMInfo.Fingerprint
//	total bits  u8      LMInfo.TotalBits, 1..24
//	flags       u8      bit 0: byte-level (no vocabulary); other bits 0
//	V           u32le   LMInfo.Vocab, 1..lm.MaxVocab, below 2^total bits
const lmExtLen = 8 + 1 + 1 + 4

const lmFlagByteLevel = 1 << 0

func appendLMExt(dst []byte, p Params) []byte {
	in := p.LM
	dst = binary.LittleEndian.AppendUint64(dst, in.Fingerprint)
	var flags byte
	if in.ByteLevel {
		flags |= lmFlagByteLevel
	}
	dst = append(dst, byte(in.TotalBits), flags)
	return binary.LittleEndian.AppendUint32(dst, uint32(in.Vocab))
}

// parseLMExt reads the lmExtLen extension bytes of an LM stream header
// into p.LM.
func parseLMExt(ext []byte, p *Params) error {
	in := LMInfo{
		Fingerprint: binary.LittleEndian.Uint64(ext),
		TotalBits:   int(ext[8]),
		ByteLevel:   ext[9]&lmFlagByteLevel != 0,
		Vocab:       int(binary.LittleEndian.Uint32(ext[10:])),
	}
	if ext[9]&^lmFlagByteLevel != 0 {
		return fmt.Errorf("%w: unknown lm flags %#x", ErrHeader, ext[9])
	}
	if in.Vocab == 0 || in.TotalBits == 0 {
		return fmt.Errorf("%w: lm stream with V = %d, total 2^%d", ErrHeader, in.Vocab, in.TotalBits)
	}
	p.LM = in
	return nil
}

// checkLM is the Check of model lm: its LMInfo, when known.
func checkLM(p Params) error {
	in := p.LM
	if in == (LMInfo{}) {
		return nil // not known yet: the Writer fills it in from the logits
	}
	if in.Vocab < 1 || in.Vocab > lm.MaxVocab {
		return fmt.Errorf("%w: lm vocabulary of %d tokens (limit %d)", ErrUnsupported, in.Vocab, lm.MaxVocab)
	}
	if in.TotalBits < 1 || in.TotalBits > lm.TotalBits || uint64(in.Vocab) >= uint64(1)<<in.TotalBits {
		return fmt.Errorf("%w: lm rows quantized to a total of 2^%d for V = %d (need V < 2^total ≤ 2^%d)", ErrUnsupported, in.TotalBits, in.Vocab, lm.TotalBits)
	}
	if in.ByteLevel && in.Vocab != 256 && in.Vocab != 257 {
		return fmt.Errorf("%w: byte-level lm with V = %d (byte-level logits have 256 or 257)", ErrUnsupported, in.Vocab)
	}
	return nil
}

// WithLogits gives the logits of model lm (see package lm): the Writer
// codes the input with their predictions, one row per token. The tokens
// are the file's tokens array, which must detokenize to exactly the data
// written; byte-level logits without one take the data's bytes as the
// tokens. Give WithModel(LM) too: the logits are refused with any other
// model.
//
// NewWriter computes the file's full fingerprint, which reads every row
// (the decoder does the same to check its logits), and loads the tokens
// array (4 bytes per token). The data is checked against the tokens as it
// arrives, without buffering it: Write fails with an error wrapping
// ErrLogits and lm.ErrTokens at the first byte that differs, Close when
// the data ends before the tokens do (or, byte-level, when the logits
// have more rows than the data has bytes). The stream written until then
// is incomplete. The File must stay open while the Writer is in use.
func WithLogits(f *lm.File) WriterOption {
	return func(s *writerSettings) error {
		if f == nil {
			return fmt.Errorf("%w: WithLogits(nil)", ErrLogits)
		}
		s.res.Logits = f
		return nil
	}
}

// WithDecoderLogits gives the logits to decode streams of model lm with:
// the same file the encoder was given, or any file with the same logits
// (the decoder never reads its tokens array, so it may lack it). A Reader
// checks the file's full fingerprint against the stream header before it
// decodes anything and fails with ErrLogitsMismatch if it differs;
// without WithDecoderLogits an lm stream fails with ErrLogits. Streams of
// other models ignore the logits.
func WithDecoderLogits(f *lm.File) ReaderOption {
	return func(s *readerSettings) error {
		if f == nil {
			return fmt.Errorf("%w: WithDecoderLogits(nil)", ErrLogits)
		}
		s.res.Logits = f
		return nil
	}
}

// resolveLM is the Resolve of model lm: it fills p.LM from the logits.
func resolveLM(p *Params, res *Resources) error {
	if res.Logits == nil {
		return fmt.Errorf("%w: model lm codes with the predictions of an external language model; give its logits with --logits (WithLogits)", ErrLogits)
	}
	fp, err := res.logitsFingerprint()
	if err != nil {
		return err
	}
	f := res.Logits
	p.LM = LMInfo{Fingerprint: fp, TotalBits: lm.TotalBits, Vocab: f.VocabSize(), ByteLevel: f.ByteLevel()}
	return nil
}

// logitsFingerprint returns the full fingerprint of res.Logits, computed
// once.
func (res *Resources) logitsFingerprint() (uint64, error) {
	if res.fingerprint == nil {
		fp, err := res.Logits.Fingerprint()
		if err != nil {
			return 0, fmt.Errorf("%w: %w", ErrLogits, err)
		}
		res.fingerprint = &fp
	}
	return *res.fingerprint, nil
}

// checkLogits checks the logits of res against the header of an LM
// stream, before anything is decoded.
func checkLogits(p Params, res *Resources) error {
	f := res.Logits
	if f == nil {
		return fmt.Errorf("%w: this stream was coded with an external language model; give the same logits with --logits (WithDecoderLogits)", ErrLogits)
	}
	in := p.LM
	if f.VocabSize() != in.Vocab || f.ByteLevel() != in.ByteLevel {
		return fmt.Errorf("%w: the stream was coded with %s logits of V = %d, these have V = %d%s",
			ErrLogitsMismatch, levelName(in.ByteLevel), in.Vocab, f.VocabSize(), byteLevelNote(f.ByteLevel()))
	}
	fp, err := res.logitsFingerprint()
	if err != nil {
		return err
	}
	if fp != in.Fingerprint {
		return fmt.Errorf("%w: these logits have fingerprint %016x, the stream was coded with %016x (give the same logits file as to the encoder)",
			ErrLogitsMismatch, fp, in.Fingerprint)
	}
	return nil
}

func levelName(byteLevel bool) string {
	if byteLevel {
		return "byte-level"
	}
	return "token"
}

func byteLevelNote(byteLevel bool) string {
	if byteLevel {
		return " (byte-level)"
	}
	return ""
}

// lmMemory estimates the decoder memory of an LM codec beyond the frame
// buffers: the Model's row buffers (about 24 bytes per token of V plus
// its read chunk) and, for Huffman, the step coder's package-merge scratch
// (about 2·24 + 24 bytes per token).
func lmMemory(p Params) int64 {
	v := int64(p.LM.Vocab)
	m := 24*v + 256<<10
	if p.Coder == Huffman {
		m += 72 * v
	}
	return m
}

// lmFrameUnits is lm's FrameUnits: the token count of a frame's range.
func lmFrameUnits(r io.ByteReader) (uint64, error) {
	_, count, err := readLMFrameStart(r)
	return count, err
}

// readLMFrameStart reads the token range that opens the payload of a coded
// LM frame: first, the index of its first token, and count, its number of
// tokens (two uvarints).
func readLMFrameStart(r io.ByteReader) (first, count uint64, err error) {
	if first, err = binary.ReadUvarint(r); err == nil {
		count, err = binary.ReadUvarint(r)
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, 0, fmt.Errorf("%w: input ends inside an lm frame's token range", ErrTruncated)
		}
		return 0, 0, fmt.Errorf("%w: lm frame's token range: %w", ErrCorrupt, err)
	}
	return first, count, nil
}
