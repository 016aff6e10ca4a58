package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// version and commit are set at build time:
//
//	go build -ldflags "-X main.version=1.2.3 -X main.commit=abc123" ./cmd/inkorg
//
// Without them, the module version and the VCS revision Go records in the
// binary are used.
var (
	version = ""
	commit  = ""
)

// versionLine is what `inkorg version` prints.
func versionLine() string {
	v, c := version, commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("inkorg %s (commit %s, %s)", v, c, runtime.Version())
}

func printVersion(stdout io.Writer, args []string) error {
	if len(args) == 1 && isHelpArg(args[0]) {
		printCommandUsage(stdout, "version")
		return nil
	}
	if len(args) > 0 {
		return usagef("version: unexpected argument %q", args[0])
	}
	fmt.Fprintln(stdout, versionLine())
	return nil
}

// healthcheck asks the local instance's /readyz (or --path) on the address
// it listens on (see healthcheckHost) and fails when it does not answer
// 200. Container images without a shell use it as their health check.
func healthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("healthcheck")
	path := fs.String("path", "/readyz", "path to ask: /readyz or /healthz")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Anything but a path after the address would change the URL's port
	// or host ("healthz" → port 8080healthz, "@host/" → another host).
	if !strings.HasPrefix(*path, "/") {
		return usagef("healthcheck: --path %q must start with /, like /readyz", *path)
	}
	host, port, err := net.SplitHostPort(e.cfg.Addr)
	if err != nil {
		return usagef("healthcheck: INKORG_ADDR %q has no port", e.cfg.Addr)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(healthcheckHost(host), port) + *path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return usagef("healthcheck: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", *path, resp.Status)
	}
	return nil
}

// healthcheckHost is the host to reach an instance listening on host: the
// loopback address of its family when it listens on every address, else
// the address itself.
func healthcheckHost(host string) string {
	ip := net.ParseIP(host)
	switch {
	case host == "":
		return "127.0.0.1"
	case ip == nil || !ip.IsUnspecified():
		return host
	case ip.To4() != nil:
		return "127.0.0.1"
	}
	return "::1"
}
