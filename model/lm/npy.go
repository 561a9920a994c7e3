package lm

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The .npy format (numpy.lib.format), as far as this package reads it:
//
//	magic   "\x93NUMPY"
//	version major:u8 minor:u8           1.0, 2.0 or 3.0
//	hlen    u16le (1.0) or u32le (2.0, 3.0)
//	header  hlen bytes: a Python dict literal, padded with spaces, ending
//	        in '\n', e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 256), }
//	data    the array's elements in C order
//
// numpy pads the header so the data starts at a multiple of 64 bytes; this
// reader does not require it. Only little-endian ('<') or byte-order-free
// ('|') simple dtypes are accepted; structured dtypes are ErrDtype.
const (
	npyMagic = "\x93NUMPY"
	// maxHeaderLen bounds a .npy header; numpy's own limit for reading
	// untrusted files is 10000 bytes.
	maxHeaderLen = 1 << 16
	// maxDim bounds each dimension, so that products of a few dimensions
	// and an item size cannot overflow int64.
	maxDim = 1 << 40
)

// npyHeader is a parsed .npy header.
type npyHeader struct {
	descr   string  // as written, e.g. "<f4"
	kind    byte    // 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool, 'V' void
	size    int     // item size in bytes
	fortran bool    // fortran_order
	shape   []int64 // dimensions
	dataOff int64   // offset of the first element from the start of the .npy
}

// count returns the number of elements.
func (h *npyHeader) count() int64 {
	n := int64(1)
	for _, d := range h.shape {
		n *= d
		if n > maxDim {
			return math.MaxInt64 / 16 // caller's size checks will fail
		}
	}
	return n
}

// nbytes returns the size of the data.
func (h *npyHeader) nbytes() int64 { return h.count() * int64(h.size) }

// shapeString formats the shape as numpy prints it.
func shapeString(shape []int64) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatInt(d, 10))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// readNPYHeader reads a .npy header from r, which must be positioned at
// the magic.
func readNPYHeader(r io.Reader) (npyHeader, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return npyHeader{}, truncated(err, "npy preamble")
	}
	if string(pre[:6]) != npyMagic {
		return npyHeader{}, fmt.Errorf("%w: bad .npy magic %q", ErrFormat, pre[:6])
	}
	var hlen, off int64
	switch pre[6] {
	case 1:
		hlen, off = int64(binary.LittleEndian.Uint16(pre[8:])), 10
	case 2, 3:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return npyHeader{}, truncated(err, "npy header length")
		}
		hlen, off = int64(binary.LittleEndian.Uint32([]byte{pre[8], pre[9], b[0], b[1]})), 12
	default:
		return npyHeader{}, fmt.Errorf("%w: .npy version %d.%d", ErrFormat, pre[6], pre[7])
	}
	if hlen > maxHeaderLen {
		return npyHeader{}, fmt.Errorf("%w: .npy header of %d bytes (limit %d)", ErrFormat, hlen, maxHeaderLen)
	}
	buf := make([]byte, hlen)
	if _, err := io.ReadFull(r, buf); err != nil {
		return npyHeader{}, truncated(err, "npy header")
	}
	h, err := parseHeaderDict(string(buf))
	if err != nil {
		return npyHeader{}, err
	}
	h.dataOff = off + hlen
	return h, nil
}

// truncated maps an unexpected end of input to ErrTruncated.
func truncated(err error, what string) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: end of input in %s", ErrTruncated, what)
	}
	return fmt.Errorf("lm: reading %s: %w", what, err)
}

