package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusPath is where the shared corpus lies relative to this package.
var corpusPath = filepath.Join("..", "..", "shared", "corpus")

// corpusOrAlice returns canterbury/alice29.txt from the shared corpus, or
// the bundled testdata/alice-ch1-2.txt without it.
func corpusOrAlice(tb testing.TB) []byte {
	tb.Helper()
	if data, err := os.ReadFile(filepath.Join(corpusPath, "canterbury", "alice29.txt")); err == nil {
		return data
	}
	return alice(tb)
}

// alice returns the bundled test text.
func alice(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "alice-ch1-2.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
