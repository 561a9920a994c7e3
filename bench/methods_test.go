package bench

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/container"
)

// TestPairsWork checks that every pair Run measures by default is valid,
// named uniquely and found again by its name.
func TestPairsWork(t *testing.T) {
	seen := map[string]bool{}
	var ps []container.Params
	ps = append(ps, Pairs()...)
	for l := container.MinLevel; l <= container.MaxLevel; l++ {
		p, err := container.LevelParams(l)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	for _, p := range ps {
		require.NoError(t, p.Validate())
		name := PairName(p)
		m, err := parseMethod(name)
		require.NoError(t, err, name)
		assert.Equal(t, withDefaults(p), *m.Params, name)
		assert.Equal(t, name, m.Name)
		if !p.Static {
			p.Solid = true
			m, err := parseMethod(PairName(p))
			require.NoError(t, err, PairName(p))
			assert.True(t, m.Params.Solid)
		}
		seen[name] = true
	}
	assert.Len(t, seen, len(Pairs())+len(extraPresets()), "every pair and preset has its own name")
	for _, bad := range []string{"", "order0", "order9-arith", "orderk4-zip", "orderk4-huffman", "orderk4-arith-m99", "orderk4-arith-x", "zstd-go-worst"} {
		_, err := parseMethod(bad)
		assert.Error(t, err, bad)
	}
}

func TestMethodsSelection(t *testing.T) {
	names := func(sel Selection) []string {
		ms, _, err := Methods(sel)
		require.NoError(t, err)
		var s []string
		for _, m := range ms {
			s = append(s, m.Name)
		}
		return s
	}
	assert.Equal(t, append(presetNames(1, 2, 5, 6, 9), "zstd-go-default"), names(Selection{Quick: true}))
	// Orders select the pairs of that order and the presets of that order
	// not among the pairs (-5: orderk4 with 2 MiB of model memory).
	var order4 []string
	for _, p := range extraPresets() {
		if p.Model == container.OrderK && p.Order == 4 {
			order4 = append(order4, PairName(p))
		}
	}
	assert.Equal(t, append([]string{"orderk4-arith", "orderk4-rans"}, order4...),
		names(Selection{Orders: []int{4}, Baselines: []string{"none"}}))
	assert.Equal(t, append([]string{"orderk4-arith", "orderk4-arith-solid", "orderk4-rans", "orderk4-rans-solid"}, order4...),
		names(Selection{Orders: []int{4}, Solid: true, Baselines: []string{"none"}}))
	assert.Equal(t, []string{"orderk2-arith", "orderk2-rans"},
		names(Selection{Orders: []int{2}, Coders: []container.Coder{container.Arith, container.RANS}, Baselines: []string{"none"}}))
	assert.Equal(t, []string{"order0-huffman", "orderk1-huffman", "orderk2-huffman", "zstd-go-fastest", "zstd-go-default", "zstd-go-best"},
		names(Selection{Coders: []container.Coder{container.Huffman}, Baselines: []string{"zstd-go"}}))
	assert.Equal(t, append(presetNames(5), "gzip-go-9"),
		names(Selection{Levels: []int{5}, Baselines: []string{"gzip-go"}}))
	assert.Contains(t, names(Selection{Baselines: []string{"none"}, LongWindow: true, Levels: []int{1}}), "order0-rans-static")
	assert.Contains(t, names(Selection{Levels: []int{1}, Baselines: []string{"zstd-go"}, LongWindow: true}), "zstd-go-best-w27")

	all, skipped, err := Methods(Selection{})
	require.NoError(t, err)
	assert.Len(t, all, len(Pairs())+len(extraPresets())+4+len(toolSpecs)-len(skipped))
	for _, s := range skipped {
		assert.Contains(t, s.Reason, "not found on PATH")
	}

	_, _, err = Methods(Selection{Baselines: []string{"lz4"}})
	assert.ErrorContains(t, err, "unknown baseline")
	_, _, err = Methods(Selection{Levels: []int{12}})
	assert.Error(t, err)
	_, _, err = Methods(Selection{Models: []container.Model{container.LM}})
	assert.ErrorContains(t, err, "no working")
}

// presetNames returns the method names of the presets, without repeats.
func presetNames(levels ...int) []string {
	var names []string
	for _, l := range levels {
		p, err := container.LevelParams(l)
		if err != nil {
			panic(err)
		}
		if n := PairName(p); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// extraPresets returns the presets whose parameters are not among Pairs.
func extraPresets() []container.Params {
	var ps []container.Params
	for l := container.MinLevel; l <= container.MaxLevel; l++ {
		p, _ := container.LevelParams(l)
		if !slices.Contains(Pairs(), withDefaults(p)) && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return ps
}

// TestLibraryMethodsRoundTrip runs every Go library baseline, and every
// external tool that is installed, on a small input.
func TestBaselinesRoundTrip(t *testing.T) {
	src := alice(t)[:5000]
	ms := libraryMethods(true)
	for _, spec := range toolSpecs {
		if m, err := toolMethod(spec); err == nil {
			ms = append(ms, m)
		} else {
			t.Logf("%s: %v", spec.name, err)
		}
	}
	for _, m := range ms {
		t.Run(m.Name, func(t *testing.T) {
			z, err := m.Compress(nil, src)
			require.NoError(t, err)
			assert.Less(t, len(z), len(src))
			got, err := m.Decompress(nil, z, len(src))
			require.NoError(t, err)
			require.True(t, bytes.Equal(src, got))
			assert.NotEmpty(t, m.Version)
			assert.NotEmpty(t, m.Command)
		})
	}
}

func TestToolVersion(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil {
		t.Skip("xz not installed")
	}
	m, err := toolMethod(toolSpecs[0])
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(m.Version, "xz"), m.Version)
	assert.Regexp(t, `\d+\.\d+`, m.Version)
}
