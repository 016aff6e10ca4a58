package main

import (
	"regexp"
	"strconv"
	"testing"
)

// TestAPIBench runs the API load test against a seeded instance, once
// closed-loop and once with a pause between requests: every request
// succeeds, both request kinds are measured, and the pause bounds the rate.
func TestAPIBench(t *testing.T) {
	env := baseEnv(t)
	if code, out := runCmd(t, env, "", "seed", "--conversations", "40", "--messages", "120"); code != exitOK {
		t.Fatalf("seed: got exit %d (%s)", code, out)
	}
	in := startInkorg(t, env)
	rate := regexp.MustCompile(`, (\d+) requests/s,`)
	measure := func(think string) int {
		t.Helper()
		code, out := runCmd(t, env, "", "apibench", "--token", in.token, "--url", in.baseURL,
			"--clients", "2", "--duration", "3s", "--think", think)
		if code != exitOK {
			t.Fatalf("apibench --think %s: exit %d\n%s", think, code, out)
		}
		for _, kind := range []string{"queue list: ", "detail:     "} {
			if !regexp.MustCompile(regexp.QuoteMeta(kind) + `\d+ requests, p50 `).MatchString(out) {
				t.Errorf("apibench --think %s: no %q figures in\n%s", think, kind, out)
			}
		}
		m := rate.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("apibench --think %s: no rate in\n%s", think, out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	measure("0s")
	// Two clients pausing 50–150 ms before each request send at most 40
	// requests a second. Each run lasts 3 s, so that a machine slowed by
	// other work (a request taking most of a second) still completes both
	// kinds of request.
	if paced := measure("100ms"); paced > 40 {
		t.Errorf("with --think 100ms: %d requests/s, want at most 40", paced)
	}
	if code, _ := runCmd(t, env, "", "apibench", "--token", in.token, "--url", in.baseURL, "--think", "-1s"); code != exitUsage {
		t.Errorf("negative --think: got exit %d, want %d", code, exitUsage)
	}
}
