package lm

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// halfRows are logits exactly representable in float16 and bfloat16.
func halfRows(t, v int) [][]float32 {
	r := rng(3)
	rows := make([][]float32, t)
	for i := range rows {
		rows[i] = make([]float32, v)
		for j := range rows[i] {
			rows[i][j] = float32(r.intn(64)-32) / 4
		}
	}
	return rows
}

func flatten(rows [][]float32) []float32 {
	var f []float32
	for _, r := range rows {
		f = append(f, r...)
	}
	return f
}

// requireRows checks that f's Model predicts what Quantize gives for rows.
func requireRows(t *testing.T, f *File, rows [][]float32) {
	t.Helper()
	require.Equal(t, len(rows), f.Rows())
	m, err := NewModel(f)
	require.NoError(t, err)
	freq := make([]uint32, len(rows[0]))
	for _, row := range rows {
		require.NoError(t, Quantize(freq, row, TotalBits))
		for s, want := range freq {
			_, got, _ := m.Interval(s)
			require.Equal(t, want, got, "row %d token %d", m.Row(), s)
		}
		m.Update(0)
	}
	require.NoError(t, m.Err())
}

func TestNPYHeaderBytes(t *testing.T) {
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 256), }"
	b := npyHeaderBytes("<f4", []int64{3, 256})
	require.Equal(t, npyBytes(1, dict, nil), b)
	require.Len(t, b, 128)
	require.Equal(t, "{'descr': '<i4', 'fortran_order': False, 'shape': (7,), }", string(npyHeaderBytes("<i4", []int64{7})[10:67]))
	require.Contains(t, string(npyHeaderBytes("<i8", nil)), "'shape': (), }")
}

func TestParseNPY(t *testing.T) {
	rows := halfRows(3, 256)
	for _, version := range []byte{1, 2, 3} {
		for _, descr := range []string{"<f4", "<f2", "<u2"} {
			t.Run(fmt.Sprintf("v%d/%s", version, descr), func(t *testing.T) {
				dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (3, 256), }", descr)
				b := npyBytes(version, dict, encodeFloats(descr, flatten(rows)))
				require.Zero(t, (len(b)-3*256*(len(descr[2:])))%64, "data aligned to 64")
				f := openBytes(t, b)
				require.Equal(t, descr, f.Dtype())
				require.Equal(t, 256, f.VocabSize())
				require.Equal(t, 0, f.TopK())
				requireRows(t, f, rows)
			})
		}
	}
	// Python 2 era headers: long integers, double quotes, no trailing comma.
	b := npyBytes(1, `{"descr": "<f4", "fortran_order": False, "shape": (3L, 256L)}`, encodeFloats("<f4", flatten(rows)))
	requireRows(t, openBytes(t, b), rows)
	// float64 logits.
	var d []byte
	for _, x := range flatten(rows) {
		d = binary.LittleEndian.AppendUint64(d, math.Float64bits(float64(x)))
	}
	requireRows(t, openBytes(t, npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 256), }", d)), rows)
}

func TestHalf(t *testing.T) {
	for _, x := range []float32{0, 1, -2.5, 65504, 6.1035156e-05, 5.9604645e-08, float32(math.Inf(1))} {
		require.Equal(t, x, halfToFloat32(float32ToHalf(x)), "%v", x)
	}
	require.True(t, math.IsNaN(float64(halfToFloat32(0x7E00))))
	require.Equal(t, uint16(0x8000), float32ToHalf(float32(math.Copysign(0, -1))))
	for h := range 1 << 16 {
		x := halfToFloat32(uint16(h))
		if x == x {
			require.Equal(t, uint16(h), float32ToHalf(x), "%#x", h)
		}
	}
}

