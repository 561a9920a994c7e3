package main

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"time"

	"github.com/entzip/entzip/container"
)

// copyBufSize is the chunk io.CopyBuffer moves from the input to the coder.
const copyBufSize = 128 << 10

// compress compresses one input to NAME.ez, to -o OUT or to standard
// output.
func (a *app) compress(name string) {
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
		if strings.HasSuffix(name, suffix) && !a.cfg.force {
			a.skip("%s already has %s suffix -- unchanged", name, suffix)
			return
		}
		outName = name + suffix
	}
	out, err := createOutput(outName, in.info, a.cfg.force)
	if err != nil {
		a.fail(in.name, err)
		return
	}
	start := time.Now()
	r, done := a.progress(in.f, in, outName == "")
	// With --rm the input goes only once the output is known to restore
	// it: remember the checksum of what was read.
	sum := crc32.New(castagnoli)
	if a.cfg.rm {
		r = io.TeeReader(r, sum)
	}
	a.zw.Reset(out)
	// The struct hides (*os.File).WriteTo, so that the buffer is used.
	raw, err := io.CopyBuffer(a.zw, struct{ io.Reader }{r}, make([]byte, copyBufSize))
	if err == nil {
		err = a.zw.Close()
	}
	done()
	if err == nil {
		err = out.commit(in.info)
	}
	if err != nil {
		out.abort()
		a.fail(in.name, err)
		return
	}
	if a.cfg.rm && out.name != "" {
		if err := verify(out.name, raw, sum.Sum32(), a.readerOpts...); err != nil {
			a.fail(in.name, fmt.Errorf("%w; %s kept", err, in.name))
			return
		}
	}
	a.finish(in, out, raw, out.n, raw, time.Since(start))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// verify decodes the finished output name and checks that it restores
// exactly n bytes with CRC-32C crc, the input that was compressed.
func verify(name string, n int64, crc uint32, opts ...container.ReaderOption) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := container.NewReader(bufio.NewReaderSize(f, bufSize), opts...)
	if err != nil {
		return fmt.Errorf("verifying %s: %w", name, err)
	}
	sum := crc32.New(castagnoli)
	m, err := io.Copy(sum, zr)
	if err != nil {
		return fmt.Errorf("verifying %s: %w", name, err)
	}
	if m != n || sum.Sum32() != crc {
		return fmt.Errorf("verifying %s: it restores %d bytes with CRC-32C %08x, the input had %d bytes, %08x", name, m, sum.Sum32(), n, crc)
	}
	return nil
}

// finish ends a file processed without error: it removes the input for
// --rm and prints the -v summary. raw and packed are the uncompressed and
// compressed sizes, rate is the byte count the speed is measured on.
func (a *app) finish(in *input, out *output, raw, packed, rate int64, d time.Duration) {
	if a.cfg.rm && in.info != nil && out.name != "" {
		if err := removeInput(in, out); err != nil {
			a.fail(in.name, err)
		}
	}
	if a.cfg.verbose && !a.cfg.quiet {
		from, to := raw, packed
		if a.cfg.mode != modeCompress {
			from, to = packed, raw
		}
		fmt.Fprintf(a.stderr, "%s: %s -- %d -> %d bytes, %s bits/byte, %s\n",
			in.name, saved(raw, packed), from, to, bitsPerByte(raw, packed), speed(rate, d))
	}
}

// saved is the space saved, as gzip reports it: 75.1%.
func saved(raw, packed int64) string {
	if raw == 0 {
		return "0.0%"
	}
	return fmt.Sprintf("%.1f%%", 100*(1-float64(packed)/float64(raw)))
}

// bitsPerByte is the compressed size in bits per raw byte.
func bitsPerByte(raw, packed int64) string {
	if raw == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", 8*float64(packed)/float64(raw))
}

// speed is n bytes in d as MB/s (10^6 bytes).
func speed(n int64, d time.Duration) string {
	return fmt.Sprintf("%.1f MB/s", float64(n)/max(d.Seconds(), 1e-6)/1e6)
}
