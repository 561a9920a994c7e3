package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/entzip/entzip/bench"
	"github.com/entzip/entzip/container"
)

// entropySchema names the JSON document of entzip entropy --json.
const entropySchema = "entzip-entropy/1"

// entropyConfig is the parsed command line of entzip entropy.
type entropyConfig struct {
	json     bool
	maxOrder int
	models   []string
	orders   []int
	memBits  int
	help     bool
}

func newEntropyFlags(c *entropyConfig) *pflag.FlagSet {
	fs := quietFlagSet("entzip entropy")
	fs.BoolVar(&c.json, "json", false, "write one JSON document")
	fs.IntVar(&c.maxOrder, "max-order", bench.DefaultMaxOrder, fmt.Sprintf("conditional entropies H1..H`K` (0..%d)", bench.MaxEntropyOrder))
	fs.StringSliceVarP(&c.models, "model", "m", nil, "add the cross-entropy of adaptive `MODEL`s: "+strings.Join(adaptiveModelNames(), ", "))
	fs.IntSliceVar(&c.orders, "order", nil, fmt.Sprintf("orders `K` of the -m models with an order (list: 2,4,6; default %d for orderk)", container.DefaultOrder))
	fs.IntVar(&c.memBits, "mem-bits", 0, "log2 of the model's table `BYTES` (0: the model's default)")
	fs.BoolVarP(&c.help, "help", "h", false, "print this help")
	return fs
}

func printEntropyHelp(w io.Writer) {
	fmt.Fprintf(w, `Usage: entzip entropy [FLAGS] FILE...
Print the empirical entropy profile of each FILE in bits/byte: H0, the
conditional entropies H1..Hk (the cost of the best static order-k model
with its parameters free, which an adaptive model can beat on structured
data), the Miller–Madow bias-corrected H0, Hartley (log2 of the distinct
bytes), Rényi collision entropy H2, min-entropy and perplexity 2^H0. With
-m, also each model's cross-entropy over the file, an estimate of its
entropy rate. docs/BENCH.md gives the formulas.

Flags:
%s
Example:
  entzip entropy -m order0,orderk --order 2,4,6 testdata/alice-ch1-2.txt
`, newEntropyFlags(&entropyConfig{}).FlagUsagesWrapped(100))
}

// entropyFile is the entropy profile of one file, as --json writes it.
type entropyFile struct {
	File    string         `json:"file"`
	Profile bench.Profile  `json:"profile"`
	Models  []entropyModel `json:"models,omitempty"`
}

// entropyModel is one model's cross-entropy over a file.
type entropyModel struct {
	Model       string  `json:"model"` // e.g. "orderk4"
	Bits        float64 `json:"bits"`
	BitsPerByte float64 `json:"bits_per_byte"`
}

// modelSpec is one model to run.
type modelSpec struct {
	name string
	opts []container.WriterOption // what selects it
}

// adaptiveModelNames names the registered models with an adaptive byte
// model, whose cross-entropy entropy -m computes.
func adaptiveModelNames() []string {
	var names []string
	for _, s := range container.Models() {
		if s.NewBitModel != nil || s.NewSymbolModel != nil {
			names = append(names, s.Name)
		}
	}
	return names
}

// runEntropy is entzip entropy with arguments args; it returns the exit
// status.
func runEntropy(args []string, stdout, stderr io.Writer) int {
	var c entropyConfig
	fs := newEntropyFlags(&c)
	if err := fs.Parse(args); err != nil {
		return benchUsage(stderr, err)
	}
	if c.help {
		printEntropyHelp(stdout)
		return exitOK
	}
	if fs.NArg() == 0 {
		return benchUsage(stderr, errors.New("entropy needs at least one FILE"))
	}
	if c.maxOrder < 0 || c.maxOrder > bench.MaxEntropyOrder {
		return benchUsage(stderr, fmt.Errorf("--max-order %d out of range 0..%d", c.maxOrder, bench.MaxEntropyOrder))
	}
	specs, err := c.modelSpecs()
	if err != nil {
		return benchUsage(stderr, err)
	}
	status := exitOK
	var out []entropyFile
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "entzip: %s\n", errText(err))
			status = exitError
			continue
		}
		prof, err := bench.Entropy(data, c.maxOrder)
		if err != nil {
			fmt.Fprintf(stderr, "entzip: %s: %s\n", name, errText(err))
			status = exitError
			continue
		}
		ef := entropyFile{File: name, Profile: prof}
		for _, s := range specs {
			bits, err := bench.CrossEntropy(data, s.opts...)
			if err != nil {
				return benchUsage(stderr, err)
			}
			em := entropyModel{Model: s.name, Bits: bits}
			if len(data) > 0 {
				em.BitsPerByte = bits / float64(len(data))
			}
			ef.Models = append(ef.Models, em)
		}
		if !c.json {
			writeEntropyText(stdout, &ef)
		}
		out = append(out, ef)
	}
	if c.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		doc := struct {
			Schema string        `json:"schema"`
			Files  []entropyFile `json:"files"`
		}{entropySchema, out}
		if err := enc.Encode(doc); err != nil {
			fmt.Fprintf(stderr, "entzip: %v\n", err)
			return exitError
		}
	}
	return status
}

