package bench

import (
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotFormat returns the image format WritePlot makes for a file name:
// "svg", "png" or "pdf", from its extension.
func PlotFormat(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".svg", ".png", ".pdf":
		return ext[1:], nil
	default:
		return "", fmt.Errorf("bench: cannot plot to %q: use a .svg, .png or .pdf file", name)
	}
}

// WritePlot draws bits/byte per method per file (one column per file, one
// marker per method) with each file's entropy bounds H0..Hk as horizontal
// reference lines across its column, and writes it to w in format ("svg",
// "png" or "pdf"). Failed results are left out. The legend stands to the
// right of the chart.
func (r *Report) WritePlot(w io.Writer, format string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("entzip bench: bits/byte per file (%s)", r.Date.Format("2006-01-02"))
	p.Y.Label.Text = "bits/byte"
	p.Y.Min = 0
	names := make([]string, len(r.Files))
	for i, f := range r.Files {
		names[i] = f.Name
	}
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.5
	p.X.Tick.Label.XAlign = draw.XRight
	p.Add(plotter.NewGrid())

	legend := plot.NewLegend()
	legend.Top = true
	legend.Left = true

	// Bounds: for order k, a dashed segment across each file's column.
	const halfWidth = 0.42
	for k := 0; k <= r.Settings.MaxOrder; k++ {
		style := draw.LineStyle{
			Color:  boundColor(k, r.Settings.MaxOrder),
			Width:  vg.Points(1.5),
			Dashes: []vg.Length{vg.Points(float64(6 - min(k, 4))), vg.Points(3)},
		}
		var first *plotter.Line
		for i, f := range r.Files {
			h := f.Entropy.H[k]
			l, err := plotter.NewLine(plotter.XYs{{X: float64(i) - halfWidth, Y: h}, {X: float64(i) + halfWidth, Y: h}})
			if err != nil {
				return err
			}
			l.LineStyle = style
			p.Add(l)
			if first == nil {
				first = l
			}
		}
		if first != nil {
			legend.Add(fmt.Sprintf("H%d bound", k), first)
		}
	}

	// Methods: markers spread across each column so they do not hide each
	// other.
	nm := len(r.Methods)
	for j, m := range r.Methods {
		var pts plotter.XYs
		off := 0.0
		if nm > 1 {
			off = -0.35 + 0.7*float64(j)/float64(nm-1)
		}
		for i, f := range r.Files {
			if res := f.Results[j]; res.Error == "" {
				pts = append(pts, plotter.XY{X: float64(i) + off, Y: res.BitsPerByte})
			}
		}
		if len(pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{
			Color:  plotutil.Color(j),
			Shape:  plotutil.Shape(j / len(plotutil.SoftColors)),
			Radius: vg.Points(3),
		}
		p.Add(s)
		legend.Add(m.Name, s)
	}

	width := vg.Length(max(8, 0.9*float64(len(r.Files))+4)) * vg.Inch
	const legendWidth = 2.3 * vg.Inch
	height := vg.Length(max(6, 0.17*float64(nm+r.Settings.MaxOrder+1)+1)) * vg.Inch
	cw, err := draw.NewFormattedCanvas(width+legendWidth, height, format)
	if err != nil {
		return err
	}
	dc := draw.New(cw)
	p.Draw(draw.Crop(dc, 0, -legendWidth, 0, 0))
	legend.Draw(draw.Crop(dc, width+vg.Points(6), 0, 0, -vg.Points(24)))
	_, err = cw.WriteTo(w)
	return err
}

// boundColor shades the bounds from dark (H0) to light (highest order).
func boundColor(k, maxOrder int) color.Color {
	v := uint8(40 + 150*k/max(maxOrder, 1))
	return color.RGBA{R: v, G: v, B: v, A: 255}
}
