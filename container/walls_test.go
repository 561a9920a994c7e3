package container

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWalls checks the layering with go list: model and coder know
// nothing of each other nor of the container, bench and the command, and
// the container nothing of bench and the command.
func TestWalls(t *testing.T) {
	if emu := os.Getenv("ENTZIP_EMULATOR"); emu != "" {
		t.Skipf("starting go from a test under %s crashes the Go runtime", emu)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	const mod = "github.com/entzip/entzip/"
	walls := map[string][]string{
		"./model/...":  {"coder", "container", "bench", "cmd"},
		"./coder/...":  {"model", "container", "bench", "cmd"},
		"./container/": {"bench", "cmd"},
	}
	for pkgs, banned := range walls {
		out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", "../"+strings.TrimPrefix(pkgs, "./")).CombinedOutput()
		require.NoError(t, err, "%s", out)
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range banned {
				assert.False(t, dep == mod+b || strings.HasPrefix(dep, mod+b+"/"), "%s depends on %s", pkgs, dep)
			}
		}
	}
}
