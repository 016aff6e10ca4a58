package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestCLINoArguments: inkorg alone is bad usage, so the usage goes to
// stderr; asking for help puts it on stdout.
func TestCLINoArguments(t *testing.T) {
	t.Run("ErrNoCommand", func(t *testing.T) {
		code, out, errOut := runAll(t, baseEnv(t), "")
		if code != exitUsage || out != "" || !strings.Contains(errOut, "Usage:") {
			t.Errorf("got exit %d, stdout %q, stderr %q; want %d, nothing on stdout, the usage on stderr", code, out, errOut, exitUsage)
		}
	})
	t.Run("OKHelp", func(t *testing.T) {
		code, out, errOut := runAll(t, baseEnv(t), "", "--help")
		if code != exitOK || !strings.Contains(out, "Usage:") || errOut != "" {
			t.Errorf("got exit %d, stdout %q, stderr %q; want 0 and the usage on stdout", code, out, errOut)
		}
	})
}

// TestCLISubcommandHelp: every command prints its usage and flags on
// stdout for -h or --help, and exits 0 without doing anything.
func TestCLISubcommandHelp(t *testing.T) {
	tests := []struct {
		args []string
		// flag is one the help must list; empty when the command has none.
		flag string
	}{
		{[]string{"serve"}, "-demo"},
		{[]string{"migrate"}, ""},
		{[]string{"user", "add"}, "-role"},
		{[]string{"token", "create"}, "-user"},
		{[]string{"tokens", "create"}, "-user"},
		{[]string{"tokens", "list"}, "-user"},
		{[]string{"tokens", "revoke"}, ""},
		{[]string{"accounts", "add"}, "-platform"},
		{[]string{"accounts", "list"}, ""},
		{[]string{"accounts", "remove"}, "-platform"},
		{[]string{"accounts", "token"}, "-platform"},
		{[]string{"accounts", "human-agent"}, "-platform"},
		{[]string{"accounts", "page-id", "17841400000000000"}, ""},
		{[]string{"triage"}, "-no-rules"},
		{[]string{"loadgen"}, "-rate"},
		{[]string{"seed"}, "-conversations"},
		{[]string{"deliveries", "reparse"}, "-since"},
		{[]string{"answers", "import"}, "-domains"},
		{[]string{"answers", "export"}, "-format"},
		{[]string{"answers", "search"}, "-limit"},
		{[]string{"answers", "eval"}, "-k"},
		{[]string{"answers", "rank"}, ""},
		{[]string{"dlq", "list"}, "-queue"},
		{[]string{"dlq", "show"}, "-queue"},
		{[]string{"dlq", "replay"}, "-all"},
		{[]string{"healthcheck"}, "-path"},
		{[]string{"version"}, ""},
		{[]string{"answers"}, ""},
		{[]string{"dlq"}, ""},
		{[]string{"accounts"}, ""},
	}
	env := baseEnv(t)
	for _, tc := range tests {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string{}, tc.args...), help)
			t.Run(strings.Join(args, "_"), func(t *testing.T) {
				code, out, errOut := runAll(t, env, "", args...)
				if code != exitOK || errOut != "" {
					t.Fatalf("got exit %d, stderr %q; want 0 and nothing on stderr", code, errOut)
				}
				if !strings.Contains(out, "inkorg "+tc.args[0]) || !strings.Contains(out, tc.flag) {
					t.Errorf("got stdout %q, want the usage of inkorg %s listing %q", out, tc.args[0], tc.flag)
				}
			})
		}
	}
}

