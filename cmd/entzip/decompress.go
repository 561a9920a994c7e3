package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/entzip/entzip/container"
)

// decompress decompresses one input: NAME.ez to NAME, or to -o OUT or to
// standard output.
func (a *app) decompress(name string) {
	in := a.openInput(name)
	if in == nil {
		return
	}
	defer in.close()
	outName := ""
	switch {
	case a.toStdout(in.info == nil):
	case a.cfg.output != "":
		outName = a.cfg.output
	default:
		outName = strings.TrimSuffix(name, suffix)
		if outName == name || filepath.Base(name) == suffix {
			a.skip("%s: unknown suffix -- ignored", name)
			return
		}
	}
	start := time.Now()
	cr := &countingReader{r: in.f}
	r, done := a.progress(cr, in, outName == "")
	defer done()
	// The header is read before the output is created, so that input which
	// is not entzip leaves nothing behind.
	zr, err := container.NewReader(r, a.readerOpts...)
	if err != nil {
		a.fail(in.name, err)
		return
	}
	out, err := createOutput(outName, in.info, a.cfg.force)
	if err != nil {
		a.fail(in.name, err)
		return
	}
	raw, err := io.Copy(out, zr)
	done()
	if errors.Is(err, container.ErrIndex) {
		// The data is complete and verified; only random access suffers.
		a.warn("%s: warning: %s; the data decoded in full", in.name, errText(err))
		err = nil
	}
	if err == nil {
		err = out.commit(in.info)
	}
	if err != nil {
		out.abort()
		a.fail(in.name, err)
		return
	}
	a.finish(in, out, raw, cr.n, raw, time.Since(start))
}

// test decodes one input fully, checking every checksum, and reports OK or
// the error.
func (a *app) test(name string) {
	in := a.openInput(name)
	if in == nil {
		return
	}
	defer in.close()
	start := time.Now()
	cr := &countingReader{r: in.f}
	r, done := a.progress(cr, in, false)
	defer done()
	zr, err := container.NewReader(r, a.readerOpts...)
	if err != nil {
		a.fail(in.name, err)
		return
	}
	raw, err := io.Copy(io.Discard, zr)
	done()
	if err != nil {
		a.fail(in.name, err)
		return
	}
	switch {
	case a.cfg.quiet:
	case a.cfg.verbose:
		fmt.Fprintf(a.stderr, "%s: OK -- %s, %d -> %d bytes, %s bits/byte, %s\n",
			in.name, saved(raw, cr.n), cr.n, raw, bitsPerByte(raw, cr.n), speed(raw, time.Since(start)))
	default:
		fmt.Fprintf(a.stderr, "%s: OK\n", in.name)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
