package main

import (
	"encoding/json"
	"strings"
	"testing"

	"inkorg/inbox/httpapi"
	"inkorg/webhooks/loadgen"
)

// TestLoadgen runs a short load at an inkorg on the embedded backends and
// checks the report's counts against what the instance holds.
func TestLoadgen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := baseEnv(t)
		in := startInkorg(t, env)
		code, out := runCmd(t, env, "", "loadgen", "--url", in.baseURL+"/webhooks/meta",
			"--count", "120", "--concurrency", "4", "--token", in.token, "--json", "--seed", "1")
		if code != exitOK {
			t.Fatalf("loadgen: got exit %d, want 0", code)
		}
		var r loadgen.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("decode report %q: %v", out, err)
		}
		if r.Sent != 120 || r.Acknowledged != 120 || len(r.Errors) != 0 {
			t.Errorf("got sent %d acknowledged %d errors %v, want 120, 120, none", r.Sent, r.Acknowledged, r.Errors)
		}
		if r.Backlog == nil || *r.Backlog < 0 {
			t.Errorf("got backlog %v, want the deliveries queue's length from /metrics", r.Backlog)
		}
		e := r.EndToEnd
		if e == nil {
			t.Fatal("got no end-to-end report, want one (a token was given)")
		}
		if e.Sent == 0 || e.Visible != e.Sent || e.Lost != 0 || len(e.Errors) != 0 {
			t.Errorf("got probes sent %d visible %d lost %d errors %v, want all sent visible", e.Sent, e.Visible, e.Lost, e.Errors)
		}
		// The load's new threads became conversations in the inbox.
		var list httpapi.ConversationList
		in.getJSON("/api/v1/conversations?limit=5", &list)
		if len(list.Conversations) != 5 {
			t.Errorf("got %d conversations, want 5 (the page size)", len(list.Conversations))
		}
	})
	t.Run("OKText", func(t *testing.T) {
		env := baseEnv(t)
		in := startServe(t, env)
		code, out := runCmd(t, env, "", "loadgen", "--url", in.baseURL+"/webhooks/meta", "--count", "20", "--rate", "200")
		if code != exitOK {
			t.Fatalf("loadgen: got exit %d, want 0", code)
		}
		for _, want := range []string{"acknowledged  20 deliveries", "ack latency   p50 ", "errors        none"} {
			if !strings.Contains(out, want) {
				t.Errorf("got report %q, want it to contain %q", out, want)
			}
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		env := baseEnv(t)
		in := startServe(t, env)
		code, out := runCmd(t, env, "", "loadgen", "--url", in.baseURL+"/webhooks/meta", "--count", "5", "--token", "ink_not-a-token")
		if code != exitFailure || out != "" {
			t.Errorf("got exit %d and report %q, want %d and no report", code, out, exitFailure)
		}
	})
	t.Run("ErrRemoteTarget", func(t *testing.T) {
		code, _ := runCmd(t, baseEnv(t), "", "loadgen", "--url", "http://192.0.2.1/webhooks/meta", "--count", "1")
		if code != exitUsage {
			t.Errorf("got exit %d, want %d", code, exitUsage)
		}
	})
	t.Run("ErrNoSecret", func(t *testing.T) {
		env := baseEnv(t)
		delete(env, "META_APP_SECRET")
		if code, _ := runCmd(t, env, "", "loadgen", "--count", "1"); code != exitUsage {
			t.Errorf("got exit %d, want %d", code, exitUsage)
		}
	})
}

func TestDefaultLoadgenURL(t *testing.T) {
	tests := []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/webhooks/meta"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/webhooks/meta"},
		{"127.0.0.2:80", "http://127.0.0.2:80/webhooks/meta"},
		{"[::1]:8080", "http://[::1]:8080/webhooks/meta"},
		{"bad", "http://127.0.0.1:8080/webhooks/meta"},
	}
	for _, tc := range tests {
		if got := defaultLoadgenURL(tc.addr); got != tc.want {
			t.Errorf("defaultLoadgenURL(%q): got %q, want %q", tc.addr, got, tc.want)
		}
	}
}
