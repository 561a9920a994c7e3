package main

import (
	"fmt"
	"os"

	"github.com/entzip/entzip/container"
)

// train builds a dictionary from the sample files (--train) and writes it
// to -o, or defaultDictName, through a temporary file.
func (a *app) train(files []string) int {
	var samples [][]byte
	total := 0
	for _, name := range files {
		in := a.openInput(name)
		if in == nil {
			continue
		}
		b, err := readAll(in)
		in.close()
		if err != nil {
			a.fail(in.name, err)
			continue
		}
		samples = append(samples, b)
		total += len(b)
	}
	if a.status != exitOK {
		return a.status
	}
	d, err := container.TrainDictionary(samples, int(a.cfg.maxDict))
	if err != nil {
		fmt.Fprintf(a.stderr, "entzip: %s\n", errText(err))
		return exitError
	}
	b, err := d.MarshalBinary()
	if err != nil {
		fmt.Fprintf(a.stderr, "entzip: %s\n", errText(err))
		return exitError
	}
	name := a.cfg.output
	if name == "" {
		name = defaultDictName
	}
	out, err := createOutput(name, nil, a.cfg.force)
	if err == nil {
		if _, err = out.Write(b); err == nil {
			err = out.commit(nil)
		}
		if err != nil {
			out.abort()
		}
	}
	if err != nil {
		a.fail(name, err)
		return a.status
	}
	if !a.cfg.quiet {
		fmt.Fprintf(a.stderr, "entzip: %s: dictionary %016x of %d bytes from %d samples (%d bytes)\n", name, d.ID(), len(d.Content()), len(samples), total)
	}
	return exitOK
}

// readAll reads an input whole.
func readAll(in *input) ([]byte, error) {
	if in.info == nil {
		return nil, fmt.Errorf("samples are files; standard input is not one")
	}
	return os.ReadFile(in.name)
}