// TestCLIAnswersImportRefused: a file of which nothing could be imported
// fails with a summary, and --domains is checked as
// INKORG_ANSWER_DOMAINS is.
func TestCLIAnswersImportRefused(t *testing.T) {
	env := baseEnv(t)
	notArticles := writeFile(t, "strings.json", `["a","b"]`)
	t.Run("ErrNothingImported", func(t *testing.T) {
		code, out, errOut := runAll(t, env, "", "answers", "import", notArticles)
		if code != exitFailure || !strings.Contains(out, "avvisade (rejected): 2") || !strings.Contains(errOut, "nothing imported") {
			t.Errorf("got exit %d, stdout %q, stderr %q; want %d, the summary and why nothing was imported", code, out, errOut, exitFailure)
		}
	})
	t.Run("ErrOtherJSON", func(t *testing.T) {
		other := writeFile(t, "targets.json", `{"administrations":[{"id":"a","name":"A"}],"articles":[{"id":"x"}]}`)
		if code, _, errOut := runAll(t, env, "", "answers", "import", other); code != exitFailure || !strings.Contains(errOut, "nothing imported") {
			t.Errorf("got exit %d, stderr %q; want %d and why nothing was imported", code, errOut, exitFailure)
		}
	})
	for _, domains := range []string{"http://x", "", " , ", "goteborg", "goteborg.se,*.se", "goteborg..se", "-x.se"} {
		t.Run("ErrDomains/"+domains, func(t *testing.T) {
			if code, _, errOut := runAll(t, env, "", "answers", "import", "--domains", domains, notArticles); code != exitUsage || !strings.Contains(errOut, "--domains") {
				t.Errorf("got exit %d, stderr %q; want %d naming --domains", code, errOut, exitUsage)
			}
		})
	}
	t.Run("OKSomeRejected", func(t *testing.T) {
		mixed := writeFile(t, "mixed.json", `{"articles":[
{"title":"Parkering","url":"https://goteborg.se/parkering-test","body":"Parkera i staden.","administration":"stadsmiljo"},
{"title":"Elsewhere","url":"https://example.com/x","body":"Not the city's.","administration":"stadsmiljo"}]}`)
		if code, out, errOut := runAll(t, env, "", "answers", "import", mixed); code != exitOK || !strings.Contains(out, "avvisade (rejected): 1") {
			t.Errorf("got exit %d, stdout %q, stderr %q; want 0 with one rejected", code, out, errOut)
		}
	})
}

// TestCLIAnswersSearchLimit refuses a limit that is not positive.
func TestCLIAnswersSearchLimit(t *testing.T) {
	env := baseEnv(t)
	for _, limit := range []string{"0", "-3", "1000"} {
		t.Run("Err"+limit, func(t *testing.T) {
			if code, out, errOut := runAll(t, env, "", "answers", "search", "--limit", limit, "bygglov"); code != exitUsage || out != "" || !strings.Contains(errOut, "--limit") {
				t.Errorf("got exit %d, stdout %q, stderr %q; want %d naming --limit", code, out, errOut, exitUsage)
			}
		})
	}
}

// TestCLIIndexHeldByServer: triage and answer searches work while a
// server on the same data dir holds the embedded answer index.
func TestCLIIndexHeldByServer(t *testing.T) {
	env := baseEnv(t)
	startServe(t, env)
	code, out, errOut := runAll(t, env, `{"id":1,"text":"Hur får jag ett bibliotekskort?"}`+"\n", "triage")
	if code != exitOK || !strings.Contains(out, `"id":1`) || !strings.Contains(out, "bibliotek") {
		t.Errorf("triage: got exit %d, stdout %q, stderr %q; want one triage line with links", code, out, errOut)
	}
	code, out, errOut = runAll(t, env, "", "answers", "search", "bibliotekskort")
	if code != exitOK || !strings.Contains(out, "Skaffa bibliotekskort") {
		t.Errorf("answers search: got exit %d, stdout %q, stderr %q; want Skaffa bibliotekskort", code, out, errOut)
	}
	code, _, errOut = runAll(t, env, `{"id":2,"text":"Var lämnar jag grovsopor?"}`+"\n", "triage", "--no-rules")
	if code != exitOK {
		t.Errorf("triage --no-rules: got exit %d, stderr %q; want 0", code, errOut)
	}
}

