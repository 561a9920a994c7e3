package container

import (
	"container/heap"
	"encoding/binary"
	"fmt"
)

// Training parameters. A sample's segments of trainSegment bytes (the
// last one shorter) are the candidates; a segment is worth the number of
// samples that share each of its trainGram-byte substrings, counted once
// per substring, and the selection stops counting a substring once a
// chosen segment holds it.
const (
	trainSegment = 512
	trainGram    = 8
	// maxTrainInput bounds the sample bytes TrainDictionary reads; beyond
	// it, it takes every k-th sample.
	maxTrainInput = 64 << 20
)

// TrainDictionary builds a dictionary of at most maxSize bytes
// (DefaultDictSize if 0) from samples of the data it is for: the samples
// themselves when they fit, else the segments of them that share the most
// substrings with the most samples (a greedy cover, as zstd's trainer
// does), the most valuable last, nearest to the data the model then
// codes. The result depends only on the samples and maxSize.
func TrainDictionary(samples [][]byte, maxSize int) (*Dictionary, error) {
	if maxSize == 0 {
		maxSize = DefaultDictSize
	}
	if maxSize < 1 || maxSize > MaxDictSize {
		return nil, fmt.Errorf("%w: size limit %d out of range 1..%d", ErrDictionary, maxSize, MaxDictSize)
	}
	samples = thinSamples(samples)
	total := 0
	for _, s := range samples {
		total += len(s)
	}
	if total == 0 {
		return nil, fmt.Errorf("%w: no sample data to train on", ErrDictionary)
	}
	if total <= maxSize {
		content := make([]byte, 0, total)
		for _, s := range samples {
			content = append(content, s...)
		}
		return newDictionary(content), nil
	}
	return newDictionary(cover(samples, maxSize)), nil
}

// thinSamples returns samples, or every k-th of them when they hold more
// than maxTrainInput bytes, and without empty ones.
func thinSamples(samples [][]byte) [][]byte {
	total := 0
	for _, s := range samples {
		total += len(s)
	}
	step := total/maxTrainInput + 1
	var out [][]byte
	for i := 0; i < len(samples); i += step {
		if len(samples[i]) > 0 {
			out = append(out, samples[i])
		}
	}
	return out
}

// segment is a candidate piece of a sample and its current worth.
type segment struct {
	b     []byte
	score int64
	order int // position among the candidates, for ties
}

// cover picks segments of samples worth the most, greedily, until
// maxSize bytes are taken, and returns them the least valuable first.
func cover(samples [][]byte, maxSize int) []byte {
	gram := func(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
	// freq: in how many samples each substring occurs.
	freq := map[uint64]int32{}
	seen := map[uint64]int{}
	for i, s := range samples {
		for j := 0; j+trainGram <= len(s); j++ {
			h := gram(s[j : j+trainGram])
			if last, ok := seen[h]; !ok || last != i {
				seen[h] = i
				freq[h]++
			}
		}
	}
	seen = nil
	worth := func(b []byte) int64 {
		var w int64
		for j := 0; j+trainGram <= len(b); j++ {
			if f := freq[gram(b[j:j+trainGram])]; f > 1 {
				w += int64(f)
			}
		}
		return w
	}
	var q segmentHeap
	for _, s := range samples {
		for j := 0; j < len(s); j += trainSegment {
			b := s[j:min(j+trainSegment+trainGram-1, len(s))]
			q = append(q, segment{b: b, score: worth(b), order: len(q)})
		}
	}
	heap.Init(&q)
	var chosen [][]byte
	size := 0
	for q.Len() > 0 && size < maxSize {
		// Scores only fall as substrings are covered: re-score the best
		// and take it if it is still the best (lazy greedy).
		top := &q[0]
		if w := worth(top.b); w != top.score {
			top.score = w
			heap.Fix(&q, 0)
			continue
		}
		s := heap.Pop(&q).(segment)
		if s.score == 0 {
			break
		}
		b := s.b[:min(len(s.b), maxSize-size)]
		chosen = append(chosen, b)
		size += len(b)
		for j := 0; j+trainGram <= len(b); j++ {
			delete(freq, gram(b[j:j+trainGram]))
		}
	}
	out := make([]byte, 0, size)
	for i := len(chosen) - 1; i >= 0; i-- {
		out = append(out, chosen[i]...)
	}
	if len(out) == 0 {
		// Nothing is shared: the samples' last bytes are as good as any.
		last := samples[len(samples)-1]
		out = append(out, last[max(0, len(last)-maxSize):]...)
	}
	return out
}

// segmentHeap is a max-heap of segments by score, then by order.
type segmentHeap []segment

func (h segmentHeap) Len() int { return len(h) }
func (h segmentHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].order < h[j].order
}
func (h segmentHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *segmentHeap) Push(x any)   { *h = append(*h, x.(segment)) }
func (h *segmentHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	return s
}
