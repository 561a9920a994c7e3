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
		in.close()
		if err != nil {
			a.fail(in.name, err)
			continue
		}
		n++
		p := info.Params
		model, coder := p.Model.String(), p.Coder.String()
		if p.Model == container.OrderK {
			model += " k=" + strconv.Itoa(p.Order)
		}
		if p.Static {
			coder += " static"
		} else {
			coder += " adaptive"
		}
		if p.Model == container.LM {
			model += " V=" + strconv.Itoa(p.LM.Vocab)
		}
		writeListRow(os.Stdout, info, model, coder, in.name)
		if p.Model == container.LM {
			writeLMListLine(os.Stdout, info)
		}
		if a.cfg.verbose {
			fmt.Fprintf(os.Stdout, "      %s, frames of %s, %d of %d frames stored\n",
				p, formatSize(int64(p.FrameSize)), info.StoredFrames, info.Frames)
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
