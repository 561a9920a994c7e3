package container

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entzip/entzip/model"
)

func TestRegisterModelRefuses(t *testing.T) {
	bits := func(Params) (model.BitModel, error) { return model.NewOrderK(1, 0) }
	for name, spec := range map[string]ModelSpec{
		"entzip's id": {ID: CM, Name: "mine", NewBitModel: bits},
		"no name":     {ID: UserModelMin + 10, NewBitModel: bits},
		"taken name":  {ID: UserModelMin + 11, Name: "orderk", NewBitModel: bits},
		"no model":    {ID: UserModelMin + 12, Name: "empty"},
	} {
		assert.ErrorIs(t, RegisterModel(spec), ErrUnsupported, name)
		_, ok := LookupModel(spec.ID)
		assert.Equal(t, spec.ID < UserModelMin, ok, name)
	}
}

// A stream whose header names an id nobody registered fails with
// ErrUnknownModel naming the id, not with a checksum error.
func TestUnregisteredModelID(t *testing.T) {
	z, err := Compress(nil, []byte("some bytes to code"), WithLevel(3))
	require.NoError(t, err)
	id := UserModelMax - 1
	z[5] = byte(id)
	binary.LittleEndian.PutUint32(z[12:], crc32.Checksum(z[:12], castagnoli))
	_, err = Decompress(nil, z)
	require.ErrorIs(t, err, ErrUnknownModel)
	assert.Contains(t, err.Error(), "254")
	assert.Contains(t, err.Error(), "RegisterModel")
}
