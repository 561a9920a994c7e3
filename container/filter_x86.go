package container

// The x86 filter (docs/FORMAT.md, "Text frames", kind 3): in machine code
// for x86 and x86-64, a call (opcode 0xE8) or a jump (0xE9) is followed by
// a 32-bit little-endian displacement from the end of the instruction.
// Calls to one function from many places have many displacements but one
// target, so the filter replaces each displacement with the target's
// position in the frame, and the model sees the same four bytes wherever
// the same function is called.
//
// The scan runs from the frame's first byte. At an opcode byte at
// position i with i+5 ≤ n, the four bytes after it are a window: if the
// opcode is a call and the window's last byte is 0x00 or 0xFF (a
// displacement d of −2^24 ≤ d < 2^24, as nearly all are in a program
// below 16 MiB), it becomes
//
//	a = ((d + i + 5 + 2^24) mod 2^25) − 2^24
//
// as four little-endian bytes (again ending in 0x00 or 0xFF; the inverse
// is d = ((a − i − 5 + 2^24) mod 2^25) − 2^24), else it stays; either way
// the scan goes on at i+5. Other bytes stay and the scan goes on at i+1.
// The positions the scan visits hold the same bytes before and after the
// filter and a window's last byte keeps its class, so the inverse scan
// visits the same positions and makes the same choices. Jumps stay: their
// targets are near and seldom shared, and turning them too cost bash
// 0.4 % and Go's gofmt 0.4 % at -6 (so did the conditional jumps 0x0F
// 0x80..0x8F: 0.4 % and 0.6 % more).

const (
	x86Window  = 5       // opcode and displacement
	x86Span    = 1 << 25 // displacements and targets are taken modulo x86Span
	x86Half    = x86Span / 2
	x86MinHits = 64 // fewest calls and jumps with a near displacement a frame needs
)

// x86Near reports whether the window starting at src[i] (an opcode) ends
// in the last byte of a near displacement.
func x86Near(src []byte, i int) bool {
	return src[i+4] == 0x00 || src[i+4] == 0xFF
}

// x86Convert rewrites the displacement after the opcode at i in place:
// to the target (forward) or back (inverse); sign is +1 or −1.
func x86Convert(b []byte, i, sign int) {
	d := int(int32(uint32(b[i+1]) | uint32(b[i+2])<<8 | uint32(b[i+3])<<16 | uint32(b[i+4])<<24))
	a := (d+sign*(i+x86Window)+x86Half)&(x86Span-1) - x86Half
	b[i+1], b[i+2], b[i+3], b[i+4] = byte(a), byte(a>>8), byte(a>>16), byte(a>>24)
}

// x86Filter appends src to dst and filters the appended bytes, forward
// (sign +1) or inverse (−1); it returns dst.
func x86Filter(dst, src []byte, sign int) []byte {
	start := len(dst)
	dst = append(dst, src...)
	b := dst[start:]
	for i := 0; i+x86Window <= len(b); i++ {
		if b[i]&0xFE != 0xE8 {
			continue
		}
		if b[i] == 0xE8 && x86Near(b, i) {
			x86Convert(b, i, sign)
		}
		i += x86Window - 1
	}
	return dst
}

// isX86 reports whether src looks like x86 machine code: among the call
// and jump opcodes the filter's scan visits, at least x86MinHits, and at
// least one per 256 bytes of the frame, have a near displacement whose
// target falls inside the frame, and these are at least half of the
// visited opcodes with a near displacement. Machine code has about 2 such
// calls per 100 bytes (bash 1.9, a Go binary 0.9); other data has few
// (kennedy.xls, a spreadsheet, 0.04 per 100 bytes, mostly E8 00 00 00 00),
// and the targets of random windows scatter.
func isX86(src []byte) bool {
	hits, near := 0, 0
	for i := 0; i+x86Window <= len(src); i++ {
		if src[i]&0xFE != 0xE8 {
			continue
		}
		if x86Near(src, i) {
			near++
			d := int(int32(uint32(src[i+1]) | uint32(src[i+2])<<8 | uint32(src[i+3])<<16 | uint32(src[i+4])<<24))
			if t := i + x86Window + d; t >= 0 && t < len(src) {
				hits++
			}
		}
		i += x86Window - 1
	}
	return hits >= x86MinHits && hits >= len(src)/256 && 2*hits >= near
}