func TestParseNPZ(t *testing.T) {
	rows := halfRows(4, 8)
	toks := []int32{1, 3, 4, 7}
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		b := zipBytes(t, method,
			"notes.txt", []byte("ignored"),
			"logits.npy", npyBytes(1, "{'descr': '<u2', 'fortran_order': False, 'shape': (4, 8), }", encodeFloats("<u2", flatten(rows))),
			"vocab_bytes.npy", npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (12,), }", testVocab.bytes),
			"vocab_offsets.npy", npyBytes(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (9,), }", int32Bytes(testVocab.offsets)),
			"temperature.npy", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", encodeFloats("<f4", []float32{1})),
			"tokens.npy", npyBytes(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", int64Bytes(toks)),
		)
		f := openBytes(t, b)
		require.Equal(t, 8, f.VocabSize())
		require.False(t, f.ByteLevel())
		require.Equal(t, 1.0, f.Temperature())
		require.Equal(t, []byte("ab"), f.Vocab().Token(3))
		got, err := f.Tokens()
		require.NoError(t, err)
		require.Equal(t, toks, got)
		input, err := f.Vocab().Detokenize(toks)
		require.NoError(t, err)
		require.Equal(t, "aab\x00\xffthe"[:0]+"aabthe\x00\xff", string(input))
		_, err = f.InputTokens(input)
		require.NoError(t, err)
		requireRows(t, f, rows)
	}
	// WriteNPZ's own output, every option.
	b := writeNPZ(t, NPZHeader{Rows: 4, VocabSize: 8, Vocab: testVocab, Tokens: toks, Temperature: 2, Deflate: true}, func(i int, r *Row) error {
		copy(r.Logits, rows[i])
		return nil
	})
	f := openBytes(t, b)
	require.Equal(t, 2.0, f.Temperature())
	require.True(t, f.HasTokens())
	half := make([][]float32, len(rows))
	for i, row := range rows {
		half[i] = make([]float32, len(row))
		for j, x := range row {
			half[i][j] = x / 2 // exact: the same rows at temperature 1
		}
	}
	requireRows(t, f, half)
}

func int32Bytes(v []int64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	return b
}

func int64Bytes(v []int32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	return b
}

func TestVocab(t *testing.T) {
	v := testVocab
	require.Equal(t, 8, v.Len())
	require.Nil(t, v.Token(8))
	require.Nil(t, v.Token(-1))
	require.Empty(t, v.Token(0))
	require.NoError(t, v.CheckTokens([]int32{4, 5, 3, 0}, []byte("the ab")))
	require.NoError(t, v.CheckTokens(nil, nil))
	for _, c := range []struct {
		toks  []int32
		input string
		err   error
	}{
		{[]int32{4, 5, 3}, "the ba", ErrTokens},
		{[]int32{4, 5, 3}, "the abc", ErrTokens},
		{[]int32{4, 5, 3}, "the a", ErrTokens},
		{[]int32{4, 8}, "the", ErrValue},
		{[]int32{-1}, "", ErrValue},
	} {
		require.ErrorIs(t, v.CheckTokens(c.toks, []byte(c.input)), c.err, "%v %q", c.toks, c.input)
	}
	_, err := v.Detokenize([]int32{1, 99})
	require.ErrorIs(t, err, ErrValue)
	bv := ByteVocab(257)
	require.Equal(t, []byte{200}, bv.Token(200))
	require.Empty(t, bv.Token(256))
}

