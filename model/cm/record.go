package cm

// Record-length detection for tables and bitmaps. A byte value whose last
// three occurrences are equally spaced, at distance d ≥ 2, votes for a
// record length d; a majority vote (Boyer–Moore) over these votes picks the
// candidate, which becomes the record length once its lead reaches
// recordConfirm. ptt5 (1728-pixel rows) settles on 216, kennedy.xls on its
// row size. The record contexts (above, above-left/right, the column) use
// it.

const (
	recordConfirm = 16
	recordVoteMax = 64 // a lead cap, so a new record length can take over
	recordMax     = 1 << 16
)

type recordModel struct {
	last   [256]int32 // position of the last occurrence of each byte value
	gap    [256]int32 // distance between the last two occurrences
	cand   int32
	votes  int32
	length int32 // current record length, 0 if none
	start  int   // position where the current record length was set
}

func (r *recordModel) reset() { *r = recordModel{} }

// byteUpdate sees byte c at position pos.
func (r *recordModel) byteUpdate(c byte, pos int) {
	p := int32(pos)
	d := p - r.last[c]
	if d >= 2 && d < recordMax && d == r.gap[c] {
		switch {
		case d == r.cand:
			r.votes = min(r.votes+1, recordVoteMax)
		case r.votes == 0:
			r.cand, r.votes = d, 1
		default:
			r.votes--
		}
		if r.votes >= recordConfirm && r.cand != r.length {
			r.length = r.cand
			r.start = pos
		}
	}
	r.gap[c] = d
	r.last[c] = p
}
