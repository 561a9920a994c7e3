package main

import (
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressMin is the smallest input that gets a progress bar.
const progressMin = 4 << 20

// progress returns r, counting into a progress bar on standard error when
// one is worth showing: in is a file over progressMin bytes, standard
// error is a terminal, the output is not a terminal too (it would mix
// with the bar), and neither -q nor --no-progress is given. done clears the bar; calling
// it again is harmless.
func (a *app) progress(r io.Reader, in *input, toStdout bool) (_ io.Reader, done func()) {
	if in.info == nil || in.info.Size() < progressMin || a.cfg.quiet || a.cfg.noProgress ||
		!term.IsTerminal(int(os.Stderr.Fd())) || toStdout && term.IsTerminal(int(os.Stdout.Fd())) {
		return r, func() {}
	}
	bar := progressbar.NewOptions64(in.info.Size(),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(filepath.Base(in.name)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
	)
	pr := progressbar.NewReader(r, bar)
	return &pr, func() { bar.Clear() }
}
