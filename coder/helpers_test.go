package coder

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is the shared benchmark corpus, present on developer and CI
// machines beside the repository.
const corpusDir = "../../shared/corpus"

// corpusFile returns the named corpus file (e.g. "canterbury/alice29.txt"),
// or skips the test when the corpus is absent.
func corpusFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		tb.Skipf("corpus file %s not available: %v", name, err)
	}
	return b
}

// textBuffer returns n bytes of English text made by concatenating the
// canterbury text files, or skips when the corpus is absent.
func textBuffer(tb testing.TB, n int) []byte {
	tb.Helper()
	var out []byte
	names := []string{"canterbury/alice29.txt", "canterbury/asyoulik.txt", "canterbury/lcet10.txt", "canterbury/plrabn12.txt"}
	for len(out) < n {
		for _, name := range names {
			out = append(out, corpusFile(tb, name)...)
		}
	}
	return out[:n]
}