// modelSpecs lists the models -m and --order ask for: each model at each
// order (a model with an order range), adaptive, with the coder of its
// first adaptive mode and the --mem-bits given.
func (c *entropyConfig) modelSpecs() ([]modelSpec, error) {
	var specs []modelSpec
	if len(c.orders) > 0 && len(c.models) == 0 {
		c.models = []string{container.OrderK.String()}
	}
	for _, name := range c.models {
		m, err := container.ParseModel(name)
		if err != nil {
			return nil, plain(err)
		}
		s, _ := container.LookupModel(m)
		i := slices.IndexFunc(s.Coders, func(m container.CoderMode) bool { return !m.Static })
		if i < 0 || s.NewBitModel == nil && s.NewSymbolModel == nil {
			return nil, fmt.Errorf("model %s has no adaptive byte model; entropy -m takes %s", s.Name, strings.Join(adaptiveModelNames(), ", "))
		}
		base := []container.WriterOption{container.WithModel(m), container.WithCoder(s.Coders[i].Coder), container.WithStatic(false)}
		if c.memBits != 0 {
			if s.MemBits == nil {
				return nil, fmt.Errorf("model %s takes no --mem-bits", s.Name)
			}
			base = append(base, container.WithMemBits(c.memBits))
		}
		if s.Order == nil {
			specs = append(specs, modelSpec{name: s.Name, opts: base})
			continue
		}
		orders := c.orders
		if len(orders) == 0 {
			orders = []int{s.Order.Default}
		}
		for _, k := range orders {
			specs = append(specs, modelSpec{name: s.Name + strconv.Itoa(k), opts: append(slices.Clip(base), container.WithOrder(k))})
		}
	}
	for _, s := range specs {
		if _, err := container.Resolve(s.opts...); err != nil {
			return nil, plain(err)
		}
	}
	return specs, nil
}

// writeEntropyText writes one file's profile as aligned lines.
func writeEntropyText(w io.Writer, ef *entropyFile) {
	p := &ef.Profile
	fmt.Fprintf(w, "%s: %s bytes, %d distinct byte values\n", ef.File, thousandsInt(p.N), p.Distinct)
	line := func(name, value, unit, what string) {
		fmt.Fprintf(w, "  %-13s %9s %-10s %s\n", name, value, unit, what)
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	line("H0", f(p.H0), "bits/byte", "empirical order-0 entropy: cost of the best static order-0 code, table free")
	line("Miller–Madow", f(p.MillerMadow), "bits/byte", "H0 + (m−1)/(2n·ln 2): H0 corrected for its downward bias")
	line("Hartley", f(p.Hartley), "bits/byte", "log2 m, m distinct byte values")
	line("Rényi H2", f(p.Collision), "bits/byte", "collision entropy −log2 Σp²")
	line("min-entropy", f(p.MinEntropy), "bits/byte", "−log2 max p")
	line("perplexity", strconv.FormatFloat(p.Perplexity, 'f', 2, 64), "symbols", "2^H0")
	for k := 1; k < len(p.H); k++ {
		line(fmt.Sprintf("H%d", k), f(p.H[k]), "bits/byte",
			fmt.Sprintf("H(next | %d previous), %s contexts: best static order-%d model, tables free", k, thousandsInt(p.Contexts[k]), k))
	}
	for _, m := range ef.Models {
		line(m.Model, f(m.BitsPerByte), "bits/byte", "cross-entropy of the adaptive model over the file, one pass")
	}
}

// thousandsInt formats n with comma separators.
func thousandsInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
