package cm

import "github.com/entzip/entzip/internal/logistic"

// Fixed-point logistic functions: those of package internal/logistic with
// the logits kept in [-logitMax, logitMax] (odds of at most e^8:1 for a
// mixer input). Probabilities come in two scales: 12 bits for model inputs
// and 16 bits for the output.
//
//	squash(x)  = logistic.Squash(x) for x clamped to [-logitMax, logitMax]
//	stretch(p) = logistic.Stretch(p) clamped to [-logitMax, logitMax]
//
// Only stretch(0) and stretch(4095) are clamped (logistic.Stretch gives
// ±2307 there).

const logitMax = 2047

// stretchTab[p] is stretch(p), copied from logistic.Stretch by init: the
// mixer inputs read it per context per bit, where a clamp after each load
// cost about 4 % of the model's time.
var stretchTab [4096]int16

func init() {
	for p := range stretchTab {
		stretchTab[p] = int16(max(min(logistic.Stretch(uint32(p)), logitMax), -logitMax))
	}
}

// squash maps a logit to a 16-bit probability in [1, 65535]; x is clamped
// to [-logitMax, logitMax] first.
func squash(x int32) uint32 {
	return logistic.Squash(max(min(x, logitMax), -logitMax))
}

// stretch maps a 12-bit probability (low 12 bits of p) to its logit.
func stretch(p uint32) int32 { return int32(stretchTab[p&4095]) }
