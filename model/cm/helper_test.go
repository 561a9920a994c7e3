package cm

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is the shared corpus as reached from this package's directory.
const corpusDir = "../../../shared/corpus"

// corpusFiles lists the 14 corpus files, canterbury then large.
var corpusFiles = []string{
	"canterbury/alice29.txt", "canterbury/asyoulik.txt", "canterbury/cp.html",
	"canterbury/fields.c", "canterbury/grammar.lsp", "canterbury/kennedy.xls",
	"canterbury/lcet10.txt", "canterbury/plrabn12.txt", "canterbury/ptt5",
	"canterbury/sum", "canterbury/xargs.1", "large/E.coli", "large/bible.txt",
	"large/world192.txt",
}

// idealBits runs m over data (solid, no resets) and returns the ideal code
// length Σ -log2 P(bit) in bits.
func idealBits(m *Model, data []byte) float64 {
	var bits float64
	for _, c := range data {
		bits += codeByte(m, c)
	}
	return bits
}

// codeByte teaches m byte c and returns its ideal code length in bits. It
// multiplies the probabilities of 8 bits (each ≥ 2^-16, so no underflow)
// and takes one logarithm.
func codeByte(m *Model, c byte) float64 {
	prod := 1.0
	for i := 7; i >= 0; i-- {
		bit := int(c>>i) & 1
		p := m.P1()
		if bit == 0 {
			p = 65536 - p
		}
		prod *= float64(p)
		m.Update(bit)
	}
	return 128 - math.Log2(prod)
}

// readCorpusFile reads a corpus file.
func readCorpusFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(corpusDir, name))
}

// readCorpus reads a corpus file or skips the test if the corpus is absent.
func readCorpus(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := readCorpusFile(name)
	if err != nil {
		tb.Skipf("corpus file %s not available: %v", name, err)
	}
	return data
}
