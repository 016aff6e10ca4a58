package routing

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"inkorg/inbox"
)

func newTestTriager(t *testing.T) *Triager {
	t.Helper()
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// testRules are tried in position order: 1 (disabled), 2, 5, 5 (by id).
func testRules() []*inbox.Rule {
	return []*inbox.Rule{
		{ID: 4, Name: "Sent: all Instagram to kultur", Position: 5, Enabled: true,
			Channels: []inbox.Channel{inbox.ChannelInstagramComment}, Administration: "kultur"},
		{ID: 3, Name: "Storm", Position: 5, Enabled: true, Match: inbox.MatchPhrase, Pattern: "träd har blåst",
			Administration: "stadsmiljo", Tags: []string{"storm"}, Priority: inbox.PriorityUrgent},
		{ID: 1, Name: "Disabled", Position: 1, Enabled: false, Match: inbox.MatchWords, Pattern: "träd",
			Administration: "social"},
		{ID: 2, Name: "Vatten", Position: 2, Enabled: true, Match: inbox.MatchWords, Pattern: "vattenläck*, kokpåbud",
			Languages: []string{"sv"}, Administration: "kretslopp-vatten", Tags: []string{"vatten"}},
		{ID: 5, Name: "Sidan B", Position: 9, Enabled: true, Match: inbox.MatchRegex, Pattern: `\bordernr\s*\d+`,
			Accounts: []string{"page-b"}, Priority: inbox.PriorityLow},
	}
}

// TestRulesPrecedence: the first matching enabled rule by position, then
// id, decides before the classifier and is named in the triage.
func TestRulesPrecedence(t *testing.T) {
	tr := newTestTriager(t)
	if err := tr.SetRules(testRules()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		msg      Message
		rule     int64 // 0: none
		admin    string
		tags     []string
		priority inbox.Priority
	}{
		{"OK/WordPrefix", Message{Text: "Vattenläckan på Storgatan forsar", Channel: inbox.ChannelMessenger},
			2, "kretslopp-vatten", []string{"vatten"}, ""},
		{"OK/FirstByPositionWins", Message{Text: "Ett träd har blåst ner och det är kokpåbud", Channel: inbox.ChannelInstagramComment},
			2, "kretslopp-vatten", []string{"vatten"}, ""},
		{"OK/SamePositionLowerIDWins", Message{Text: "Ett träd har blåst omkull på lekplatsen", Channel: inbox.ChannelInstagramComment},
			3, "stadsmiljo", []string{"storm"}, inbox.PriorityUrgent},
		{"OK/Channel", Message{Text: "Hur bokar jag en tid?", Channel: inbox.ChannelInstagramComment},
			4, "kultur", nil, ""},
		{"OK/RegexAndAccount", Message{Text: "Var är mitt ORDERNR 12345?", Channel: inbox.ChannelMessenger, Account: "page-b"},
			5, "", nil, inbox.PriorityLow},
		{"OK/WrongAccount", Message{Text: "Var är mitt ordernr 12345?", Channel: inbox.ChannelMessenger, Account: "page-a"},
			0, "", nil, ""},
		{"OK/WrongLanguage", Message{Text: "There is a water leak, vattenläcka, on my street", Channel: inbox.ChannelMessenger},
			0, "", nil, ""},
		{"OK/PhraseNeedsOrder", Message{Text: "Har träd blåst ner?", Channel: inbox.ChannelMessenger},
			0, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tr.TriageMessage(t.Context(), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if tt.rule == 0 {
				if r.Rule != nil {
					t.Fatalf("got rule %+v, want the classifier's triage", r.Rule)
				}
				return
			}
			if r.Rule == nil || r.Rule.ID != tt.rule {
				t.Fatalf("got rule %+v, want rule %d", r.Rule, tt.rule)
			}
			if tt.admin != "" && (r.Administration != tt.admin || r.Confidence != 1 || r.NeedsHuman) {
				t.Errorf("got %s (%.2f, needs human %v), want %s for certain", r.Administration, r.Confidence, r.NeedsHuman, tt.admin)
			}
			for _, tag := range tt.tags {
				if !slices.Contains(r.Tags, tag) {
					t.Errorf("got tags %v, want %s among them", r.Tags, tag)
				}
			}
			if tt.priority != "" && r.Priority != tt.priority {
				t.Errorf("got priority %s, want %s", r.Priority, tt.priority)
			}
			for _, alt := range r.Alternatives {
				if alt.Administration == r.Administration {
					t.Errorf("alternatives %v repeat the chosen %s", r.Alternatives, r.Administration)
				}
			}
		})
	}
}

// TestRulesReplaced: new rules apply to the next message, removing them
// gives the classifier back.
func TestRulesReplaced(t *testing.T) {
	tr := newTestTriager(t)
	msg := Message{Text: "Sophämtningen har missat oss igen", Channel: inbox.ChannelMessenger}
	before, _ := tr.TriageMessage(t.Context(), msg)
	rule := &inbox.Rule{ID: 1, Name: "Sopor till kultur", Enabled: true, Match: inbox.MatchWords, Pattern: "sophämtningen", Administration: "kultur"}
	if err := tr.SetRules([]*inbox.Rule{rule}); err != nil {
		t.Fatal(err)
	}
	if r, _ := tr.TriageMessage(t.Context(), msg); r.Administration != "kultur" || r.Rule == nil {
		t.Errorf("with the rule: got %s (rule %v), want kultur by the rule", r.Administration, r.Rule)
	}
	if err := tr.SetRules(nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := tr.TriageMessage(t.Context(), msg); r.Administration != before.Administration || r.Rule != nil {
		t.Errorf("rule removed: got %s (rule %v), want %s by the classifier", r.Administration, r.Rule, before.Administration)
	}
}

func TestCompileRulesErrInvalid(t *testing.T) {
	_, err := CompileRules([]*inbox.Rule{{ID: 1, Name: "bad", Enabled: true, Match: inbox.MatchRegex, Pattern: "(unclosed"}})
	if err == nil {
		t.Fatal("got no error for a bad regular expression")
	}
}

// TestRulesWordsPunctuated: a words entry with a hyphen or a dot is split
// as the text is, and matches as a phrase of consecutive words.
func TestRulesWordsPunctuated(t *testing.T) {
	rs, err := CompileRules([]*inbox.Rule{{ID: 1, Name: "Punkt", Enabled: true, Match: inbox.MatchWords,
		Pattern: "p-tillstånd*, covid-19, goteborg.se", Tags: []string{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       bool
	}{
		{"OK/Hyphen", "Hur förnyar jag mitt P-tillstånd?", true},
		{"OK/HyphenPrefix", "P-tillståndet har gått ut", true},
		{"OK/Digits", "Var kan jag testa mig för covid-19?", true},
		{"OK/Dot", "Det står inget om det på goteborg.se", true},
		{"OK/SpacedAsText", "Står det på goteborg se?", true},
		{"OK/WordsApart", "Tillstånd för p finns inte", false},
		{"OK/PartOnly", "Har du covid?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rs.First(Message{Text: tt.text}, "sv") != nil; got != tt.want {
				t.Errorf("First(%q) matched %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestRulesRegexUnicodeBoundary: \b in a rule's regex is a boundary
// between Unicode words, so å, ä and ö are letters.
func TestRulesRegexUnicodeBoundary(t *testing.T) {
	tests := []struct {
		name, pattern, text string
		want                bool
	}{
		{"OK/WordAlone", `\bbrand\b`, "Det är brand i huset!", true},
		{"OK/NotInsideSwedishWord", `\bbrand\b`, "Brandövning på skolan i dag", false},
		{"OK/NotAfterSwedishLetter", `\bbrand\b`, "Höbrand i ladan", false},
		{"OK/SwedishFirstLetter", `\bålder\b`, "Från vilken ålder får man börja?", true},
		{"OK/SwedishFirstLetterInside", `\bålder\b`, "Åldern spelar roll", false},
		{"OK/Alternation", `\b(bil|bilar)\b`, "Alla bilar står still", true},
		{"OK/Middle", `\bgata\b \bö\b`, "En gata ö", true},
		{"OK/MiddleNoBoundary", `\bgata\b\w`, "gatan", false},
		{"OK/ASCIIStill", `\bordernr\s*\d+`, "Mitt ORDERNR 12345", true},
		{"OK/NoBoundary", `\Bfält`, "Gärdet är ett fält", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := CompileRules([]*inbox.Rule{{ID: 1, Name: "Re", Enabled: true, Match: inbox.MatchRegex,
				Pattern: tt.pattern, Tags: []string{"x"}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := rs.First(Message{Text: tt.text}, "sv") != nil; got != tt.want {
				t.Errorf("%s on %q matched %v, want %v", tt.pattern, tt.text, got, tt.want)
			}
		})
	}
}

// TestRulesUnknownAdministration: a rule routing to an administration
// that is not among the targets does not route, but still adds its tags
// and priority, and the triager names it.
func TestRulesUnknownAdministration(t *testing.T) {
	tr := newTestTriager(t)
	msg := Message{Text: "Sophämtningen har missat oss igen", Channel: inbox.ChannelMessenger}
	before, _ := tr.TriageMessage(t.Context(), msg)
	rule := &inbox.Rule{ID: 7, Name: "Gammal förvaltning", Enabled: true, Match: inbox.MatchWords, Pattern: "sophämtningen",
		Administration: "trafikkontoret", Tags: []string{"sopor"}, Priority: inbox.PriorityUrgent}
	if err := tr.SetRules([]*inbox.Rule{rule, {ID: 8, Name: "Känd", Enabled: true, Match: inbox.MatchWords, Pattern: "x", Administration: "kultur"}}); err != nil {
		t.Fatal(err)
	}
	r, err := tr.TriageMessage(t.Context(), msg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Administration != before.Administration || r.Confidence != before.Confidence || r.NeedsHuman != before.NeedsHuman {
		t.Errorf("got %s (%.2f, needs human %v), want the classifier's %s (%.2f, needs human %v)",
			r.Administration, r.Confidence, r.NeedsHuman, before.Administration, before.Confidence, before.NeedsHuman)
	}
	if r.Rule == nil || r.Rule.ID != 7 || !slices.Contains(r.Tags, "sopor") || r.Priority != inbox.PriorityUrgent {
		t.Errorf("got rule %+v, tags %v, priority %s; want rule 7's tags and priority", r.Rule, r.Tags, r.Priority)
	}
	if got := tr.RulesToUnknownAdministrations(); len(got) != 1 || got[0].ID != 7 {
		t.Errorf("got rules to unknown administrations %v, want rule 7", got)
	}
	var log bytes.Buffer
	warned := map[string]bool{}
	for range 2 { // a refresh with the same rules does not warn again
		tr.warnUnknownAdministrations(warned, slog.New(slog.NewTextHandler(&log, nil)))
	}
	if n := strings.Count(log.String(), "administration=trafikkontoret"); n != 1 {
		t.Errorf("got %d warnings about rule 7, want 1:\n%s", n, log.String())
	}
}
