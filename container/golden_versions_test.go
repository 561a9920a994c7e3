package container

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/cm"
)

// checkOldGoldens reads the golden streams of format version v
// (testdata/golden/vV, the goldens as they were before a later version
// changed a model's estimators): each still decodes to its source, with
// the estimators of its version.
func checkOldGoldens(t *testing.T, v byte) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "golden", fmt.Sprintf("v%d", v), "*.ez"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ez")
		t.Run(name, func(t *testing.T) {
			src := edgeCases()["text"][:4000]
			switch name {
			case "orderk3-arith-solid-codewords":
				src = edgeCases()["stored-between"]
			case "orderk3-arith-solid-text":
				src = goldenTextSource(t)
			}
			if wide, ok := wideGoldens(t)[name]; ok {
				src = wide
			}
			z, err := os.ReadFile(f)
			require.NoError(t, err)
			require.Equal(t, v, z[4], "version")
			got, err := Decompress(nil, z)
			require.NoError(t, err)
			require.True(t, bytes.Equal(src, got), "%s decodes to other bytes", name)
		})
	}
}

// TestGoldenVersion1: the goldens of version 1, before version 2 changed
// orderk's estimators.
func TestGoldenVersion1(t *testing.T) { checkOldGoldens(t, 1) }

// TestGoldenVersion2: a golden of version 2, before version 3 made cm's
// full configuration count the bytes 0x80..0xFF as word bytes; streams of
// versions 1 and 2 decode with cm's old word contexts (cm.RevASCIIWords;
// model/cm's TestDeterministicPinned pins both revisions).
func TestGoldenVersion2(t *testing.T) {
	checkOldGoldens(t, 2)
	for v, want := range map[int]int{1: cm.RevASCIIWords, 2: cm.RevASCIIWords, 3: cm.RevHighWords, 4: cm.Rev, 0: cm.Rev} {
		require.Equal(t, want, cmRevision(Params{Version: v, Model: CM}), "version %d", v)
	}
}

// TestGoldenVersion3: the goldens of version 3, before version 4 gave
// text streams a frame kind for machine code (the x86 filter), orderk
// longer wide counters and a stationary mark in codewords frames (among
// them the wide goldens of TestGoldenWide, which pin
// model.OrderKRevWide's counters) and cm new contexts and estimators
// (cm.RevIndirect; the cm goldens decode with cm.RevHighWords). A
// version-3 text stream decodes as before, and a frame of a kind its
// version lacks is corrupt.
func TestGoldenVersion3(t *testing.T) {
	checkOldGoldens(t, 3)
	for v, want := range map[int]int{1: model.OrderKRevNarrow, 2: model.OrderKRevWide, 3: model.OrderKRevWide, 0: model.OrderKRevLong} {
		require.Equal(t, want, orderKRevision(v), "version %d", v)
	}
	src, err := os.ReadFile(filepath.Join("..", "testdata", "golden", "v3", "orderk3-arith-solid-text.ez"))
	require.NoError(t, err)
	info, err := Inspect(bytes.NewReader(src))
	require.NoError(t, err)
	require.Equal(t, 3, info.Params.Version)
	require.Equal(t, byte(textKindsV3), newTextCodec(nil, info.Params).kinds)
	_, _, _, err = parseTextHeader([]byte{textX86}, 10, nil, textKindsV3)
	require.ErrorIs(t, err, ErrCorrupt)
	require.ErrorContains(t, err, "unknown frame filter kind 3")
}