// TestErrors checks that every kind of bad input is reported with its
// sentinel error, at Open or, for row contents, by the Model.
func TestErrors(t *testing.T) {
	hdr := func(descr, shape string) string {
		return fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	}
	f4 := func(n int) []byte { return make([]byte, 4*n) }
	logits := npyBytes(1, hdr("<f4", "(2, 8)"), f4(16))
	vb := npyBytes(1, hdr("|u1", "(12,)"), testVocab.bytes)
	vo := npyBytes(1, hdr("<i8", "(9,)"), int64Bytes32(testVocab.offsets))
	ids := npyBytes(1, hdr("<i4", "(2, 2)"), make([]byte, 16))
	kl := npyBytes(1, hdr("<f4", "(2, 2)"), f4(4))
	scalar := func(descr string, data []byte) []byte { return npyBytes(1, hdr(descr, "()"), data) }
	f64 := func(x float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(x)) }

	cases := []struct {
		name string
		data []byte
		err  error
	}{
		{"empty", nil, ErrFormat},
		{"not npy", []byte("hello, world"), ErrFormat},
		{"bad zip", []byte("PK\x03\x04 not really a zip"), ErrFormat},
		{"npy version", append([]byte(npyMagic+"\x04\x00"), make([]byte, 80)...), ErrFormat},
		{"npy header syntax", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 256)", f4(512)), ErrFormat},
		{"npy header not dict", npyBytes(1, "[1, 2]", nil), ErrFormat},
		{"npy no shape", npyBytes(1, "{'descr': '<f4', 'fortran_order': False}", nil), ErrFormat},
		{"npy negative dim", npyBytes(1, hdr("<f4", "(-1, 256)"), nil), ErrFormat},
		{"npy header truncated", npyBytes(1, hdr("<f4", "(2, 256)"), nil)[:40], ErrTruncated},
		{"npy data truncated", npyBytes(1, hdr("<f4", "(2, 256)"), f4(511)), ErrTruncated},
		{"dtype int logits", npyBytes(1, hdr("<i4", "(2, 256)"), f4(512)), ErrDtype},
		{"dtype big endian", npyBytes(1, hdr(">f4", "(2, 256)"), f4(512)), ErrDtype},
		{"dtype structured", npyBytes(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 256), }", f4(512)), ErrDtype},
		{"dtype string", npyBytes(1, hdr("<U4", "(2, 256)"), make([]byte, 16*512)), ErrDtype},
		{"fortran", npyBytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 256), }", f4(512)), ErrFortranOrder},
		{"1-D logits", npyBytes(1, hdr("<f4", "(256,)"), f4(256)), ErrShape},
		{"3-D logits", npyBytes(1, hdr("<f4", "(1, 2, 256)"), f4(512)), ErrShape},
		{"V without vocab", npyBytes(1, hdr("<f4", "(2, 300)"), f4(600)), ErrVocab},
		{"V mismatch vocab", zipBytes(t, zip.Store, "logits.npy", npyBytes(1, hdr("<f4", "(2, 9)"), f4(18)), "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrShape},
		{"vocab half", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", vb), ErrMissing},
		{"vocab offsets", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", npyBytes(1, hdr("|u1", "(11,)"), testVocab.bytes[:11]), "vocab_offsets.npy", vo), ErrVocab},
		{"vocab bytes dtype", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", npyBytes(1, hdr("<f4", "(12,)"), f4(12)), "vocab_offsets.npy", vo), ErrDtype},
		{"no logits", zipBytes(t, zip.Store, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrMissing},
		{"empty zip", zipBytes(t, zip.Store), ErrMissing},
		{"both dense and topk", zipBytes(t, zip.Store, "logits.npy", logits, "topk_ids.npy", ids, "topk_logits.npy", kl, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrFormat},
		{"topk half", zipBytes(t, zip.Store, "topk_ids.npy", ids, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrMissing},
		{"topk shapes", zipBytes(t, zip.Store, "topk_ids.npy", ids, "topk_logits.npy", npyBytes(1, hdr("<f4", "(2, 3)"), f4(6)), "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrShape},
		{"topk ids dtype", zipBytes(t, zip.Store, "topk_ids.npy", npyBytes(1, hdr("<f4", "(2, 2)"), f4(4)), "topk_logits.npy", kl, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrDtype},
		{"topk no V", zipBytes(t, zip.Store, "topk_ids.npy", ids, "topk_logits.npy", kl), ErrMissing},
		{"topk K > V", zipBytes(t, zip.Store, "topk_ids.npy", npyBytes(1, hdr("<i4", "(1, 9)"), f4(9)), "topk_logits.npy", npyBytes(1, hdr("<f4", "(1, 9)"), f4(9)), "vocab_bytes.npy", vb, "vocab_offsets.npy", vo), ErrShape},
		{"vocab_size range", zipBytes(t, zip.Store, "topk_ids.npy", ids, "topk_logits.npy", kl, "vocab_size.npy", scalar("<i8", binary.LittleEndian.AppendUint64(nil, 1<<30))), ErrValue},
		{"vocab_size shape", zipBytes(t, zip.Store, "topk_ids.npy", ids, "topk_logits.npy", kl, "vocab_size.npy", npyBytes(1, hdr("<i8", "(2,)"), make([]byte, 16))), ErrShape},
		{"rest shape", zipBytes(t, zip.Store, "topk_ids.npy", ids, "topk_logits.npy", kl, "vocab_size.npy", scalar("<i8", binary.LittleEndian.AppendUint64(nil, 256)), "rest_logit.npy", npyBytes(1, hdr("<f4", "(3,)"), f4(3))), ErrShape},
		{"temperature zero", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo, "temperature.npy", scalar("<f8", f64(0))), ErrValue},
		{"temperature NaN", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo, "temperature.npy", scalar("<f8", f64(math.NaN()))), ErrValue},
		{"temperature Inf", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo, "temperature.npy", scalar("<f8", f64(math.Inf(1)))), ErrValue},
		{"tokens 2-D", zipBytes(t, zip.Store, "logits.npy", logits, "vocab_bytes.npy", vb, "vocab_offsets.npy", vo, "tokens.npy", ids), ErrShape},
		{"duplicate member", zipBytes(t, zip.Store, "logits.npy", logits, "logits.npy", logits), ErrFormat},
		{"deflated member truncated", zipBytes(t, zip.Deflate, "logits.npy", npyBytes(1, hdr("<f4", "(2, 256)"), f4(500))), ErrTruncated},
		{"stored member truncated", zipBytes(t, zip.Store, "logits.npy", npyBytes(1, hdr("<f4", "(2, 256)"), f4(500))), ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewFile(bytes.NewReader(c.data), int64(len(c.data)))
			require.ErrorIs(t, err, c.err)
		})
	}

	// A zip whose central directory promises more data than the file
	// holds (cut in the middle of the stored member).
	good := writeNPZ(t, NPZHeader{Rows: 100, VocabSize: 256}, func(int, *Row) error { return nil })
	cut := append(append([]byte{}, good[:len(good)/2]...), good[len(good)-200:]...)
	_, err := NewFile(bytes.NewReader(cut), int64(len(cut)))
	require.Error(t, err)

	// Tokens whose ids exceed V, that do not reproduce the input, or whose
	// count differs from T.
	rows := func(i int, r *Row) error { return nil }
	f := openBytes(t, writeNPZ(t, NPZHeader{Rows: 2, VocabSize: 8, Vocab: testVocab, Tokens: []int32{1, 9}}, rows))
	_, err = f.Tokens()
	require.ErrorIs(t, err, ErrValue)
	f = openBytes(t, writeNPZ(t, NPZHeader{Rows: 2, VocabSize: 8, Vocab: testVocab, Tokens: []int32{1, 2}}, rows))
	_, err = f.InputTokens([]byte("ba"))
	require.ErrorIs(t, err, ErrTokens)
	_, err = f.InputTokens([]byte("ab"))
	require.NoError(t, err)
	f = openBytes(t, writeNPZ(t, NPZHeader{Rows: 3, VocabSize: 8, Vocab: testVocab, Tokens: []int32{1, 2}}, rows))
	_, err = f.InputTokens([]byte("ab"))
	require.ErrorIs(t, err, ErrRows)
	f = openBytes(t, writeNPZ(t, NPZHeader{Rows: 2, VocabSize: 8, Vocab: testVocab}, rows))
	_, err = f.InputTokens([]byte("ab"))
	require.ErrorIs(t, err, ErrMissing)
	_, err = f.Tokens()
	require.ErrorIs(t, err, ErrMissing)

	// Top-k rows with bad ids are reported by the Model, with the row.
	tk := func(id int32) func(int, *Row) error {
		return func(i int, r *Row) error {
			r.IDs[0], r.IDs[1] = 0, 1
			if i == 1 {
				r.IDs[1] = id
			}
			return nil
		}
	}
	f = openBytes(t, writeNPZ(t, NPZHeader{Rows: 2, VocabSize: 256, TopK: 2}, tk(0)))
	m, err := NewModel(f)
	require.NoError(t, err)
	m.Update(0)
	m.Interval(5)
	require.ErrorIs(t, m.Err(), ErrValue)
	require.ErrorContains(t, m.Err(), "row 1: lm: invalid value: top-k id 0 listed twice")
	require.ErrorIs(t, WriteNPZ(new(bytes.Buffer), NPZHeader{Rows: 2, VocabSize: 256, TopK: 2}, tk(256)), ErrValue)

	// WriteNPZ checks its header.
	for _, h := range []NPZHeader{
		{Rows: 1, VocabSize: 0},
		{Rows: 1, VocabSize: 300},
		{Rows: 1, VocabSize: 256, TopK: 257},
		{Rows: 1, VocabSize: 256, RestLogit: true},
		{Rows: 1, VocabSize: 9, Vocab: testVocab},
		{Rows: 1, VocabSize: 256, Temperature: math.NaN()},
	} {
		require.Error(t, WriteNPZ(new(bytes.Buffer), h, rows), "%+v", h)
	}
}

func int64Bytes32(v []int64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	return b
}
