package container

import (
	"github.com/entzip/entzip/model"
	"github.com/entzip/entzip/model/cm"
)

// cm is PAQ-style context mixing (package cm), adaptive and solid by
// default: it learns from the whole input.
func init() {
	mustRegister(ModelSpec{
		ID:             CM,
		Name:           "cm",
		Summary:        "context mixing of many models (PAQ-style), bitwise; the default",
		Level:          &ParamRange{Min: cm.MinLevel, Max: cm.MaxLevel, Default: cm.DefaultLevel},
		SolidByDefault: true,
		Memory:         func(p Params) int64 { return cm.MemoryBytes(p.Level) },
		NewBitModel: func(p Params) (model.BitModel, error) {
			return cm.NewRev(p.Level, cmRevision(p))
		},
	})
}

// cmRevision is the revision of cm a stream of p's version codes with:
// versions 1 and 2 counted only ASCII letters as word bytes, version 3
// had cm.RevHighWords' contexts, mixer and APMs.
func cmRevision(p Params) int {
	switch {
	case p.Version == 0 || p.Version >= 4:
		return cm.Rev
	case p.Version <= 2:
		return cm.RevASCIIWords
	}
	return cm.RevHighWords
}
