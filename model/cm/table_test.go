package cm

import (
	"flag"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	tableLevel = flag.Int("cm.table", 0, "print the 14-file corpus table for this level (0: skip)")
	tableFiles = flag.String("cm.files", "", "comma-separated file base names to restrict -cm.table to")
	tableMax   = flag.Int("cm.max", 0, "use only the first cm.max bytes of each file (0: all)")
)

// TestCorpusTable prints ideal compressed sizes and ns/byte for every corpus
// file at level -cm.table. Run: go test -run TestCorpusTable -cm.table=9 -v
func TestCorpusTable(t *testing.T) {
	if *tableLevel == 0 {
		t.Skip("set -cm.table=LEVEL to print the corpus table")
	}
	m, err := New(*tableLevel)
	require.NoError(t, err)
	var total float64
	var totalIn int
	var totalTime, totalCPU time.Duration
	t.Logf("level %d, MemoryBytes %d", *tableLevel, MemoryBytes(*tableLevel))
	for _, name := range corpusFiles {
		if *tableFiles != "" && !strings.Contains(","+*tableFiles+",", ","+path.Base(name)+",") {
			continue
		}
		data := readCorpus(t, name)
		if *tableMax > 0 && len(data) > *tableMax {
			data = data[:*tableMax]
		}
		m.Reset()
		start, cpu0 := time.Now(), cpuTime()
		bits := idealBits(m, data)
		el, cpu := time.Since(start), cpuTime()-cpu0
		total += bits / 8
		totalIn += len(data)
		totalTime += el
		totalCPU += cpu
		fmt.Printf("%-14s %9d %10.0f %6.3f bpc %7.0f ns/B %7.0f cpu-ns/B\n", path.Base(name), len(data), bits/8, bits/float64(len(data)),
			float64(el.Nanoseconds())/float64(len(data)), float64(cpu.Nanoseconds())/float64(len(data)))
	}
	fmt.Printf("%-14s %9d %10.0f %6.3f bpc %7.0f ns/B %7.0f cpu-ns/B\n", "total", totalIn, total, total*8/float64(totalIn),
		float64(totalTime.Nanoseconds())/float64(totalIn), float64(totalCPU.Nanoseconds())/float64(totalIn))
}
