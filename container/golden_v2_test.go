package container

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/entzip/entzip/model/cm"
	"github.com/stretchr/testify/require"
)

// TestGoldenVersion2 reads a golden stream of format version 2
// (testdata/golden/v2, written before version 3 made cm's full
// configuration count the bytes 0x80..0xFF as word bytes), and checks
// that streams of versions 1 and 2 decode with cm's old word contexts
// (cm.RevASCIIWords; model/cm's TestDeterministicPinned pins both
// revisions).
func TestGoldenVersion2(t *testing.T) {
	z, err := os.ReadFile(filepath.Join("..", "testdata", "golden", "v2", "cm1-arith.ez"))
	require.NoError(t, err)
	require.Equal(t, byte(2), z[4], "version")
	got, err := Decompress(nil, z)
	require.NoError(t, err)
	require.True(t, bytes.Equal(edgeCases()["text"][:4000], got), "cm1-arith decodes to other bytes")

	for v, want := range map[int]int{1: cm.RevASCIIWords, 2: cm.RevASCIIWords, 0: cm.Rev} {
		require.Equal(t, want, cmRevision(Params{Version: v, Model: CM}), "version %d", v)
	}
}
