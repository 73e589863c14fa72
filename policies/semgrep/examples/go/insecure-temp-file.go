package example

import (
	"os"
	"path/filepath"
)

func scratch(data []byte) error {
	// ruleid: gantry.go.insecure-temp-file
	if err := os.WriteFile("/tmp/report.txt", data, 0o600); err != nil {
		return err
	}
	// ruleid: gantry.go.insecure-temp-file
	if _, err := os.Create(filepath.Join(os.TempDir(), "report.txt")); err != nil {
		return err
	}
	// ok: gantry.go.insecure-temp-file
	file, err := os.CreateTemp("", "report-*.txt")
	if err != nil {
		return err
	}
	// ok: gantry.go.insecure-temp-file
	return os.WriteFile(file.Name(), data, 0o600)
}
