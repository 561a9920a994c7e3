// Command entzip compresses and decompresses files in the entzip format
// (see docs/FORMAT.md). Its command line is that of gzip, xz and zstd.
//
// Usage:
//
//	entzip [FLAGS] [FILE...]
//	entzip bench [FLAGS] PATH...     (measure every model × coder pair and the baselines)
//	entzip entropy [FLAGS] FILE...   (the empirical entropy profile of each FILE)
//	entzip logits [FLAGS] -o OUT.npz FILE   (export a model's predictions as a logits file)
//
// entzip FILE compresses FILE to FILE.ez and keeps FILE (--rm removes it
// once FILE.ez is complete, synced to disk and decodes back to FILE's
// bytes). entzip -d FILE.ez restores
// FILE. With no FILE, or with -, entzip reads standard input and writes
// standard output, so it works as a filter and as tar -I entzip.
// -c writes to standard output, -o OUT to OUT; -t decodes and checks
// without writing; -l lists model, coder, sizes and ratio (-l -v every
// frame). --index appends a frame index and --restart N restarts a solid
// model every N frames, so that -d --range OFFSET:LENGTH decodes only the
// frames that cover the range. --train -o D.ezd SAMPLES... builds a
// dictionary that -D D.ezd primes the model with, for small inputs.
//
// The model and the coder are chosen with a preset -1 .. -9 (--fast,
// --best) and refined with -m MODEL, --order K, -e CODER, --static or
// --adaptive and --frame-size; entzip --help prints what each preset
// selects and which model × coder pairs work.
//
// Outputs are written to a temporary file beside the output and renamed
// into place only when complete; an existing file is never overwritten
// without -f, and compressed data is never written to a terminal without
// -f. Permission bits and modification time carry over from input to
// output.
//
// Exit status: 0 when every file was processed, 1 when any file failed or
// was skipped (entzip goes on with the next file), 2 for a usage error
// (unknown flag, bad value, -o with several inputs, a model and coder that
// do not work together), 129, 130 or 143 after SIGHUP, SIGINT or SIGTERM
// (the temporary output is removed, the input kept).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/entzip/entzip/container"
)

// Exit statuses.
const (
	exitOK    = 0 // every file processed
	exitError = 1 // some file failed or was skipped
	exitUsage = 2 // bad command line
)

// suffix is what compression appends and decompression removes.
const suffix = ".ez"

// stdinName and stdoutName stand for the standard streams in messages.
const (
	stdinName  = "(stdin)"
	stdoutName = "(stdout)"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run is entzip with arguments args; it returns the exit status.
func run(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "bench":
			return runBench(args[1:], os.Stdout, os.Stderr)
		case "entropy":
			return runEntropy(args[1:], os.Stdout, os.Stderr)
		case "logits":
			return runLogits(args[1:], os.Stdout, os.Stderr)
		}
	}
	cfg, files, err := parseArgs(args)
	if err != nil {
		return usageError(err)
	}
	switch {
	case cfg.help:
		printHelp(os.Stdout)
		return exitOK
	case cfg.version:
		printVersion(os.Stdout)
		return exitOK
	}
	if err := cfg.check(files); err != nil {
		return usageError(err)
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	if cfg.logits != "" {
		if err := cfg.openLogits(); err != nil {
			fmt.Fprintf(os.Stderr, "entzip: %s\n", errText(err))
			return exitError
		}
		defer cfg.lmFile.Close()
	}
	if cfg.dictFile != "" {
		if err := cfg.openDict(); err != nil {
			fmt.Fprintf(os.Stderr, "entzip: %s\n", errText(err))
			return exitError
		}
	}
	a := &app{cfg: cfg, stderr: os.Stderr}
	if cfg.train {
		stop := catchSignals()
		defer stop()
		return a.train(files)
	}
	if cfg.mode == modeCompress {
		// Resolve the options once, before any file is touched: a model and
		// coder that do not work together are a usage error, and the one
		// Writer is reused (Reset) for every file.
		zw, err := container.NewWriter(io.Discard, cfg.writerOptions()...)
		if err != nil {
			return usageError(err)
		}
		a.zw = zw
	}
	a.readerOpts = append(a.readerOpts, container.WithDecoderConcurrency(cfg.threads))
	if cfg.memory != 0 {
		a.readerOpts = append(a.readerOpts, container.WithMaxMemory(cfg.memory))
	}
	if cfg.lmFile != nil {
		a.readerOpts = append(a.readerOpts, container.WithDecoderLogits(cfg.lmFile))
	}
	if cfg.dict != nil {
		a.readerOpts = append(a.readerOpts, container.WithDecoderDictionary(cfg.dict))
	}
	stop := catchSignals()
	defer stop()
	return a.runFiles(files)
}

