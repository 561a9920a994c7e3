package bench

import (
	"fmt"
	"math"
	"math/bits"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/internal/markov"
)

// TestConvergencePlot draws docs/BENCH.md's "convergence to the entropy
// rate": for orderk, cm and static order-1 rANS on two order-1 Markov
// sources of internal/markov, the coded size of the first n symbols of a
// sample over the sample's information under the true chain (Info, whose
// mean is n·rate), against n, on log scales; the test log gives each
// point's bits per symbol beside the rate. It runs only with ENTZIP_CONVERGENCE_PLOT set to
// the SVG file to write (about a minute; 10^7 symbols of cm):
//
//	ENTZIP_CONVERGENCE_PLOT=$PWD/docs/convergence.svg go test ./bench -run TestConvergencePlot -v
func TestConvergencePlot(t *testing.T) {
	out := os.Getenv("ENTZIP_CONVERGENCE_PLOT")
	if out == "" {
		t.Skip("set ENTZIP_CONVERGENCE_PLOT=FILE.svg to draw the convergence plot")
	}
	var chains []*markov.Chain
	for _, c := range markov.Suite() {
		if c.Name == "markov1-a16" || c.Name == "markov1-a4-p0.99" {
			chains = append(chains, c)
		}
	}
	require.Len(t, chains, 2)
	methods := []struct {
		name string
		opts []container.WriterOption
	}{
		{"orderk 1 (arith)", []container.WriterOption{container.WithModel(container.OrderK), container.WithOrder(1), container.WithCoder(container.Arith)}},
		{"cm -6", []container.WriterOption{container.WithLevel(6)}},
		{"static rANS order 1 (-2)", []container.WriterOption{container.WithLevel(2)}},
	}
	p := plot.New()
	p.Title.Text = "code length per symbol against n, order-1 Markov sources"
	p.X.Label.Text = "n, symbols (log scale)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Label.Text = "coded bits / information of the sample − 1"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Max = 10
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	for ci, c := range chains {
		rate := c.EntropyRate()
		data := c.Sample(10_000_000, 100+uint64(ci))
		for mi, m := range methods {
			var pts plotter.XYs
			for e := 3.0; e <= 7.0; e += 0.5 {
				n := int(math.Round(math.Pow(10, e)))
				frame := 1 << max(container.MinFrameLog, min(container.MaxFrameLog, bits.Len(uint(n-1))))
				z, err := container.Compress(nil, data[:n], append(m.opts, container.WithFrameSize(frame))...)
				require.NoError(t, err)
				info := c.Info(data[:n])
				bps := 8 * float64(len(z)) / float64(n)
				pts = append(pts, plotter.XY{X: float64(n), Y: 8*float64(len(z))/info - 1})
				t.Logf("%s %-26s n=%-9d %.5f bits/symbol (rate %.5f, %+.2f %%; sample %.5f, %+.2f %%)",
					c.Name, m.name, n, bps, rate, 100*(bps/rate-1), info/float64(n), 100*(8*float64(len(z))/info-1))
			}
			l, err := plotter.NewLine(pts)
			require.NoError(t, err)
			l.Color = plotutil.Color(mi)
			l.Dashes = plotutil.Dashes(ci)
			l.Width = vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(fmt.Sprintf("%s, %s (rate %.3f)", m.name, c.Name, rate), l)
		}
	}
	require.NoError(t, p.Save(8*vg.Inch, 5*vg.Inch, out))
}
