package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"inkorg/inbox/inboxtest"
)

// TestSIGTERM runs the real binary, sends it SIGTERM and expects a clean
// exit well within the 10 s a container runtime waits.
func TestSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "inkorg")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--demo")
	cmd.Env = append(os.Environ(), "INKORG_ADDR=127.0.0.1:0", "INKORG_DATA_DIR="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr inboxtest.SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	// Wait until the demo has replayed its webhooks, so there is work in
	// flight or just done when the signal comes.
	lines := bufio.NewScanner(stdout)
	replayed := false
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "demo: replayed") {
			replayed = true
			break
		}
	}
	if !replayed {
		t.Fatalf("serve --demo never reported its replay; stderr:\n%s", stderr.String())
	}
	go func() {
		for lines.Scan() {
		}
	}()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("got %v after SIGTERM, want exit status 0; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM; stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("got stderr %q, want the shutdown logged", stderr.String())
	}
}