// app runs one command line over its inputs and keeps the exit status.
type app struct {
	cfg        *config
	stderr     io.Writer
	zw         *container.Writer // compression: resolved once, Reset per file
	readerOpts []container.ReaderOption
	status     int
}

// runFiles processes every input in turn, going on after a failed one,
// and returns the exit status.
func (a *app) runFiles(files []string) int {
	if !a.cfg.force {
		if msg := a.terminalProblem(files); msg != "" {
			fmt.Fprintf(a.stderr, "entzip: %s Use -f to force.\n", msg)
			return exitError
		}
	}
	if a.cfg.mode == modeList {
		a.list(files)
		return a.status
	}
	for _, name := range files {
		switch a.cfg.mode {
		case modeCompress:
			a.compress(name)
		case modeDecompress:
			if a.cfg.rng != nil {
				a.decompressRange(name)
			} else {
				a.decompress(name)
			}
		case modeTest:
			a.test(name)
		}
	}
	return a.status
}

// terminalProblem reports, like gzip, compressed data that would be
// written to or read from a terminal.
func (a *app) terminalProblem(files []string) string {
	stdin := false
	for _, f := range files {
		stdin = stdin || f == "-"
	}
	if a.cfg.mode == modeCompress {
		if a.toStdout(stdin) && term.IsTerminal(int(os.Stdout.Fd())) {
			return "compressed data not written to a terminal."
		}
	} else if stdin && term.IsTerminal(int(os.Stdin.Fd())) {
		return "compressed data not read from a terminal."
	}
	return ""
}

// toStdout reports whether an input goes to standard output: with -c, or
// when it is standard input and no -o is given.
func (a *app) toStdout(stdin bool) bool {
	return a.cfg.stdout || stdin && a.cfg.output == ""
}

// fail reports that name could not be processed. An *os.PathError names
// its own file (an output, say), which then stands in for name.
func (a *app) fail(name string, err error) {
	if pe, ok := err.(*os.PathError); ok {
		name, err = pe.Path, pe.Err
	}
	fmt.Fprintf(a.stderr, "entzip: %s: %s\n", name, errText(err))
	a.status = exitError
}

// skip reports an input left alone (a directory, a name with the wrong
// suffix). It is a warning, silenced by -q, but the exit status becomes 1.
func (a *app) skip(format string, args ...any) {
	if !a.cfg.quiet {
		fmt.Fprintf(a.stderr, "entzip: "+format+"\n", args...)
	}
	a.status = exitError
}

// warn prints a warning, unless -q; the exit status stays.
func (a *app) warn(format string, args ...any) {
	if !a.cfg.quiet {
		fmt.Fprintf(a.stderr, "entzip: "+format+"\n", args...)
	}
}

// usageError reports a bad command line and returns exitUsage.
func usageError(err error) int {
	fmt.Fprintf(os.Stderr, "entzip: %s\nTry 'entzip --help' for more information.\n", errText(err))
	return exitUsage
}

// plain returns err without the package prefix the container's sentinel
// errors carry, for errors that pflag prints after its own context.
func plain(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(errText(err))
}

// errText is the message of err as entzip prints it: without the
// "entzip: " prefixes of the container's sentinel errors, since the
// command prints its own.
func errText(err error) string {
	return strings.ReplaceAll(err.Error(), "entzip: ", "")
}