// TestCLILoadgenBadNumbers: numbers out of bounds are bad usage, named.
func TestCLILoadgenBadNumbers(t *testing.T) {
	env := baseEnv(t)
	for _, tc := range [][2]string{
		{"--count", "-1"}, {"--duration", "-1s"}, {"--rate", "-5"}, {"--concurrency", "-2"}, {"--count", "20000000"},
	} {
		t.Run(tc[0]+tc[1], func(t *testing.T) {
			code, out, errOut := runAll(t, env, "", "loadgen", tc[0], tc[1])
			name := strings.TrimPrefix(tc[0], "--")
			if code != exitUsage || out != "" || !strings.Contains(errOut, name+" must be positive") {
				t.Errorf("got exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitUsage, name+" must be positive")
			}
		})
	}
}

// TestCLIHealthcheckAddress: healthcheck asks the address the instance
// listens on.
func TestCLIHealthcheckAddress(t *testing.T) {
	l, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Listener = l
	srv.Start()
	defer srv.Close()
	env := baseEnv(t)
	env["INKORG_ADDR"] = l.Addr().String()
	if code, _, errOut := runAll(t, env, "", "healthcheck", "--path", "/healthz"); code != exitOK {
		t.Errorf("healthcheck on %s: got exit %d, stderr %q; want 0", env["INKORG_ADDR"], code, errOut)
	}
}

// TestCLIAccountsPlatformHint: an id both platforms have is refused with a
// hint naming the command, which then takes --platform.
func TestCLIAccountsPlatformHint(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "INKORG_SECRET_KEY": testKeyOld}
	const id = "123"
	for _, p := range []string{"facebook", "instagram"} {
		if code, _, errOut := runAll(t, env, "", "accounts", "add", "--platform", p, "--id", id, "--name", p); code != exitOK {
			t.Fatalf("accounts add %s: got exit %d, %s", p, code, errOut)
		}
	}
	for _, tc := range []struct {
		cmd   string
		args  []string
		stdin string
	}{
		{"human-agent", []string{id, "on"}, ""},
		{"token", []string{id}, testToken + "\n"},
		{"remove", []string{id}, ""},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			args := append([]string{"accounts", tc.cmd}, tc.args...)
			code, _, errOut := runAll(t, env, tc.stdin, args...)
			if code != exitUsage || !strings.Contains(errOut, "accounts "+tc.cmd+": both platforms") || !strings.Contains(errOut, "--platform") {
				t.Fatalf("%s: got exit %d, stderr %q; want %d and a hint naming accounts %s and --platform", strings.Join(args, " "), code, errOut, exitUsage, tc.cmd)
			}
			args = append(args, "--platform", "instagram")
			if code, out, errOut := runAll(t, env, tc.stdin, args...); code != exitOK || !strings.Contains(out, "instagram") {
				t.Errorf("%s: got exit %d, stdout %q, stderr %q; want 0 for the instagram account", strings.Join(args, " "), code, out, errOut)
			}
		})
	}
	t.Run("ErrUnknownPlatform", func(t *testing.T) {
		if code, _, _ := runAll(t, env, "", "accounts", "human-agent", id, "off", "--platform", "myspace"); code != exitUsage {
			t.Errorf("got exit %d, want %d", code, exitUsage)
		}
	})
}

// TestCLIDLQMessages: dlq prints what went wrong without error codes,
// takes a bad id for bad usage and knows its queues.
func TestCLIDLQMessages(t *testing.T) {
	env := baseEnv(t)
	t.Run("ErrNotFound", func(t *testing.T) {
		code, _, errOut := runAll(t, env, "", "dlq", "show", "99")
		if code != exitFailure || strings.Contains(errOut, "code=") || !strings.Contains(errOut, "not found") {
			t.Errorf("got exit %d, stderr %q; want %d and only the message", code, errOut, exitFailure)
		}
	})
	for _, args := range [][]string{
		{"dlq", "list", "--after", "abc"},
		{"dlq", "list", "--queue", "bogus"},
		{"dlq", "replay", "--queue", "bogus", "--all"},
	} {
		t.Run("ErrUsage/"+strings.Join(args[1:], "_"), func(t *testing.T) {
			code, out, errOut := runAll(t, env, "", args...)
			if code != exitUsage || out != "" || strings.Contains(errOut, "code=") {
				t.Errorf("got exit %d, stdout %q, stderr %q; want %d and one plain message", code, out, errOut, exitUsage)
			}
			if args[2] == "--queue" && !strings.Contains(errOut, "deliveries, outbound") {
				t.Errorf("got stderr %q, want the known queues listed", errOut)
			}
		})
	}
	if code, out, _ := runAll(t, env, "", "dlq", "list", "--queue", "outbound"); code != exitOK || !strings.Contains(out, "outbound") {
		t.Errorf("dlq list --queue outbound: got exit %d, %q; want 0", code, out)
	}
}

