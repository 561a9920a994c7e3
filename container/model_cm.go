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
			return cm.New(p.Level)
		},
	})
}
