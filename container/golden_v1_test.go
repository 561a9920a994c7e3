package container

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGoldenVersion1 reads the golden streams of format version 1
// (testdata/golden/v1, the goldens as they were before version 2 changed
// orderk's estimators): each still decodes to its source, with the
// estimators of its version.
func TestGoldenVersion1(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "v1", "*.ez"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ez")
		t.Run(name, func(t *testing.T) {
			src := edgeCases()["text"][:4000]
			if name == "orderk3-arith-solid-codewords" {
				src = edgeCases()["stored-between"]
			}
			z, err := os.ReadFile(f)
			require.NoError(t, err)
			require.Equal(t, byte(1), z[4], "version")
			got, err := Decompress(nil, z)
			require.NoError(t, err)
			require.True(t, bytes.Equal(src, got), "%s decodes to other bytes", name)
		})
	}
}
