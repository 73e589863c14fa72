package example

import (
	"context"
	"os/exec"
)

func unpack(ctx context.Context, name string) error {
	// ruleid: gantry.go.shell-command-injection
	if err := exec.Command("sh", "-c", "tar xf "+name).Run(); err != nil {
		return err
	}
	// ruleid: gantry.go.shell-command-injection
	if err := exec.CommandContext(ctx, "/bin/bash", "-c", name).Run(); err != nil {
		return err
	}
	// ok: gantry.go.shell-command-injection
	if err := exec.Command("tar", "xf", name).Run(); err != nil {
		return err
	}
	// ok: gantry.go.shell-command-injection
	return exec.Command("sh", "-c", "sync").Run()
}
