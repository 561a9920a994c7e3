package cm

// Byte classes for choosing mixer weight sets (cfg.classSets): the class
// of the last byte and of the one before it tell a word's inside from its
// start, numbers from text and the text transform's codes from letters,
// each of which wants other weights for the same inputs:
//
//	0 other punctuation and symbols   4 space
//	1 a..z                            5 \n, \r
//	2 A..Z                            6 0x80..0xFF (UTF-8, transform codes)
//	3 0..9                            7 other control bytes
const nClass = 8

var byteClass [256]uint8

func init() {
	for c := range 256 {
		var k uint8
		switch {
		case c >= 'a' && c <= 'z':
			k = 1
		case c >= 'A' && c <= 'Z':
			k = 2
		case c >= '0' && c <= '9':
			k = 3
		case c == ' ':
			k = 4
		case c == '\n' || c == '\r':
			k = 5
		case c >= 0x80:
			k = 6
		case c < 32:
			k = 7
		}
		byteClass[c] = k
	}
}