var demoTokenRE = regexp.MustCompile(`demo: API token for anna: (\S+)`)

// TestCLIDemoToken: each serve --demo prints a working token for anna and
// revokes the one the previous start printed.
func TestCLIDemoToken(t *testing.T) {
	env := baseEnv(t)
	var tokens []string
	for range 2 {
		in := startServe(t, env, "--demo")
		waitFor(t, func() bool { return demoTokenRE.MatchString(in.stdout.String()) })
		tokens = append(tokens, demoTokenRE.FindStringSubmatch(in.stdout.String())[1])
		for i, tok := range tokens {
			want := http.StatusOK
			if i < len(tokens)-1 {
				want = http.StatusUnauthorized
			}
			if got := apiStatus(t, in.baseURL, tok); got != want {
				t.Errorf("demo token %d of %d: got status %d, want %d", i+1, len(tokens), got, want)
			}
		}
		if code := in.stop(); code != exitOK {
			t.Fatalf("serve --demo: got exit %d", code)
		}
	}
	code, out, _ := runAll(t, env, "", "tokens", "list", "--user", "anna")
	if n := strings.Count(out, "\n"); code != exitOK || n != 2 {
		t.Errorf("tokens list --user anna: got exit %d, %d lines:\n%s\nwant a header and one token", code, n, out)
	}
}

// apiStatus is the status of an API request with token.
func apiStatus(t *testing.T, baseURL, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, baseURL+"/api/v1/conversations", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestCLIBadFlagValuesNamed: a flag value that cannot work is bad usage
// (exit 2), said by the flag, before anything is opened or asked.
func TestCLIBadFlagValuesNamed(t *testing.T) {
	env := baseEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"healthcheck", "--path", "healthz"}, "--path"},
		{[]string{"healthcheck", "--path", "@127.0.0.1:1/readyz"}, "--path"},
		{[]string{"apibench", "--token", "ink_x", "--url", "localhost:8080"}, "--url"},
		{[]string{"apibench", "--token", "ink_x", "--url", "ftp://127.0.0.1:1"}, "--url"},
		{[]string{"retention", "run", "--dry-run", "--months", "0"}, "at least one month"},
		{[]string{"retention", "run", "--dry-run", "--action", "anonymise"}, `"anonymise"`},
		{[]string{"dlq", "list", "--limit", "0"}, "--limit"},
		{[]string{"dlq", "list", "17"}, `"17"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runAll(t, env, "", tc.args...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("got exit %d, stdout %q, stderr %q; want %d naming %s", code, out, errOut, exitUsage, tc.want)
			}
		})
	}
}

// TestCLIFlagErrorsSaid: a flag value of the wrong kind, an unknown flag
// and a flag without its value are said with the flag as usage names it
// (two dashes) and what it takes, not as the flag package's "parse error".
func TestCLIFlagErrorsSaid(t *testing.T) {
	env := baseEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"seed", "--conversations", "abc"}, `seed: --conversations "abc" is not a whole number`},
		{[]string{"apibench", "--token", "x", "--duration", "5"}, `apibench: --duration "5" is not a duration such as 30s or 5m`},
		{[]string{"subject", "export", "--contact", "1x", "--out", "x"}, `subject export: --contact "1x" is not a whole number`},
		{[]string{"triage", "--needs-human-below", "half"}, `triage: --needs-human-below "half" is not a number`},
		{[]string{"tokens", "create", "--user", "x", "--read-only=maybe"}, `tokens create: --read-only "maybe" is not true or false`},
		{[]string{"dlq", "list", "--limit", "99999999999999999999"}, `dlq list: --limit "99999999999999999999" is out of range`},
		{[]string{"dlq", "list", "--nope"}, "dlq list: unknown flag --nope"},
		{[]string{"user", "add", "--name"}, "user add: --name needs a value"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runAll(t, env, "", tc.args...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("got exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitUsage, tc.want)
			}
		})
	}
}
