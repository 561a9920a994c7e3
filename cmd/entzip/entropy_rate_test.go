package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/internal/markov"
)

// TestEntropyRateOfChains checks entzip entropy against sources whose
// entropy rate is known exactly: for a sample of 10^6 symbols of an
// order-k Markov chain, the reported H_k is within 0.2 % of the rate the
// chain's rows and stationary distribution give. The near-deterministic
// chains' samples vary more than that around the rate (the standard
// deviation of their information is 0.8 % and 2.8 % of its mean at 10^6
// symbols), so for them the bound is 4 standard deviations instead.
func TestEntropyRateOfChains(t *testing.T) {
	dir := t.TempDir()
	for _, c := range markov.Suite() {
		if c.Order == 0 {
			continue // an i.i.d. source: its rate is H_0
		}
		t.Run(c.Name, func(t *testing.T) { checkEntropyRate(t, dir, c) })
	}
}

func checkEntropyRate(t *testing.T, dir string, c *markov.Chain) {
	const n = 1_000_000
	name := filepath.Join(dir, c.Name)
	require.NoError(t, os.WriteFile(name, c.Sample(n, 7), 0o644))
	r := ok(t, dir, nil, "entropy", "--json", "--max-order", "3", name)
	var doc struct {
		Files []entropyFile `json:"files"`
	}
	require.NoError(t, json.Unmarshal(r.stdout, &doc), "%s", r.stdout)
	require.Len(t, doc.Files, 1)
	hk := doc.Files[0].Profile.H[c.Order]
	rate := c.EntropyRate()
	t.Logf("%s: H_%d %.5f, rate %.5f bits/symbol (%+.3f %%)", c.Name, c.Order, hk, rate, 100*(hk/rate-1))
	tol := max(0.002*rate, 4*c.InfoStdDev(n)/n)
	assert.InDelta(t, rate, hk, tol, "%s: H_%d", c.Name, c.Order)
}
