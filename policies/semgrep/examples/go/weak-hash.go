package example

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
)

func fingerprints(data []byte) ([16]byte, [20]byte, [32]byte) {
	// ruleid: gantry.go.weak-hash
	weak := md5.Sum(data)
	// ruleid: gantry.go.weak-hash
	alsoWeak := sha1.Sum(data)
	// ok: gantry.go.weak-hash
	strong := sha256.Sum256(data)
	return weak, alsoWeak, strong
}