// parseHeaderDict parses the dict literal of a .npy header.
func parseHeaderDict(s string) (npyHeader, error) {
	p := &pyParser{s: s}
	v, err := p.value(0)
	if err == nil {
		p.space()
		if p.i < len(p.s) {
			err = p.errorf("trailing characters")
		}
	}
	if err != nil {
		return npyHeader{}, err
	}
	d, ok := v.(map[string]any)
	if !ok {
		return npyHeader{}, fmt.Errorf("%w: .npy header is not a dict", ErrFormat)
	}
	var h npyHeader
	descr, ok := d["descr"].(string)
	if !ok {
		if _, present := d["descr"]; present {
			return npyHeader{}, fmt.Errorf("%w: structured dtype %v", ErrDtype, d["descr"])
		}
		return npyHeader{}, fmt.Errorf("%w: .npy header has no 'descr'", ErrFormat)
	}
	if h.fortran, ok = d["fortran_order"].(bool); !ok {
		return npyHeader{}, fmt.Errorf("%w: .npy header has no boolean 'fortran_order'", ErrFormat)
	}
	shape, ok := d["shape"].([]any)
	if !ok {
		return npyHeader{}, fmt.Errorf("%w: .npy header has no 'shape' tuple", ErrFormat)
	}
	for _, x := range shape {
		n, ok := x.(int64)
		if !ok || n < 0 || n > maxDim {
			return npyHeader{}, fmt.Errorf("%w: bad dimension %v in shape", ErrFormat, x)
		}
		h.shape = append(h.shape, n)
	}
	h.descr = descr
	if len(descr) < 3 || (descr[0] != '<' && descr[0] != '|' && descr[0] != '=') {
		return npyHeader{}, fmt.Errorf("%w: %q (only little-endian simple dtypes)", ErrDtype, descr)
	}
	h.kind = descr[1]
	n, err := strconv.Atoi(descr[2:])
	if err != nil || n <= 0 || n > 16 {
		return npyHeader{}, fmt.Errorf("%w: %q", ErrDtype, descr)
	}
	h.size = n
	return h, nil
}

// pyParser parses the subset of Python literals .npy headers use: dicts,
// tuples, lists, strings, integers (with an optional L suffix), True,
// False and None.
type pyParser struct {
	s string
	i int
}

const maxPyDepth = 8

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: .npy header at byte %d: %s", ErrFormat, p.i, fmt.Sprintf(format, args...))
}

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// value parses one literal: map[string]any, []any, string, int64, bool
// or nil.
func (p *pyParser) value(depth int) (any, error) {
	if depth > maxPyDepth {
		return nil, p.errorf("nested too deeply")
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		d := make(map[string]any)
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return d, nil
			}
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, p.errorf("dict key is not a string")
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.errorf("expected ':'")
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d[ks] = v
			if err := p.sep('}'); err != nil {
				return nil, err
			}
		}
	case c == '(' || c == '[':
		end := byte(')')
		if c == '[' {
			end = ']'
		}
		p.i++
		var l []any
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == end {
				p.i++
				if l == nil {
					l = []any{}
				}
				return l, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			if err := p.sep(end); err != nil {
				return nil, err
			}
		}
	case c == '\'' || c == '"':
		j := strings.IndexByte(p.s[p.i+1:], c)
		if j < 0 {
			return nil, p.errorf("unterminated string")
		}
		v := p.s[p.i+1 : p.i+1+j]
		if strings.IndexByte(v, '\\') >= 0 {
			return nil, p.errorf("escape in string")
		}
		p.i += j + 2
		return v, nil
	case c == '-' || c >= '0' && c <= '9':
		j := p.i + 1
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		n, err := strconv.ParseInt(p.s[p.i:j], 10, 64)
		if err != nil {
			return nil, p.errorf("bad integer %q", p.s[p.i:j])
		}
		p.i = j
		if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
			p.i++
		}
		return n, nil
	default:
		for _, w := range [...]struct {
			s string
			v any
		}{{"True", true}, {"False", false}, {"None", nil}} {
			if strings.HasPrefix(p.s[p.i:], w.s) {
				p.i += len(w.s)
				return w.v, nil
			}
		}
		return nil, p.errorf("unexpected %q", c)
	}
}

// sep consumes a ',' or sees the closing end character.
func (p *pyParser) sep(end byte) error {
	p.space()
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case ',':
			p.i++
			return nil
		case end:
			return nil
		}
	}
	return p.errorf("expected ',' or %q", end)
}

// npyHeaderBytes formats a version 1.0 .npy preamble and header as numpy
// does, padded with spaces so the data starts at a multiple of 64 bytes.
func npyHeaderBytes(descr string, shape []int64) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shapeString(shape))
	n := 10 + len(dict) + 1
	pad := (64 - n%64) % 64
	b := make([]byte, 0, n+pad)
	b = append(b, npyMagic...)
	b = append(b, 1, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)+pad+1))
	b = append(b, dict...)
	for range pad {
		b = append(b, ' ')
	}
	return append(b, '\n')
}
