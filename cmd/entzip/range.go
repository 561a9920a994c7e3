package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/entzip/entzip/container"
)

// decompressRange decompresses the --range of one file to standard output
// or -o OUT, decoding only the frames (or solid runs) that cover it.
func (a *app) decompressRange(name string) {
	in := a.openInput(name)
	if in == nil {
		return
	}
	defer in.close()
	if in.info == nil {
		a.fail(in.name, errors.New("--range reads a file at an offset, not standard input"))
		return
	}
	start := time.Now()
	sr, err := container.NewSeekableReader(in.f, in.info.Size(), a.readerOpts...)
	if err != nil {
		a.fail(in.name, err)
		return
	}
	off := a.cfg.rng.offset
	end, err := a.cfg.rng.end(sr.Size())
	if err != nil {
		a.fail(in.name, err)
		return
	}
	fi := sr.Index()
	if off < fi.RawSize {
		a.warnRunStart(in.name, fi, off)
	}
	out, err := createOutput(a.cfg.output, nil, a.cfg.force)
	if err != nil {
		a.fail(in.name, err)
		return
	}
	n, err := io.CopyBuffer(out, io.NewSectionReader(sr, off, end-off), make([]byte, a.rangeBuffer(fi, end-off)))
	if err == nil {
		err = out.commit(nil)
	}
	if err != nil {
		out.abort()
		a.fail(in.name, err)
		return
	}
	if a.cfg.verbose && !a.cfg.quiet {
		fmt.Fprintf(a.stderr, "%s: bytes %d..%d (%d bytes), %s\n", in.name, off, end, n, speed(n, time.Since(start)))
	}
}

// warnRunStart says, when reaching byte off of a solid stream means
// decoding frames before off's, how much that is and how to avoid it.
func (a *app) warnRunStart(name string, fi *container.FileIndex, off int64) {
	from := fi.RunStart(off)
	f := fi.Frames[fi.FrameAt(off)]
	if from == f.RawOffset {
		return
	}
	why := "the stream is solid (its frames decode only in order from the start)"
	hint := "; compress with --restart N or --no-solid for random access"
	if r := fi.Streams[f.Stream].Params.Restart; r > 0 {
		why = fmt.Sprintf("the stream restarts its model every %d frames (frames decode in order from the last restart)", r)
		hint = ""
	}
	a.warn("%s: warning: %s, so reaching byte %d decodes the %d bytes before it from byte %d%s", name, why, off, off-from, from, hint)
}

// rangeBuffer returns how much of a range of n bytes to read at once: a
// run of frames for each thread, so that -T decodes runs in parallel,
// within 1 MiB..256 MiB.
func (a *app) rangeBuffer(fi *container.FileIndex, n int64) int {
	run := int64(0)
	for _, s := range fi.Streams {
		frames := int64(max(s.Params.Restart, 1))
		run = max(run, frames*int64(s.Params.FrameSize))
	}
	threads := int64(a.cfg.threads)
	if threads == 0 {
		threads = int64(runtime.GOMAXPROCS(0))
	}
	return int(max(1, min(n, max(1<<20, min(threads*run, 256<<20)))))
}

// frameTable lists the frames of a file for -l -v: from its frame
// indexes, or by reading the frame records, decoding nothing.
func frameTable(in *input) (string, error) {
	if in.info == nil {
		return "      (standard input: frames listed for files only)\n", nil
	}
	fi, err := container.ReadIndex(in.f, in.info.Size())
	if err != nil {
		return "", err
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Stream\tFrame\tOffset\tSize\tRaw offset\tRaw size\tDecodes from\t")
	for i, f := range fi.Frames {
		from := "-" // decodes on its own
		if fi.Streams[f.Stream].Params.Solid {
			from = strconv.FormatInt(fi.Frames[fi.RunFirst(i)].Frame, 10)
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", f.Stream, f.Frame, f.Offset, f.Size, f.RawOffset, f.RawSize, from)
	}
	tw.Flush()
	for i, s := range fi.Streams {
		src := "frame index"
		if !s.Indexed {
			src = "frame records (no index; compress with --index)"
		}
		fmt.Fprintf(&b, "      stream %d: %d frames from its %s\n", i, s.Count, src)
	}
	return b.String(), nil
}
