package lm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// numpyRows are the logits testdata/make_numpy_fixtures.py writes.
func numpyRows(t, v int) [][]float32 {
	rows := make([][]float32, t)
	for r := range rows {
		rows[r] = make([]float32, v)
		for i := range rows[r] {
			rows[r][i] = float32((r*31+i*17)%64-32) / 4
		}
	}
	return rows
}

// TestNumpyFixtures reads files numpy itself wrote (np.save, np.savez,
// np.savez_compressed, format version 2.0).
func TestNumpyFixtures(t *testing.T) {
	open := func(name string) (*File, error) { return Open(filepath.Join("testdata", "numpy", name)) }
	for _, name := range []string{"dense_f4.npy", "dense_f2.npy", "dense_bf16.npy", "dense_f4_v2.npy"} {
		f, err := open(name)
		require.NoError(t, err, name)
		requireRows(t, f, numpyRows(3, 256))
		require.NoError(t, f.Close())
	}
	f, err := open("dense_bf16.npy")
	require.NoError(t, err)
	require.Equal(t, "<u2", f.Dtype())
	f.Close()
	_, err = open("fortran.npy")
	require.ErrorIs(t, err, ErrFortranOrder)
	_, err = open("bigendian.npy")
	require.ErrorIs(t, err, ErrDtype)

	f, err = open("tokens.npz")
	require.NoError(t, err)
	require.Equal(t, 0.5, f.Temperature())
	require.Equal(t, 8, f.VocabSize())
	toks, err := f.InputTokens([]byte("aabthe\x00\xff"))
	require.NoError(t, err)
	require.Equal(t, []int32{1, 3, 4, 7}, toks)
	rows := numpyRows(4, 8)
	for _, r := range rows {
		for i := range r {
			r[i] *= 2 // temperature 0.5, exactly
		}
	}
	requireRows(t, f, rows)
	f.Close()

	f, err = open("topk.npz")
	require.NoError(t, err)
	require.Equal(t, 2, f.TopK())
	require.Equal(t, 8, f.VocabSize())
	require.False(t, f.ByteLevel())
	m, err := NewModel(f)
	require.NoError(t, err)
	ids := [][]int64{{3, 1}, {0, 7}, {2, 6}, {5, 4}}
	lg := numpyRows(4, 2)
	var sp sparseRow
	for r := range 4 {
		e := []topEntry{{ids[r][0], float64(lg[r][0])}, {ids[r][1], float64(lg[r][1])}}
		require.NoError(t, sp.quantize(e, float64(-1-r), true, 8, TotalBits))
		for s := range 8 {
			ws, wf := sp.interval(int64(s))
			gs, gf, _ := m.Interval(s)
			require.Equal(t, [2]uint32{ws, wf}, [2]uint32{gs, gf}, "row %d token %d", r, s)
		}
		m.Update(0)
	}
	require.NoError(t, m.Err())
	f.Close()
}

// TestNumpyReadsWriteNPZ checks, when python3 with numpy is installed,
// that numpy loads what WriteNPZ and WriteNPY write.
func TestNumpyReadsWriteNPZ(t *testing.T) {
	if emu := os.Getenv("ENTZIP_EMULATOR"); emu != "" {
		t.Skipf("starting python3 from a Go test under %s crashes the Go runtime (morestack on g0)", emu)
	}
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("no python3 with numpy")
	}
	dir := t.TempDir()
	rows := numpyRows(4, 8)
	for _, deflate := range []bool{false, true} {
		var buf bytes.Buffer
		require.NoError(t, WriteNPZ(&buf, NPZHeader{Rows: 4, VocabSize: 8, TopK: 2, RestLogit: true, Vocab: testVocab,
			Temperature: 0.5, Tokens: []int32{1, 2, 3, 4}, Deflate: deflate}, func(i int, r *Row) error {
			r.IDs[0], r.IDs[1] = int32(i), int32(7-i)
			copy(r.Logits, rows[i][:2])
			r.Rest = -float32(i)
			return nil
		}))
		path := filepath.Join(dir, "w.npz")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		out, err := exec.Command(py, "-c", `
import sys, numpy as np
z = np.load(sys.argv[1])
print(sorted(z.files))
print(z["topk_ids"].tolist(), z["topk_logits"].dtype, z["topk_logits"][1].tolist(), z["rest_logit"].tolist())
print(bytes(z["vocab_bytes"]), z["vocab_offsets"].tolist(), float(z["temperature"]), z["tokens"].tolist())
`, path).CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Equal(t, "['rest_logit', 'temperature', 'tokens', 'topk_ids', 'topk_logits', 'vocab_bytes', 'vocab_offsets']\n"+
			"[[0, 7], [1, 6], [2, 5], [3, 4]] float32 [-0.25, 4.0] [-0.0, -1.0, -2.0, -3.0]\n"+
			"b'ababthe ba\\x00\\xff' [0, 0, 1, 2, 4, 7, 8, 10, 12] 0.5 [1, 2, 3, 4]\n", string(out))
	}
	var buf bytes.Buffer
	require.NoError(t, WriteNPY(&buf, 4, 8, func(i int, l []float32) error { copy(l, rows[i]); return nil }))
	path := filepath.Join(dir, "w.npy")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	out, err := exec.Command(py, "-c", `
import sys, numpy as np
x = np.load(sys.argv[1])
print(x.shape, x.dtype, x[3].tolist())
`, path).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Equal(t, "(4, 8) float32 [-0.75, 3.5, 7.75, -4.0, 0.25, 4.5, -7.25, -3.0]\n", string(out))
}
