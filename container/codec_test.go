package container

import (
	"bytes"
	"testing"

	"github.com/entzip/entzip/model"
	"github.com/stretchr/testify/require"
)

// opaqueSymbols and opaqueBits hide the concrete model type, so the codec
// takes the interface path a third-party model would.
type opaqueSymbols struct{ model.SymbolModel }
type opaqueBits struct{ model.BitModel }

// TestInterfacePathMatchesFastPath: the generic loops give the same bytes
// through interfaces as with the built-in concrete types.
func TestInterfacePathMatchesFastPath(t *testing.T) {
	src := edgeCases()["text"]
	for _, c := range []Coder{Arith, RANS} {
		for _, m := range []Model{Order0, OrderK, CM} {
			p := Params{Model: m, Coder: c}
			switch m {
			case OrderK:
				p.Order = 3
			case CM:
				p.Level = 1
			}
			p = p.withDefaults()
			fast, err := newCodec(p, nil)
			require.NoError(t, err)
			slow, err := newCodec(p, nil)
			require.NoError(t, err)
			ac := slow.(*adaptiveCodec)
			if ac.sym != nil {
				ac.sym = opaqueSymbols{ac.sym}
			} else {
				ac.bit = opaqueBits{ac.bit}
			}
			want, err := fast.Encode(nil, Frame{Raw: src})
			require.NoError(t, err)
			got, err := slow.Encode(nil, Frame{Raw: src})
			require.NoError(t, err)
			require.True(t, bytes.Equal(want, got), "%v: %s", p, diff(want, got))
			out, err := slow.Decode(nil, want, len(src))
			require.NoError(t, err)
			require.True(t, bytes.Equal(src, out))
		}
	}
}
