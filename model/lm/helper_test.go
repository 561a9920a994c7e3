package lm

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/entzip/entzip/coder"
	"github.com/stretchr/testify/require"
)

// rng is a small deterministic generator (xorshift64*) so fixtures are the
// same on every machine.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return x * 2685821657736338717
}

// float returns a float in [0, 1) with 24 random bits.
func (r *rng) float() float32 { return float32(r.next()>>40) / (1 << 24) }

// intn returns an int in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// npyBytes builds a .npy file by hand the way numpy does: version 1.0
// (u16 header length) or 2.0 (u32), header padded with spaces to a
// multiple of 64 bytes and ending in '\n'.
func npyBytes(version byte, dict string, data []byte) []byte {
	pre := 10
	if version >= 2 {
		pre = 12
	}
	n := pre + len(dict) + 1
	pad := (64 - n%64) % 64
	hlen := len(dict) + pad + 1
	b := append([]byte(npyMagic), version, 0)
	if version >= 2 {
		b = binary.LittleEndian.AppendUint32(b, uint32(hlen))
	} else {
		b = binary.LittleEndian.AppendUint16(b, uint16(hlen))
	}
	b = append(b, dict...)
	b = append(b, bytes.Repeat([]byte{' '}, pad)...)
	b = append(b, '\n')
	return append(b, data...)
}

// encodeFloats serializes v as dtype '<f4', '<f2' or '<u2' (bfloat16,
// truncated).
func encodeFloats(descr string, v []float32) []byte {
	var b []byte
	for _, x := range v {
		switch descr {
		case "<f4":
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		case "<f2":
			b = binary.LittleEndian.AppendUint16(b, float32ToHalf(x))
		case "<u2":
			b = binary.LittleEndian.AppendUint16(b, uint16(math.Float32bits(x)>>16))
		}
	}
	return b
}

// zipBytes builds an .npz from members (name → .npy bytes) in order.
func zipBytes(t testing.TB, method uint16, members ...any) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(members); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: members[i].(string), Method: method})
		require.NoError(t, err)
		_, err = w.Write(members[i+1].([]byte))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// writeNPZ returns the bytes WriteNPZ writes.
func writeNPZ(t testing.TB, h NPZHeader, fill func(t int, row *Row) error) []byte {
	var buf bytes.Buffer
	require.NoError(t, WriteNPZ(&buf, h, fill))
	return buf.Bytes()
}

// openBytes opens an in-memory logits file.
func openBytes(t testing.TB, b []byte) *File {
	f, err := NewFile(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	return f
}

// encodeTokens codes toks with a Model of f, with the range coder or
// adaptive rANS, and returns the payload and the ideal code length in bits.
func encodeTokens(t testing.TB, f *File, toks []int32, rans bool) ([]byte, float64) {
	m, err := NewModel(f)
	require.NoError(t, err)
	defer m.Close()
	var enc interface {
		EncodeFreq(start, freq, total uint32)
		Finish([]byte) []byte
	}
	if rans {
		enc = coder.NewRANSEncoder()
	} else {
		enc = coder.NewArithEncoder()
	}
	var bits float64
	for _, s := range toks {
		start, freq, total := m.Interval(int(s))
		enc.EncodeFreq(start, freq, total)
		bits -= math.Log2(float64(freq) / float64(total))
		m.Update(int(s))
	}
	require.NoError(t, m.Err())
	return enc.Finish(nil), bits
}

// decodeTokens decodes n tokens of payload with a Model of f.
func decodeTokens(t testing.TB, f *File, payload []byte, n int, rans bool) []int32 {
	m, err := NewModel(f)
	require.NoError(t, err)
	defer m.Close()
	var dec interface {
		DecodeFreq(total uint32) uint32
		Consume(start, freq, total uint32)
		Close() error
	}
	if rans {
		dec = coder.NewRANSDecoder(payload)
	} else {
		dec = coder.NewArithDecoder(payload)
	}
	out := make([]int32, n)
	for i := range out {
		total := m.Total()
		s, start, freq := m.Find(dec.DecodeFreq(total))
		dec.Consume(start, freq, total)
		m.Update(s)
		out[i] = int32(s)
	}
	require.NoError(t, dec.Close())
	require.NoError(t, m.Err())
	return out
}

// crossEntropy returns Σ −log2 softmax(row_t / temp)[tok_t] in float64 —
// the LM's ideal code length, with the quantizer's top-k rest rule
// applied in floating point for top-k rows.
func crossEntropy(rows [][]float32, toks []int32) float64 {
	var bits float64
	for t, row := range rows {
		m := math.Inf(-1)
		for _, v := range row {
			m = max(m, float64(v))
		}
		var z float64
		for _, v := range row {
			z += math.Exp(float64(v) - m)
		}
		bits -= (float64(row[toks[t]]) - m - math.Log(z)) / math.Ln2
	}
	return bits
}

// crossEntropyTopK is crossEntropy for top-k rows under the rest rule:
// each unlisted token has logit rest[t] or, with rest nil, the unlisted
// tokens together weigh as much as the least likely listed one.
func crossEntropyTopK(ids [][]int32, logits [][]float32, rest []float32, v int, toks []int32) float64 {
	var bits float64
	for t := range ids {
		m := math.Inf(-1)
		lmin := math.Inf(1)
		for _, x := range logits[t] {
			m = max(m, float64(x))
			lmin = min(lmin, float64(x))
		}
		r := len(ids[t])
		restLogit := lmin - math.Log(float64(v-r))
		if rest != nil {
			restLogit = float64(rest[t])
		}
		m = max(m, restLogit)
		z := float64(v-r) * math.Exp(restLogit-m)
		y := restLogit
		for j, x := range logits[t] {
			z += math.Exp(float64(x) - m)
			if ids[t][j] == toks[t] {
				y = float64(x)
			}
		}
		bits -= (y - m - math.Log(z)) / math.Ln2
	}
	return bits
}
