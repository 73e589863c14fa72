package example

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/rc4"
)

func ciphers(key []byte) error {
	// ruleid: gantry.go.weak-cipher
	if _, err := des.NewTripleDESCipher(key); err != nil {
		return err
	}
	// ruleid: gantry.go.weak-cipher
	if _, err := rc4.NewCipher(key); err != nil {
		return err
	}
	// ok: gantry.go.weak-cipher
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	_, err = cipher.NewGCM(block)
	return err
}
