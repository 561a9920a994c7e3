package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model/lm"
)

// mode is what entzip does with each input.
type mode int

const (
	modeCompress mode = iota
	modeDecompress
	modeTest
	modeList
)

// config is the parsed command line.
type config struct {
	mode       mode
	stdout     bool   // -c
	output     string // -o
	rm         bool   // --rm (-k resets it)
	force      bool
	quiet      bool
	verbose    bool
	noProgress bool
	help       bool
	version    bool

	level     int // 0: not given
	model     container.Model
	modelSet  bool
	coder     container.Coder
	coderSet  bool
	order     int // 0: not given
	memBits   int // 0: not given
	static    int // 0: automatic, 1: --static, -1: --adaptive
	solid     int // 0: the model's default, 1: --solid, -1: --no-solid
	codewords int // 0: the model's default, 1: --codewords, -1: --no-codewords
	text      int // 0: the preset's choice, 1: --text, -1: --no-text
	frameSize int // 0: not given
	memory    int64
	threads   int
	logits    string   // --logits: the logits file of -m lm
	lmFile    *lm.File // opened by openLogits
	streamConfig
}

// quietFlagSet returns an empty flag set for the command line of name
// that reports errors as values, prints nothing itself (help is ours) and
// keeps the flags in the order they are defined.
func quietFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	return fs
}

// newFlagSet returns the command-line flags, storing into cfg.
func newFlagSet(cfg *config) *pflag.FlagSet {
	fs := quietFlagSet("entzip")
	// Aliases the other compressors accept.
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		switch name {
		case "uncompress":
			name = "decompress"
		case "to-stdout":
			name = "stdout"
		}
		return pflag.NormalizedName(name)
	})
	setMode := func(m mode) func(string) error {
		return onTrue(func() { cfg.mode = m })
	}

	fs.BoolFuncP("compress", "z", "compress (the default)", setMode(modeCompress))
	fs.BoolFuncP("decompress", "d", "decompress (also --uncompress)", setMode(modeDecompress))
	fs.BoolFuncP("test", "t", "decompress and check each FILE, write nothing", setMode(modeTest))
	fs.BoolFuncP("list", "l", "list model, coder, sizes and ratio of each FILE", setMode(modeList))
	boolFlag(fs, &cfg.stdout, "stdout", "c", "write to standard output, keep the input (also --to-stdout)")
	fs.StringVarP(&cfg.output, "output", "o", "", "write to `OUT` (one input only; - is standard output)")
	fs.BoolFuncP("keep", "k", "keep the input (the default)", onTrue(func() { cfg.rm = false }))
	fs.BoolFunc("rm", "remove the input once the output is complete, synced and verified", onTrue(func() { cfg.rm = true }))
	boolFlag(fs, &cfg.force, "force", "f", "overwrite outputs, compress .ez files, read or write compressed data on a terminal")
	boolFlag(fs, &cfg.quiet, "quiet", "q", "no warnings and no progress bar (errors still show)")
	boolFlag(fs, &cfg.verbose, "verbose", "v", "print sizes, ratio and speed of each file")
	boolFlag(fs, &cfg.noProgress, "no-progress", "", "no progress bar")
	boolFlag(fs, &cfg.help, "help", "h", "print this help")
	boolFlag(fs, &cfg.version, "version", "V", "print the version")

	for l := container.MinLevel; l <= container.MaxLevel; l++ {
		name := strconv.Itoa(l)
		fs.BoolFuncP(name, name, "preset "+name, onTrue(func() { cfg.level = l }))
		_ = fs.MarkHidden(name)
	}
	fs.FuncP("level", "L", fmt.Sprintf("preset `N` (%d..%d), the same as -N", container.MinLevel, container.MaxLevel), func(s string) error {
		l, err := strconv.Atoi(s)
		if err != nil || l < container.MinLevel || l > container.MaxLevel {
			return fmt.Errorf("not a preset %d..%d", container.MinLevel, container.MaxLevel)
		}
		cfg.level = l
		return nil
	})
	fs.BoolFunc("fast", fmt.Sprintf("preset -%d", container.MinLevel), onTrue(func() { cfg.level = container.MinLevel }))
	fs.BoolFunc("best", fmt.Sprintf("preset -%d", container.MaxLevel), onTrue(func() { cfg.level = container.MaxLevel }))
	fs.FuncP("model", "m", "compress with `MODEL`: "+modelNames(), func(s string) (err error) {
		cfg.model, err = container.ParseModel(s)
		cfg.modelSet = err == nil
		return plain(err)
	})
	fs.Func("order", fmt.Sprintf("context order `K` of -m orderk (default %d)", container.DefaultOrder), positiveInt(&cfg.order))
	fs.Func("mem-bits", "log2 of the model's table `BYTES` (-m orderk; default: the model's or the preset's)", positiveInt(&cfg.memBits))
	fs.FuncP("coder", "e", "entropy `CODER`: "+coderNames(), func(s string) (err error) {
		cfg.coder, err = container.ParseCoder(s)
		cfg.coderSet = err == nil
		return plain(err)
	})
	fs.BoolFunc("static", "semi-static coding: tables built per frame and stored in it", onTrue(func() { cfg.static = 1 }))
	fs.BoolFunc("adaptive", "adaptive coding (without --static or --adaptive the coder decides)", onTrue(func() { cfg.static = -1 }))
	fs.BoolFunc("solid", "adaptive models keep learning across frames (better ratio; frames decode only in order)", onTrue(func() { cfg.solid = 1 }))
	fs.BoolFunc("no-solid", "every frame starts from a fresh model (the default for order0 and orderk)", onTrue(func() { cfg.solid = -1 }))
	fs.BoolFunc("codewords", "orderk predicts the bits of each byte's codeword in a Huffman code of the frame (the default unless --solid)", onTrue(func() { cfg.codewords = 1 }))
	fs.BoolFunc("no-codewords", "orderk predicts the 8 bits of each byte (the default with --solid)", onTrue(func() { cfg.codewords = -1 }))
	fs.BoolFunc("text", "transform frames of text before the model (words to codes from a dictionary the frame carries, capitals to flags) and filter x86 machine code (call targets for displacements)", onTrue(func() { cfg.text = 1 }))
	fs.BoolFunc("no-text", "code text frames as they are", onTrue(func() { cfg.text = -1 }))
	fs.Func("frame-size", fmt.Sprintf("`SIZE` of a frame in raw bytes, a power of two like 64K or 4M (default %s with adaptive arith, else %s)", formatSize(container.DefaultArithFrameSize), formatSize(container.DefaultFrameSize)), func(s string) error {
		n, err := parseSize(s)
		if err == nil && int64(int(n)) != n {
			err = errors.New("too large")
		}
		cfg.frameSize = int(n)
		return err
	})
	fs.Func("memory", fmt.Sprintf("limit the decoder's memory to `SIZE`, like 512M or 2G (default %s)", formatSize(container.DefaultMaxMemory)), func(s string) (err error) {
		cfg.memory, err = parseSize(s)
		return err
	})
	fs.StringVar(&cfg.logits, "logits", "", "the logits `FILE` (.npy/.npz) of -m lm, to compress and to decompress (see entzip logits --help)")
	fs.IntVarP(&cfg.threads, "threads", "T", 0, "code up to `N` frames at once, 0 for one per core (solid streams use one; the output does not depend on N)")
	addStreamFlags(fs, &cfg.streamConfig)
	return fs
}

