package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/entzip/entzip/container"
)

// streamConfig holds the flags of random access and dictionaries.
type streamConfig struct {
	index    bool     // --index
	restart  int      // --restart N, 0 if not given
	rng      *byteRng // --range, nil if not given
	train    bool     // --train
	maxDict  int64    // --maxdict, 0 for the default
	dictFile string   // -D
	dict     *container.Dictionary
}

// byteRng is a --range: length bytes from offset, or to the end when
// length is negative.
type byteRng struct {
	offset, length int64
}

// addStreamFlags defines the flags of streamConfig.
func addStreamFlags(fs *pflag.FlagSet, c *streamConfig) {
	boolFlag(fs, &c.index, "index", "", "append a frame index, so that --range and -l -v find frames without reading the others")
	fs.Func("restart", "solid models start afresh every `N` frames, so that --range and -T can enter the stream there (costs ratio)", positiveInt(&c.restart))
	fs.Func("range", "with -d: decompress only `OFFSET:LENGTH` bytes of the data (sizes like 4M; OFFSET: to the end) to standard output or -o", func(s string) (err error) {
		c.rng, err = parseRange(s)
		return err
	})
	boolFlag(fs, &c.train, "train", "", "build a dictionary from the sample FILEs, written to -o (default "+defaultDictName+")")
	fs.Func("maxdict", fmt.Sprintf("with --train: the dictionary's largest `SIZE` (default %s)", formatSize(container.DefaultDictSize)), func(s string) (err error) {
		c.maxDict, err = parseSize(s)
		if err == nil && c.maxDict > container.MaxDictSize {
			err = fmt.Errorf("larger than %s", formatSize(container.MaxDictSize))
		}
		return err
	})
	fs.StringVarP(&c.dictFile, "dict", "D", "", "prime the model with the dictionary `FILE` (from --train), to compress and to decompress")
}

// defaultDictName is where --train writes without -o.
const defaultDictName = "dictionary.ezd"

// parseRange parses OFFSET:LENGTH or OFFSET: (to the end).
func parseRange(s string) (*byteRng, error) {
	off, length, ok := strings.Cut(s, ":")
	if !ok {
		return nil, errors.New("not OFFSET:LENGTH")
	}
	r := &byteRng{length: -1}
	var err error
	if r.offset, err = parseCount(off); err != nil {
		return nil, fmt.Errorf("offset: %w", err)
	}
	if length != "" {
		if r.length, err = parseCount(length); err != nil {
			return nil, fmt.Errorf("length: %w", err)
		}
	}
	return r, nil
}

// parseCount is parseSize that also takes 0.
func parseCount(s string) (int64, error) {
	if strings.TrimLeft(s, "0") == "" && s != "" {
		return 0, nil
	}
	return parseSize(s)
}

// checkStream reports flags of streamConfig that make no sense with the
// mode and the inputs.
func (c *config) checkStream(files []string) error {
	switch {
	case c.train && c.mode != modeCompress:
		return errors.New("--train builds a dictionary; it cannot be used with -d, -t or -l")
	case c.train && len(files) == 0:
		return errors.New("--train needs sample FILEs")
	case c.train && c.stdout:
		return errors.New("--train writes a file (-o), not standard output")
	case c.rng != nil && c.mode != modeDecompress:
		return errors.New("--range selects what -d decompresses")
	case c.rng != nil && len(files) != 1:
		return errors.New("--range takes one FILE")
	case c.maxDict != 0 && !c.train:
		return errors.New("--maxdict belongs to --train")
	}
	return nil
}

// streamOptions turns the flags into container options.
func (c *config) streamOptions() []container.WriterOption {
	var opts []container.WriterOption
	if c.index {
		opts = append(opts, container.WithIndex(true))
	}
	if c.restart != 0 {
		opts = append(opts, container.WithRestart(c.restart))
	}
	if c.dict != nil {
		opts = append(opts, container.WithDictionary(c.dict))
	}
	return opts
}

// openDict reads the -D dictionary.
func (c *config) openDict() error {
	b, err := os.ReadFile(c.dictFile)
	if err != nil {
		return err
	}
	if c.dict, err = container.ParseDictionary(b); err != nil {
		return fmt.Errorf("%s: %w", c.dictFile, err)
	}
	return nil
}

// end returns where r ends in data of size bytes, or an error when
// it reaches past the end.
func (r *byteRng) end(size int64) (int64, error) {
	switch {
	case r.offset > size:
		return 0, fmt.Errorf("--range starts at %d, past the end of the data (%d bytes)", r.offset, size)
	case r.length < 0:
		return size, nil
	case r.length > math.MaxInt64-r.offset || r.offset+r.length > size:
		return 0, fmt.Errorf("--range %d:%d ends past the end of the data (%d bytes)", r.offset, r.length, size)
	}
	return r.offset + r.length, nil
}
