package cm

import "github.com/entzip/entzip/internal/logistic"

// Mixers combine logits by online logistic regression:
//
//	dot = Σ_i w_i·x_i / 2^16        (x_i logits in 1/256 units, w_i Q16)
//	p   = squash(dot)               (16 bits)
//	err = (2^16·y − p) · lr / 2^4   after bit y
//	w_i += x_i · err / 2^16         (gradient step on coding cost)
//
// A mixer holds many weight sets of the same inputs; a small context picks
// the set used for each bit.

// dotWide returns Σ w_i·x_i / 2^16 clamped to [-logistic.Limit,
// logistic.Limit].
func dotWide(w, x []int32) int32 {
	w = w[:len(x)]
	var s int64
	for i, xi := range x {
		s += int64(w[i]) * int64(xi)
	}
	s >>= 16
	return int32(max(min(s, logistic.Limit), -logistic.Limit))
}

// train moves the weights w along x by err (see above).
func train(w, x []int32, err int32) {
	w = w[:len(x)]
	for i, xi := range x {
		w[i] += (xi*err + 1<<15) >> 16
	}
}

// mixErr returns the training error for bit y after predicting p (16
// bits) at learning rate lr.
func mixErr(y, p uint32, lr int32) int32 {
	return (int32(y<<16) - int32(p)) * lr >> 4
}

// dot3 is dot for three weight sets over the same inputs, in one pass.
func dot3(w0, w1, w2, x []int32) (int32, int32, int32) {
	w0, w1, w2 = w0[:len(x)], w1[:len(x)], w2[:len(x)]
	var s0, s1, s2 int64
	for i, xi := range x {
		v := int64(xi)
		s0 += int64(w0[i]) * v
		s1 += int64(w1[i]) * v
		s2 += int64(w2[i]) * v
	}
	c := func(s int64) int32 { return int32(max(min(s>>16, logitMax), -logitMax)) }
	return c(s0), c(s1), c(s2)
}

// train3 is train for three weight sets with their own errors, in one pass.
func train3(w0, w1, w2, x []int32, e0, e1, e2 int32) {
	w0, w1, w2 = w0[:len(x)], w1[:len(x)], w2[:len(x)]
	for i, xi := range x {
		w0[i] += (xi*e0 + 1<<15) >> 16
		w1[i] += (xi*e1 + 1<<15) >> 16
		w2[i] += (xi*e2 + 1<<15) >> 16
	}
}
