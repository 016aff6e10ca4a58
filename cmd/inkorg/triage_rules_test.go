package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// TestTriageRules: 'inkorg triage' tries the rules an admin stored in the
// database before the classifier, with their channel and account
// conditions, as the workers do; --no-rules leaves the classifier alone.
func TestTriageRules(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testTriageRules(t, baseEnv(t))
	})
	t.Run("Postgres", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		testTriageRules(t, env)
	})
}

func testTriageRules(t *testing.T, env map[string]string) {
	storeTriageRules(t, env)
	in := `{"id":1,"text":"Sophämtningen har missat oss igen","channel":"facebook_comment"}
{"id":2,"text":"Sophämtningen har missat oss igen","channel":"messenger"}
{"id":3,"text":"När öppnar stadsbiblioteket?","channel":"messenger","account":"page-kultur"}
{"id":4,"text":"När öppnar stadsbiblioteket?","channel":"messenger","account":"page-other"}
`
	type line struct {
		ID             int            `json:"id"`
		Administration string         `json:"administration"`
		Priority       inbox.Priority `json:"priority"`
		Tags           []string       `json:"tags"`
		Rule           *inbox.RuleRef `json:"rule"`
	}
	triage := func(args ...string) []line {
		t.Helper()
		code, out := runCmd(t, env, in, append([]string{"triage"}, args...)...)
		if code != exitOK {
			t.Fatalf("triage %v: got exit %d, want 0", args, code)
		}
		var lines []line
		for _, raw := range strings.Split(strings.TrimSpace(out), "\n") {
			var l line
			if err := json.Unmarshal([]byte(raw), &l); err != nil {
				t.Fatalf("triage %v: %v in %s", args, err, raw)
			}
			lines = append(lines, l)
		}
		if len(lines) != 4 {
			t.Fatalf("triage %v: got %d lines, want 4", args, len(lines))
		}
		return lines
	}

	t.Run("OK", func(t *testing.T) {
		got := triage()
		if r := got[0]; r.Rule == nil || r.Rule.Name != "Sopor i kommentarer" || r.Administration != "stadsmiljo" ||
			r.Priority != inbox.PriorityUrgent || !slices.Contains(r.Tags, "sopkaos") {
			t.Errorf("comment: got %+v, want the comment rule: stadsmiljo, urgent, tag sopkaos", r)
		}
		if r := got[1]; r.Rule != nil || r.Administration != "kretslopp-vatten" {
			t.Errorf("private message: got %+v, want no rule (it is for comments) and kretslopp-vatten", r)
		}
		if r := got[2]; r.Rule == nil || r.Rule.Name != "Kultursidan" || r.Administration != "goteborg-co" {
			t.Errorf("message to page-kultur: got %+v, want the account rule and goteborg-co", r)
		}
		if r := got[3]; r.Rule != nil || r.Administration != "kultur" {
			t.Errorf("message to another page: got %+v, want no rule and kultur", r)
		}
	})
	t.Run("OKNoRules", func(t *testing.T) {
		for i, r := range triage("--no-rules") {
			want := []string{"kretslopp-vatten", "kretslopp-vatten", "kultur", "kultur"}[i]
			if r.Rule != nil || r.Administration != want {
				t.Errorf("line %d: got %+v, want no rule and %s", i+1, r, want)
			}
		}
	})
	t.Run("OKEval", func(t *testing.T) {
		labelled := `{"text":"Sophämtningen har missat oss igen","channel":"facebook_comment","administration":"kretslopp-vatten"}
{"text":"När öppnar stadsbiblioteket?","administration":"kultur"}
`
		code, out := runCmd(t, env, labelled, "triage", "--eval")
		if code != exitOK || !strings.Contains(out, "top-1 accuracy: 50.0 % (1/2)") ||
			!strings.Contains(out, "rules: 2 tried before the classifier, deciding 1 questions") {
			t.Errorf("eval with rules: got exit %d:\n%s\nwant top-1 1/2 and 2 rules deciding 1", code, out)
		}
		code, out = runCmd(t, env, labelled, "triage", "--eval", "--no-rules")
		if code != exitOK || !strings.Contains(out, "top-1 accuracy: 100.0 % (2/2)") ||
			!strings.Contains(out, "rules: 0 tried before the classifier, deciding 0 questions") {
			t.Errorf("eval --no-rules: got exit %d:\n%s\nwant top-1 2/2 and no rules", code, out)
		}
	})
}

// storeTriageRules stores, through the rules service, a rule for public
// comments about waste, one for messages to one account, and a disabled
// one that would catch everything.
func storeTriageRules(t *testing.T, env map[string]string) {
	t.Helper()
	b := openTestBackends(t, env)
	admin := &inbox.User{Name: "rule-admin", Role: inbox.RoleAdmin}
	if err := b.store.CreateUser(t.Context(), admin); err != nil {
		t.Fatal(err)
	}
	rules := &inbox.Rules{Store: b.store}
	for _, r := range []*inbox.Rule{
		{Name: "Allt", Enabled: false, Position: 0, Match: inbox.MatchRegex, Pattern: ".", Administration: "ext-polisen"},
		{Name: "Sopor i kommentarer", Enabled: true, Position: 1, Match: inbox.MatchWords, Pattern: "sophämtning*",
			Channels: []inbox.Channel{inbox.ChannelFacebookComment}, Administration: "stadsmiljo",
			Tags: []string{"sopkaos"}, Priority: inbox.PriorityUrgent},
		{Name: "Kultursidan", Enabled: true, Position: 2, Accounts: []string{"page-kultur"}, Administration: "goteborg-co"},
	} {
		if _, err := rules.Create(t.Context(), admin, r); err != nil {
			t.Fatalf("create rule %q: %v", r.Name, err)
		}
	}
}
