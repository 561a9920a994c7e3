package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/entzip/entzip/container"
	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/cm"
	"github.com/entzip/entzip/model/lm"
)

// openLogits opens the --logits file. Compressing reads all of it once
// for its fingerprint (so does decompressing, to check it is the same).
func (c *config) openLogits() error {
	f, err := lm.Open(c.logits)
	if err != nil {
		return fmt.Errorf("--logits: %w", err)
	}
	c.lmFile = f
	return nil
}

// writeLMListLine writes the -l line of an lm stream: the logits it needs,
// its tokens and bits per token.
func writeLMListLine(w io.Writer, info container.Info) {
	in := info.Params.LM
	kind := "token-level"
	if in.ByteLevel {
		kind = "byte-level"
	}
	perToken := "-"
	if info.Units > 0 && info.StoredFrames == 0 {
		perToken = fmt.Sprintf("%.3f", 8*float64(info.CompressedSize)/float64(info.Units))
	}
	fmt.Fprintf(w, "      lm: %s logits, V=%d, fingerprint %016x; %d tokens, %s bits/token, %s bits/byte\n",
		kind, in.Vocab, in.Fingerprint, info.Units, perToken, bitsPerByte(int64(info.RawSize), info.CompressedSize))
}

// logitsConfig is the command line of entzip logits.
type logitsConfig struct {
	model  string
	order  int
	level  int
	topK   int
	output string
	force  bool
	zip    bool
	help   bool
}

const logitsUsage = `Usage: entzip logits [FLAGS] -o OUT.npz FILE
Write the predictions one of entzip's own models makes for FILE, byte by
byte, as a byte-level logits file (V = 256, one row per byte: row t is the
natural log of the model's probability of each byte value at position t,
before seeing it). entzip -m lm --logits OUT.npz FILE then codes FILE with
exactly these predictions, quantized, and entzip -d --logits OUT.npz
decodes it.

-m orderk: the byte distribution of the bitwise order-k model is the
product of its bit predictions along each byte's codeword (the prefix
code entzip would give a frame of FILE); every byte takes the up to 255
predictions of the code's binary tree, evaluated without updating the
model (model.OrderK.ByteDist), then the model learns the actual byte. One
model runs over the whole file (no frames). -m cm does the same with the
context-mixing model of --level (-1..-9, default 6; the memory of entzip
-m cm at that level): cm.Model.ByteDist evaluates the 255 predictions
without changing the model and differs from what coding would cost only
in the learning within a byte it does not replay (its state maps), about
0.03 % over text. -m order0 exports the order-0 frequencies.

FILE is read whole into memory; OUT holds 1 KiB per input byte (dense) or
8·K+4 bytes (--topk K).

Flags:
`

// runLogits is entzip logits.
func runLogits(args []string, stdout, stderr io.Writer) int {
	cfg := logitsConfig{model: "orderk", order: container.DefaultOrder}
	fs := quietFlagSet("entzip logits")
	fs.StringVarP(&cfg.model, "model", "m", cfg.model, "the `MODEL` whose predictions to export: orderk, cm or order0")
	fs.IntVar(&cfg.order, "order", cfg.order, "context order `K` of -m orderk")
	fs.IntVarP(&cfg.level, "level", "L", cm.DefaultLevel, "memory level `N` of -m cm (also -1..-9)")
	for l := cm.MinLevel; l <= cm.MaxLevel; l++ {
		name := strconv.Itoa(l)
		fs.BoolFuncP(name, name, "--level "+name, onTrue(func() { cfg.level = l }))
		_ = fs.MarkHidden(name)
	}
	fs.IntVar(&cfg.topK, "topk", 0, "write the `K` most likely bytes of each row and a rest logit (0: all 256)")
	fs.StringVarP(&cfg.output, "output", "o", "", "write to `OUT` (.npz; - for standard output)")
	fs.BoolVarP(&cfg.zip, "compress", "z", false, "deflate the arrays (np.savez_compressed; slower to read)")
	fs.BoolVarP(&cfg.force, "force", "f", false, "overwrite OUT")
	fs.BoolVarP(&cfg.help, "help", "h", false, "print this help")
	usage := func(err error) int {
		fmt.Fprintf(stderr, "entzip logits: %s\nTry 'entzip logits --help' for more information.\n", errText(err))
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		return usage(err)
	}
	if cfg.help {
		fmt.Fprint(stdout, logitsUsage+fs.FlagUsagesWrapped(100))
		return exitOK
	}
	switch {
	case fs.NArg() != 1:
		return usage(errors.New("give one input FILE"))
	case cfg.output == "":
		return usage(errors.New("give the output with -o OUT.npz"))
	case cfg.topK < 0 || cfg.topK > 256:
		return usage(errors.New("--topk must be between 0 and 256"))
	}
	newModel, err := newByteModel(cfg.model, cfg.order, cfg.level)
	if err != nil {
		return usage(err)
	}
	name := fs.Arg(0)
	data, err := os.ReadFile(name)
	if name == "-" {
		data, err = io.ReadAll(os.Stdin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "entzip logits: %s\n", err)
		return exitError
	}
	outName := cfg.output
	if outName == "-" {
		outName = ""
	}
	out, err := createOutput(outName, nil, cfg.force)
	if err != nil {
		fmt.Fprintf(stderr, "entzip logits: %s\n", err)
		return exitError
	}
	err = writeLogits(out, data, newModel, cfg.topK, cfg.zip)
	if err == nil {
		err = out.commit(nil)
	}
	if err != nil {
		out.abort()
		fmt.Fprintf(stderr, "entzip logits: %s\n", err)
		return exitError
	}
	return exitOK
}

