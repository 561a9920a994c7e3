package cm

// Bit-history states.
//
// A hashed context slot keeps, per bit node, one byte: a state standing for
// a pair of counts (n0, n1) of the zeros and ones seen in that context,
// biased towards recent bits (nonstationary). The table is generated at
// init by integer code from these rules:
//
//	after bit y:  n_y ← n_y + 1
//	              n_¬y ← n_¬y            if n_¬y ≤ 2
//	                     2 + (n_¬y-2)/2   otherwise (old evidence decays)
//	then n_y is limited to capFor(n_¬y): a context that has seen both bits
//	keeps smaller counts, so the pairs fit in one byte (241 states):
//	   capFor(0) = 50, capFor(1) = 34, capFor(2) = 24, capFor(3) = 16,
//	   capFor(4) = 12, capFor(5) = 9, capFor(6) = 8, capFor(m ≥ 7) = 6.
//
// States are numbered in breadth-first order from (0, 0) = state 0, the
// state of a fresh slot, so zeroed memory is "never seen". stateN0/N1 give
// the counts, stateNext the transitions; init also sets statePri, the
// replacement priority n0+n1 of a slot's first node (hashtable.go), and
// stateDet (input2.go), after the table exists.

const maxStates = 256

var (
	stateNext [maxStates][2]uint8
	stateN0   [maxStates]uint8
	stateN1   [maxStates]uint8
	// numStates is the number of generated states (≤ maxStates).
	numStates int
)

func capFor(m int) int {
	switch {
	case m == 0:
		return 50
	case m == 1:
		return 34
	case m == 2:
		return 24
	case m == 3:
		return 16
	case m == 4:
		return 12
	case m == 5:
		return 9
	case m == 6:
		return 8
	}
	return 6
}

// stateStep applies the update rules above to (n0, n1) after bit y.
func stateStep(n0, n1, y int) (int, int) {
	a, b := n1, n0 // a = n_y, b = n_¬y
	if y == 0 {
		a, b = n0, n1
	}
	a++
	if b > 2 {
		b = 2 + (b-2)/2
	}
	a = min(a, capFor(b))
	if y == 0 {
		return a, b
	}
	return b, a
}

func init() {
	initStates()
	for s := range numStates {
		statePri[s] = stateN0[s] + stateN1[s]
		stateDet[s] = stateN0[s] == 0 || stateN1[s] == 0
	}
}

func initStates() {
	type pair struct{ n0, n1 int }
	id := map[pair]int{{0, 0}: 0}
	queue := []pair{{0, 0}}
	for i := 0; i < len(queue); i++ {
		s := queue[i]
		for y := range 2 {
			n0, n1 := stateStep(s.n0, s.n1, y)
			t := pair{n0, n1}
			j, ok := id[t]
			if !ok {
				j = len(queue)
				if j >= maxStates {
					panic("cm: state table overflow")
				}
				id[t] = j
				queue = append(queue, t)
			}
			stateNext[i][y] = uint8(j)
		}
	}
	numStates = len(queue)
	for i, s := range queue {
		stateN0[i] = uint8(s.n0)
		stateN1[i] = uint8(s.n1)
	}
}
