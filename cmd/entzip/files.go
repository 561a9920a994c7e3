package main

import (
	"bufio"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// input is an opened input: a regular file or standard input.
type input struct {
	f    *os.File
	name string      // for messages: the name given, or stdinName
	info os.FileInfo // nil for standard input
}

// openInput opens the input named on the command line ("-" is standard
// input). It reports and skips directories and other non-regular files,
// and returns nil then or on error.
func (a *app) openInput(name string) *input {
	if name == "-" {
		return &input{f: os.Stdin, name: stdinName}
	}
	info, err := os.Stat(name)
	if err != nil {
		a.fail(name, err)
		return nil
	}
	switch {
	case info.IsDir():
		a.skip("%s is a directory -- ignored", name)
		return nil
	case !info.Mode().IsRegular():
		a.skip("%s is not a regular file -- ignored", name)
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		a.fail(name, err)
		return nil
	}
	return &input{f: f, name: name, info: info}
}

// close closes a file input; standard input stays open.
func (in *input) close() {
	if in.info != nil {
		in.f.Close()
	}
}

// errExists reports an output that is there already, without -f.
var errExists = errors.New("already exists; not overwritten (use -f to overwrite)")

// output is where the result for one input goes: standard output, or a
// temporary file in the directory of the final name (".NAME.tmpXXXXXX"),
// renamed into place by commit once it is complete and synced. Until then
// the signal handler removes it on SIGHUP, SIGINT and SIGTERM.
type output struct {
	f    *os.File
	w    *bufio.Writer
	n    int64  // bytes written
	name string // the final name; "" for standard output
	tmp  string // the temporary file; "" for standard output
	// force allows replacing an existing file; without it, commit checks
	// again that name does not exist, in case it appeared meanwhile.
	force bool
}

// bufSize is the buffer between the coder and the output file.
const bufSize = 256 << 10

// createOutput starts the output for name, or for standard output if name
// is "". Without force an existing name is an error (errExists); an input
// src is never its own output.
func createOutput(name string, src os.FileInfo, force bool) (*output, error) {
	if name == "" {
		return &output{f: os.Stdout, w: bufio.NewWriterSize(os.Stdout, bufSize)}, nil
	}
	if info, err := os.Stat(name); err == nil {
		if src != nil && os.SameFile(src, info) {
			return nil, &os.PathError{Op: "create", Path: name, Err: errors.New("input and output are the same file")}
		}
		if !force {
			return nil, &os.PathError{Op: "create", Path: name, Err: errExists}
		}
	}
	// Created private while incomplete; commit gives it the input's mode.
	// Without an input file it gets the usual 0666 less the umask.
	perm := fs.FileMode(0o666)
	if src != nil {
		perm = 0o600
	}
	dir, base := filepath.Split(name)
	for range 100 {
		tmp := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64()%1e6, 10))
		pending.Lock()
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			pending.name = tmp
		}
		pending.Unlock()
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "create", Path: name, Err: errors.Unwrap(err)}
		}
		return &output{f: f, w: bufio.NewWriterSize(f, bufSize), name: name, tmp: tmp, force: force}, nil
	}
	return nil, &os.PathError{Op: "create", Path: name, Err: errors.New("cannot create a temporary file")}
}

// display is the output's name in messages.
func (o *output) display() string {
	if o.name == "" {
		return stdoutName
	}
	return o.name
}

// Write implements io.Writer. Its errors name the final output, not the
// temporary file.
func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	o.n += int64(n)
	if err != nil {
		err = o.pathError("write", err)
	}
	return n, err
}

func (o *output) pathError(op string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &os.PathError{Op: op, Path: o.display(), Err: err}
}

// commit completes the output. A file gets the permission bits and
// modification time of src (when src is a file), is synced, closed and
// renamed to its final name.
func (o *output) commit(src os.FileInfo) error {
	if err := o.w.Flush(); err != nil {
		return o.pathError("write", err)
	}
	if o.tmp == "" {
		return nil
	}
	if src != nil {
		if err := o.f.Chmod(src.Mode().Perm()); err != nil {
			return o.pathError("chmod", err)
		}
	}
	if err := o.f.Sync(); err != nil {
		return o.pathError("sync", err)
	}
	err := o.f.Close()
	o.f = nil
	if err != nil {
		return o.pathError("close", err)
	}
	if src != nil {
		if err := os.Chtimes(o.tmp, time.Time{}, src.ModTime()); err != nil {
			return o.pathError("chtimes", err)
		}
	}
	pending.Lock()
	defer pending.Unlock()
	if _, err := os.Lstat(o.name); err == nil && !o.force {
		return o.pathError("rename", errExists)
	}
	if err := os.Rename(o.tmp, o.name); err != nil {
		return o.pathError("rename", err)
	}
	pending.name = ""
	o.tmp = ""
	return nil
}

// abort discards an output that failed: a temporary file is closed and
// removed. What went to standard output stays there.
func (o *output) abort() {
	if o.tmp == "" {
		return
	}
	if o.f != nil {
		o.f.Close()
	}
	pending.Lock()
	os.Remove(o.tmp)
	pending.name = ""
	pending.Unlock()
	o.tmp = ""
}

// removeInput removes a file input after its output is complete (--rm).
// The output's directory is synced first, so that the new name is on disk
// before the old file goes.
func removeInput(in *input, out *output) error {
	if d, err := os.Open(filepath.Dir(out.name)); err == nil {
		d.Sync() // best effort: some file systems cannot sync directories
		d.Close()
	}
	in.close()
	return os.Remove(in.name)
}

// pending is the temporary output being written, if any: the signal
// handler removes it. Whoever creates, renames or removes it holds the
// lock, so an interrupt never leaves a temporary file behind nor removes a
// renamed one.
var pending struct {
	sync.Mutex
	name string
}

// catchSignals makes SIGHUP, SIGINT and SIGTERM remove the pending
// temporary file and exit with 128 + the signal number (129, 130, 143),
// like a shell reports a process killed by the signal. It returns a
// function that stops this.
func catchSignals() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig, ok := <-ch
		if !ok {
			return
		}
		pending.Lock() // held until exit: no rename after this
		if pending.name != "" {
			os.Remove(pending.name)
		}
		code := 128 + 2
		if s, ok := sig.(syscall.Signal); ok {
			code = 128 + int(s)
		}
		os.Exit(code)
	}()
	return func() {
		signal.Stop(ch)
		close(ch)
	}
}