// A byteModel gives the distribution of the next byte and learns the
// actual one.
type byteModel interface {
	dist(p *[256]float64)
	update(b byte)
}

// newByteModel returns a constructor of the named model for the data it
// is given: any registered model with an adaptive byte model, made as a
// Writer would make it to code the data as one frame (orderk at order,
// with the data's code; cm at level). The model is made once and reset
// for each later pass over the data (a reset model keeps its code).
func newByteModel(name string, order, level int) (func(data []byte) (byteModel, error), error) {
	id, err := container.ParseModel(name)
	if err != nil {
		return nil, plain(err)
	}
	s, _ := container.LookupModel(id)
	var opts []container.WriterOption
	if s.Level != nil {
		opts = append(opts, container.WithLevel(level))
	}
	opts = append(opts, container.WithModel(id), container.WithStatic(false))
	if s.Order != nil {
		opts = append(opts, container.WithOrder(order))
	}
	p, err := container.Resolve(opts...)
	if err != nil {
		return nil, plain(err)
	}
	sym, bit, err := container.NewModel(p)
	if err != nil {
		return nil, plain(err)
	}
	if sym != nil {
		return func([]byte) (byteModel, error) { sym.Reset(); return symbolBytes{sym}, nil }, nil
	}
	m, ok := bit.(distModel)
	if !ok {
		return nil, fmt.Errorf("model %s cannot give the distribution of the next byte (its bit model has no ByteDist)", s.Name)
	}
	first := true
	return func(data []byte) (byteModel, error) {
		switch {
		case !first:
			m.Reset()
		case p.Codewords:
			// The code and mark a frame of data would have.
			if err := container.SetFrameCode(m.(model.PrefixBitModel), data); err != nil {
				return nil, err
			}
		}
		first = false
		return bitBytes{m}, nil
	}, nil
}

// A distModel is a bitwise model (orderk, cm) that can give the
// distribution of the next byte.
type distModel interface {
	model.BitModel
	ByteDist(p *[256]float64)
}

// bitBytes is a distModel as a byteModel: its ByteDist gives the
// distribution, and it learns a byte's 8 bits, or its codeword's bits for
// a PrefixBitModel.
type bitBytes struct{ m distModel }

func (o bitBytes) dist(p *[256]float64) { o.m.ByteDist(p) }
func (o bitBytes) update(b byte) {
	code, n := uint32(b), 8
	if m, ok := o.m.(model.PrefixBitModel); ok {
		code, n = m.Codeword(b)
	}
	for i := n - 1; i >= 0; i-- {
		o.m.Update(int(code>>i) & 1)
	}
}

// symbolBytes is a SymbolModel as a byteModel.
type symbolBytes struct{ m model.SymbolModel }

func (o symbolBytes) dist(p *[256]float64) {
	for s := range p {
		_, f, total := o.m.Interval(s)
		p[s] = float64(f) / float64(total)
	}
}
func (o symbolBytes) update(b byte) { o.m.Update(int(b)) }

// writeLogits writes the .npz of the predictions newModel's model makes
// for data: dense rows, or the topK most likely bytes and a rest logit
// that keeps the unlisted mass (ln of its average).
func writeLogits(w io.Writer, data []byte, newModel func([]byte) (byteModel, error), topK int, deflate bool) error {
	h := lm.NPZHeader{Rows: len(data), VocabSize: 256, TopK: topK, RestLogit: topK > 0 && topK < 256, Deflate: deflate}
	var m byteModel
	next := 0
	var p [256]float64
	order := make([]int32, 256)
	bw := bufio.NewWriterSize(w, 1<<20)
	// WriteNPZ asks for the rows in order, once per array: the model runs
	// over the data once per pass.
	err := lm.WriteNPZ(bw, h, func(t int, row *lm.Row) error {
		if t == 0 || m == nil {
			var err error
			if m, err = newModel(data); err != nil {
				return err
			}
			next = 0
		}
		if t != next {
			return fmt.Errorf("row %d asked for out of order", t)
		}
		m.dist(&p)
		m.update(data[t])
		next++
		if topK == 0 {
			for b, q := range p {
				row.Logits[b] = float32(math.Log(q))
			}
			return nil
		}
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int {
			switch {
			case p[a] > p[b]:
				return -1
			case p[a] < p[b]:
				return 1
			}
			return 0
		})
		for j, id := range order[:topK] {
			row.IDs[j], row.Logits[j] = id, float32(math.Log(p[id]))
		}
		if topK < 256 {
			rest := 0.0
			for _, id := range order[topK:] {
				rest += p[id]
			}
			row.Rest = float32(math.Log(rest / float64(256-topK)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}
