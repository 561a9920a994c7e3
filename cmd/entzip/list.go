package main

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/entzip/entzip/container"
)

// listFormat lays out a row of -l, with right-aligned numbers like xz -l:
// streams, frames, compressed, uncompressed, ratio (space saved, as gzip
// -l), bits per byte, model, coder, file name.
const listFormat = "%5s %7s %13s %13s %7s %7s  %-12s %-15s %s\n"

// list prints what Inspect finds in each input, with totals for several
// inputs. It walks the frames without decoding them; use -t to check the
// data.
func (a *app) list(files []string) {
	fmt.Fprintf(os.Stdout, listFormat, "Strms", "Frames", "Compressed", "Uncompressed", "Ratio", "Bits/B", "Model", "Coder", "Filename")
	var total container.Info
	n := 0
	for _, name := range files {
		in := a.openInput(name)
		if in == nil {
			continue
		}
		info, err := container.Inspect(in.f)
		frames := ""
		if err == nil && a.cfg.verbose {
			frames, err = frameTable(in)
		}
		in.close()
		if err != nil {
			a.fail(in.name, err)
			continue
		}
		n++
		p := info.Params
		model, coder := listModel(p), p.Coder.String()
		if p.Static {
			coder += " static"
		} else {
			coder += " adaptive"
		}
		writeListRow(os.Stdout, info, model, coder, in.name)
		if p.LM != (container.LMInfo{}) {
			writeLMListLine(os.Stdout, info)
		}
		if a.cfg.verbose {
			fmt.Fprintf(os.Stdout, "      %s, frames of %s, %d of %d frames stored\n",
				p, formatSize(int64(p.FrameSize)), info.StoredFrames, info.Frames)
			fmt.Fprint(os.Stdout, frames)
		}
		total.Streams += info.Streams
		total.Frames += info.Frames
		total.CompressedSize += info.CompressedSize
		total.RawSize += info.RawSize
	}
	if len(files) > 1 {
		writeListRow(os.Stdout, total, "", "", fmt.Sprintf("%d files", n))
	}
}

func writeListRow(w io.Writer, info container.Info, model, coder, name string) {
	raw, packed := int64(info.RawSize), info.CompressedSize
	fmt.Fprintf(w, listFormat, strconv.Itoa(info.Streams), strconv.FormatInt(info.Frames, 10),
		strconv.FormatInt(packed, 10), strconv.FormatUint(info.RawSize, 10),
		saved(raw, packed), bitsPerByte(raw, packed), model, coder, name)
}

// listModel names p's model for a listing: its name, its order or level
// ("orderk k=4", "cm L=6") and what its spec adds ("lm V=50257").
func listModel(p container.Params) string {
	s, _ := container.LookupModel(p.Model)
	name := p.Model.String()
	switch {
	case s.Order != nil:
		name += " k=" + strconv.Itoa(p.Order)
	case s.Level != nil:
		name += " L=" + strconv.Itoa(p.Level)
	}
	if s.Describe != nil {
		name += s.Describe(p)
	}
	return name
}
