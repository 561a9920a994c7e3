package cm

import (
	"flag"
	"fmt"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	tableLevel = flag.Int("cm.table", 0, "print the 14-file corpus table for this level (0: skip)")
	tableFiles = flag.String("cm.files", "", "comma-separated file base names to restrict -cm.table to")
	tableMax   = flag.Int("cm.max", 0, "use only the first cm.max bytes of each file (0: all)")
	tableCtx   = flag.String("cm.ctx", "", "comma-separated context ids to run instead of the level's (experiments)")
	tableLM    = flag.Int("cm.lm", -1, "1/0: force the long match model on/off (experiments)")
	tableAPM3  = flag.Int("cm.apm3", -1, "1/0: force the third APM on/off (experiments)")
	tableLin   = flag.Int("cm.lin", -1, "1/0: force the linear context inputs on/off (experiments)")
	tableDist  = flag.Bool("cm.dist", false, "also run ByteDist before each byte and print its cross-entropy")
)

// tableModel returns the model of -cm.table, with the contexts of -cm.ctx.
func tableModel(t *testing.T) *Model {
	cfg := levelConfig(*tableLevel, Rev)
	if *tableCtx != "" {
		cfg.ctx = nil
		for _, f := range strings.Split(*tableCtx, ",") {
			id, err := strconv.Atoi(f)
			require.NoError(t, err)
			cfg.ctx = append(cfg.ctx, uint8(id))
		}
	}
	if *tableLM >= 0 {
		cfg.longMatch = *tableLM == 1
	}
	if *tableLin >= 0 {
		cfg.lin = *tableLin == 1
	}
	if *tableAPM3 >= 0 {
		cfg.apm3 = *tableAPM3 == 1
	}
	return newModel(*tableLevel, cfg)
}

// TestCorpusTable prints ideal compressed sizes and ns/byte for every corpus
// file at level -cm.table, and with -cm.dist the cross-entropy of ByteDist
// and its difference from the code length. Run: go test -run
// TestCorpusTable -cm.table=9 -v
func TestCorpusTable(t *testing.T) {
	if *tableLevel == 0 {
		t.Skip("set -cm.table=LEVEL to print the corpus table")
	}
	m := tableModel(t)
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
		var bits, xent float64
		if *tableDist {
			xent, bits = distGap(m, data)
		} else {
			bits = idealBits(m, data)
		}
		el, cpu := time.Since(start), cpuTime()-cpu0
		total += bits / 8
		totalIn += len(data)
		totalTime += el
		totalCPU += cpu
		fmt.Printf("%-14s %9d %10.0f %6.3f bpc %7.0f ns/B %7.0f cpu-ns/B\n", path.Base(name), len(data), bits/8, bits/float64(len(data)),
			float64(el.Nanoseconds())/float64(len(data)), float64(cpu.Nanoseconds())/float64(len(data)))
		if *tableDist {
			fmt.Printf("%-14s ByteDist %.5f bpc, coding %.5f bpc: %+.3f %%\n", "", xent/float64(len(data)), bits/float64(len(data)), 100*(xent-bits)/bits)
		}
	}
	fmt.Printf("%-14s %9d %10.0f %6.3f bpc %7.0f ns/B %7.0f cpu-ns/B\n", "total", totalIn, total, total*8/float64(totalIn),
		float64(totalTime.Nanoseconds())/float64(totalIn), float64(totalCPU.Nanoseconds())/float64(totalIn))
}
