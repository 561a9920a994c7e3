package lm

import (
	"archive/zip"
	"bytes"
	"testing"
)

// FuzzParseNPY feeds arbitrary bytes to NewFile as a .npy or .npz file;
// whatever opens must then be usable without a panic: a Model codes and
// decodes a few rows, the tokens and fingerprints read or fail cleanly.
func FuzzParseNPY(f *testing.F) {
	rows := halfRows(3, 256)
	f.Add(npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 256), }", encodeFloats("<f4", flatten(rows))))
	f.Add(npyBytes(2, "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 256), }", encodeFloats("<f2", flatten(rows))))
	f.Add(npyBytes(3, "{'descr': '<u2', 'fortran_order': False, 'shape': (2, 257), }", make([]byte, 4*257)))
	toks, trows, _ := tokenFixture(4)
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		f.Add(zipBytes(f, method,
			"logits.npy", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 8), }", encodeFloats("<f4", flatten(trows))),
			"vocab_bytes.npy", npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (12,), }", testVocab.bytes),
			"vocab_offsets.npy", npyBytes(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (9,), }", int64Bytes32(testVocab.offsets)),
			"tokens.npy", npyBytes(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", int64Bytes(toks)),
		))
	}
	ids, logits, rest := topKRows(trows, 2)
	f.Add(writeNPZ(f, NPZHeader{Rows: 4, VocabSize: 8, TopK: 2, RestLogit: true, Vocab: testVocab, Temperature: 0.5}, func(i int, r *Row) error {
		copy(r.IDs, ids[i])
		copy(r.Logits, logits[i])
		r.Rest = rest[i]
		return nil
	}))
	f.Add(writeNPZ(f, NPZHeader{Rows: 3, VocabSize: 256, TopK: 1, Deflate: true}, func(int, *Row) error { return nil }))

	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := NewFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if file.VocabSize() < 1 || file.Vocab() == nil || file.Vocab().Len() != file.VocabSize() {
			t.Fatalf("inconsistent file: %s", file)
		}
		file.Tokens()
		file.QuickFingerprint()
		m, err := NewModel(file)
		if err != nil {
			return
		}
		n := min(file.Rows(), 16)
		var got []int
		for range n {
			start, freq, total := m.Interval(1 % file.VocabSize())
			if freq == 0 || start+freq > total || total != 1<<TotalBits {
				t.Fatalf("bad interval [%d, +%d) of %d", start, freq, total)
			}
			s, fs, ff := m.Find(total / 3)
			if s < 0 || s >= file.VocabSize() || fs > total/3 || fs+ff <= total/3 {
				t.Fatalf("Find(%d) = %d [%d, +%d)", total/3, s, fs, ff)
			}
			got = append(got, s)
			m.Update(s)
		}
		m.Interval(0)
		m.Close()
	})
}