// parseArgs parses the command line.
func parseArgs(args []string) (*config, []string, error) {
	cfg := &config{}
	fs := newFlagSet(cfg)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return cfg, fs.Args(), nil
}

// check reports combinations of flags that make no sense.
func (c *config) check(files []string) error {
	if err := c.checkStream(files); err != nil {
		return err
	}
	if c.output != "" {
		switch {
		case len(files) > 1 && !c.train:
			return errors.New("-o takes one input only")
		case c.stdout:
			return errors.New("-o and -c cannot be used together")
		case c.mode == modeTest || c.mode == modeList:
			return errors.New("-o cannot be used with -t or -l")
		}
		if c.output == "-" {
			c.output, c.stdout = "", true
		}
	}
	if c.threads < 0 {
		return errors.New("--threads must be 0 or more")
	}
	return nil
}

// writerOptions turns the flags into container options. The preset comes
// first, so -m, -e, --order and the rest refine it wherever they stand on
// the command line.
func (c *config) writerOptions() []container.WriterOption {
	var opts []container.WriterOption
	if c.level != 0 {
		opts = append(opts, container.WithLevel(c.level))
	}
	if c.modelSet {
		opts = append(opts, container.WithModel(c.model))
	}
	if c.coderSet {
		opts = append(opts, container.WithCoder(c.coder))
	}
	if c.order != 0 {
		opts = append(opts, container.WithOrder(c.order))
	}
	if c.memBits != 0 {
		opts = append(opts, container.WithMemBits(c.memBits))
	}
	if c.static != 0 {
		opts = append(opts, container.WithStatic(c.static > 0))
	}
	opts = append(opts, container.WithConcurrency(c.threads))
	if c.solid != 0 {
		opts = append(opts, container.WithSolid(c.solid > 0))
	}
	if c.text != 0 {
		opts = append(opts, container.WithTextTransform(c.text > 0))
	}
	if c.codewords != 0 {
		opts = append(opts, container.WithCodewords(c.codewords > 0))
	}
	if c.frameSize != 0 {
		opts = append(opts, container.WithFrameSize(c.frameSize))
	}
	if c.lmFile != nil {
		opts = append(opts, container.WithLogits(c.lmFile))
	}
	return append(opts, c.streamOptions()...)
}

// positiveInt returns a flag's parser that stores a number ≥ 1 in *p.
func positiveInt(p *int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return errors.New("not a positive number")
		}
		*p = n
		return nil
	}
}

// boolFlag defines a flag without a value that sets *p (--flag=false
// clears it).
func boolFlag(fs *pflag.FlagSet, p *bool, name, short, usage string) {
	fs.BoolFuncP(name, short, usage, func(s string) (err error) {
		*p, err = strconv.ParseBool(s)
		return err
	})
}

// onTrue returns a BoolFunc callback that runs fn for a true value
// (--flag or --flag=true) and ignores --flag=false.
func onTrue(fn func()) func(string) error {
	return func(s string) error {
		v, err := strconv.ParseBool(s)
		if v {
			fn()
		}
		return err
	}
}

// parseSize parses a byte count with an optional binary suffix: 64K, 4M,
// 2G, 1MiB, 512k.
func parseSize(s string) (int64, error) {
	num := strings.TrimRight(s, "KkMmGgIiBb")
	unit := strings.ToUpper(s[len(num):])
	shift := 0
	switch strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "I") {
	case "":
		if unit != "" && unit != "B" {
			return 0, fmt.Errorf("unknown unit %q (use K, M or G)", s[len(num):])
		}
	case "K":
		shift = 10
	case "M":
		shift = 20
	case "G":
		shift = 30
	default:
		return 0, fmt.Errorf("unknown unit %q (use K, M or G)", s[len(num):])
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("not a positive size")
	}
	if n > (1<<62)>>shift {
		return 0, errors.New("too large")
	}
	return n << shift, nil
}

// formatSize writes n with the largest binary suffix that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "G"}, {20, "M"}, {10, "K"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}
