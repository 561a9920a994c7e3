package lm

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc64"
	"math"
)

// quickRows is how many rows QuickFingerprint reads at most.
const quickRows = 64

// Fingerprint returns the full fingerprint of f's logits.
//
// Fingerprints identify the logits a stream was coded with, so that a
// decoder given a different file fails with ErrMismatch before writing any
// output. They cover exactly what decoding depends on — T, V, K, the
// dtypes, the temperature, the vocabulary and the row data (top-k ids,
// logits, rest logits) — and not the tokens array or the container:
// a .npy file and an .npz holding the same logits array (stored or
// deflated, with or without tokens) have the same fingerprint.
//
// The digest is CRC-64 (ECMA) of
//
//	"entzip-lm-fp1" mode:u8 ('F' full, 'Q' quick) T:u64 V:u64 K:u64
//	descr(logits) descr(ids) descr(rest)        each len:u8 bytes, "" if absent
//	temperature:u64                             float64 bits, 1.0 when absent
//	byteLevel:u8, then unless byte-level: offsets (V+1 × u64) and vocab bytes
//	for each row t covered, in increasing order: t:u64 ids(t) logits(t) rest(t)
//
// where the rows covered are all of them (Fingerprint) or a sample of at
// most quickRows (QuickFingerprint): rows 0 and T−1 and 62 evenly spaced
// between. The trade-off: Fingerprint reads the whole file, seconds per
// GB, while QuickFingerprint reads 64 rows from a stored array (about
// 64·4·V bytes whatever T is) and catches a different model, tokenizer,
// temperature, shape or input, but not an edit confined to rows it skips.
// A decoder also sees every row it uses through Model.Digest, which a
// container can store per frame to catch the rest. (For a deflated
// member QuickFingerprint still decompresses everything up to row T−1:
// write large files with np.savez, not np.savez_compressed.)
func (f *File) Fingerprint() (uint64, error) { return f.fingerprint(false) }

// QuickFingerprint returns the sampled fingerprint of f's logits; see
// File.Fingerprint. It differs from Fingerprint's value even for the same
// file.
func (f *File) QuickFingerprint() (uint64, error) { return f.fingerprint(true) }

// Fingerprint returns the full fingerprint of the logits file at path; see
// File.Fingerprint.
func Fingerprint(path string) (uint64, error) { return fingerprintPath(path, false) }

// QuickFingerprint returns the sampled fingerprint of the logits file at
// path.
func QuickFingerprint(path string) (uint64, error) { return fingerprintPath(path, true) }

// VerifyFingerprint compares f's fingerprint (the quick one if quick) with
// want, the one recorded when the data was coded, and returns an
// ErrMismatch error if they differ.
func (f *File) VerifyFingerprint(want uint64, quick bool) error {
	got, err := f.fingerprint(quick)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: fingerprint %016x, the data was coded with %016x", ErrMismatch, got, want)
	}
	return nil
}

func fingerprintPath(path string, quick bool) (uint64, error) {
	f, err := Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return f.fingerprint(quick)
}

var crcECMA = crc64.MakeTable(crc64.ECMA)

func (f *File) fingerprint(quick bool) (uint64, error) {
	h := crc64.New(crcECMA)
	var b []byte
	mode := byte('F')
	if quick {
		mode = 'Q'
	}
	b = append(b, "entzip-lm-fp1"...)
	b = append(b, mode)
	b = binary.LittleEndian.AppendUint64(b, uint64(f.rows))
	b = binary.LittleEndian.AppendUint64(b, uint64(f.vocab))
	b = binary.LittleEndian.AppendUint64(b, uint64(f.topK))
	for _, a := range []*array{f.logits, f.ids, f.rest} {
		d := ""
		if a != nil {
			d = a.h.descr
		}
		b = append(b, byte(len(d)))
		b = append(b, d...)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.temp))
	if f.byteLvl {
		b = append(b, 1)
	} else {
		b = append(b, 0)
		for _, o := range f.voc.offsets {
			b = binary.LittleEndian.AppendUint64(b, uint64(o))
		}
	}
	h.Write(b)
	if !f.byteLvl {
		h.Write(f.voc.bytes)
	}

	var readers []*rowReader
	for _, a := range []*array{f.ids, f.logits, f.rest} {
		if a != nil {
			readers = append(readers, newRowReader(a))
		}
	}
	defer func() {
		for _, r := range readers {
			r.close()
		}
	}()
	T := int64(f.rows)
	n := T
	if quick {
		n = min(T, quickRows)
	}
	for i := range n {
		t := i
		if quick && T > quickRows {
			t = i * (T - 1) / (quickRows - 1)
		}
		if err := hashRow(h, readers, t); err != nil {
			return 0, err
		}
	}
	return h.Sum64(), nil
}

func hashRow(h hash.Hash64, readers []*rowReader, t int64) error {
	var tb [8]byte
	binary.LittleEndian.PutUint64(tb[:], uint64(t))
	h.Write(tb[:])
	for _, r := range readers {
		raw, err := r.row(t)
		if err != nil {
			return err
		}
		h.Write(raw)
	}
	return nil
}
