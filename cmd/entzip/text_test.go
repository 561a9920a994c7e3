package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTextFlags: --text and --no-text turn the text transform on and off,
// -l -v says which, and static codes refuse it.
func TestTextFlags(t *testing.T) {
	dir := t.TempDir()
	data := sample(40_000, 7)
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-4", "--text"}, true},
		{[]string{"-4"}, false},
		{[]string{"-m", "orderk", "--solid", "--frame-size", "32K", "--text"}, true},
		{[]string{"-m", "orderk", "--text", "--no-text"}, false},
	} {
		writeFile(t, dir, "f.ez", ok(t, dir, data, tc.args...).stdout)
		list := string(ok(t, dir, nil, "-l", "-v", "f.ez").stdout)
		assert.Equal(t, tc.want, strings.Contains(list, ", text"), "%v: %s", tc.args, list)
		assert.Equal(t, data, ok(t, dir, nil, "-d", "-c", "f.ez").stdout, "%v", tc.args)
	}
	r := entzip(t, dir, data, "-1", "--text")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, string(r.stderr), "text transform")
}
