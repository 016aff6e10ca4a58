package inbox_test

import (
	"slices"
	"strings"
	"testing"

	"inkorg/inbox"
)

func TestRuleValidate(t *testing.T) {
	ok := func() inbox.Rule {
		return inbox.Rule{Name: " Vatten ", Match: inbox.MatchWords, Pattern: "vattenläcka", Tags: []string{" Vatten", "vatten"},
			Languages: []string{"SV"}, Administration: "kretslopp-vatten"}
	}
	tests := []struct {
		name string
		edit func(r *inbox.Rule)
		code string
	}{
		{"OK", func(*inbox.Rule) {}, ""},
		{"OK/ChannelOnly", func(r *inbox.Rule) {
			r.Match, r.Pattern, r.Channels = "", "", []inbox.Channel{inbox.ChannelInstagramComment}
		}, ""},
		{"OK/Regex", func(r *inbox.Rule) { r.Match, r.Pattern = inbox.MatchRegex, `\b\d{3}\s?\d{2}\b` }, ""},
		{"ErrInvalid/NoName", func(r *inbox.Rule) { r.Name = "  " }, inbox.EINVALID},
		{"ErrInvalid/NoCondition", func(r *inbox.Rule) { r.Pattern, r.Languages = "", nil }, inbox.EINVALID},
		{"ErrInvalid/NoOutcome", func(r *inbox.Rule) { r.Administration, r.Tags = "", nil }, inbox.EINVALID},
		{"ErrInvalid/PatternWithoutMatch", func(r *inbox.Rule) { r.Match = ""; r.Pattern = "x" }, inbox.EINVALID},
		{"ErrInvalid/UnknownMatch", func(r *inbox.Rule) { r.Match = "fuzzy" }, inbox.EINVALID},
		{"ErrInvalid/WordsWithoutWord", func(r *inbox.Rule) { r.Pattern = ",,, - *" }, inbox.EINVALID},
		{"ErrInvalid/PhraseWithoutWord", func(r *inbox.Rule) { r.Match, r.Pattern = inbox.MatchPhrase, "!!!" }, inbox.EINVALID},
		{"OK/WordsWithDigits", func(r *inbox.Rule) { r.Pattern = "covid-19, 112" }, ""},
		{"OK/RegexOfPunctuation", func(r *inbox.Rule) { r.Match, r.Pattern = inbox.MatchRegex, `!!!` }, ""},
		{"ErrInvalid/BadRegex", func(r *inbox.Rule) { r.Match, r.Pattern = inbox.MatchRegex, "(a" }, inbox.EINVALID},
		{"ErrInvalid/Priority", func(r *inbox.Rule) { r.Priority = "asap" }, inbox.EINVALID},
		{"ErrInvalid/Channel", func(r *inbox.Rule) { r.Channels = []inbox.Channel{"fax"} }, inbox.EINVALID},
		{"ErrInvalid/Language", func(r *inbox.Rule) { r.Languages = []string{"swedish"} }, inbox.EINVALID},
		{"ErrInvalid/TagComma", func(r *inbox.Rule) { r.Tags = []string{"a,b"} }, inbox.EINVALID},
		{"OK/PositionLimits", func(r *inbox.Rule) { r.Position = inbox.MaxRulePosition }, ""},
		{"OK/NegativePosition", func(r *inbox.Rule) { r.Position = inbox.MinRulePosition }, ""},
		{"ErrInvalid/PositionTooLarge", func(r *inbox.Rule) { r.Position = 3000000000 }, inbox.EINVALID},
		{"ErrInvalid/PositionTooSmall", func(r *inbox.Rule) { r.Position = inbox.MinRulePosition - 1 }, inbox.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.edit(&r)
			r.Normalize()
			if got := inbox.ErrorCode(r.Validate()); got != tt.code {
				t.Fatalf("got %q, want %q", got, tt.code)
			}
		})
	}
	r := ok()
	r.Normalize()
	if r.Name != "Vatten" || len(r.Tags) != 1 || r.Tags[0] != "vatten" || r.Languages[0] != "sv" {
		t.Errorf("got %+v, want trimmed name, one lower-case tag and language", r)
	}
}

func TestRulesPermissions(t *testing.T) {
	svc := &inbox.Rules{KnownAdministration: func(id string) bool { return id == "kultur" }}
	rule := func() *inbox.Rule {
		return &inbox.Rule{Name: "x", Match: inbox.MatchWords, Pattern: "konsert", Administration: "kultur"}
	}
	for _, u := range []*inbox.User{nil, {Role: inbox.RoleAgent}, {Role: inbox.RoleSpecialist, AdministrationID: "kultur"}, {Role: inbox.RoleSupervisor}} {
		want := inbox.EFORBIDDEN
		if u == nil {
			want = inbox.EUNAUTHORIZED
		}
		if _, err := svc.Create(t.Context(), u, rule()); inbox.ErrorCode(err) != want {
			t.Errorf("create as %v: got %v, want %s", u, err, want)
		}
	}
	unknown := rule()
	unknown.Administration = "nope"
	if _, err := svc.Create(t.Context(), &inbox.User{Role: inbox.RoleAdmin}, unknown); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("unknown administration: got %v, want EINVALID", err)
	}
}

// TestRuleTagsNormalized: a rule's tags are stored as staff tags are
// (trimmed, lower case, Unicode NFC), so a tag filter finds the
// conversations the rule tagged however the tag was typed.
func TestRuleTagsNormalized(t *testing.T) {
	r := &inbox.Rule{Name: "Återbud", Match: inbox.MatchWords, Pattern: "återbud",
		Tags: []string{" Återbud ", "A\u030aterbud", "Kris"}}
	r.Normalize()
	if want := []string{"kris", "återbud"}; !slices.Equal(r.Tags, want) {
		t.Errorf("tags: got %q, want %q", r.Tags, want)
	}
}

// TestRuleRegexMessage: a pattern that is no regular expression is refused
// saying what is wrong in Swedish and in English (the rule editor shows the
// reader's language only), without the pattern, which may hold " / ".
func TestRuleRegexMessage(t *testing.T) {
	tests := []struct{ pattern, sv, en string }{
		{"(a / b", "Mönstret är inget giltigt reguljärt uttryck: en ( saknar sin ).", "The pattern is not a valid regular expression: missing closing )."},
		{"[a-", "en [ saknar sin ]", "missing closing ]"},
		{"*bygglov", "*, + eller ? har inget att upprepa", "missing argument to repetition operator"},
		{`bad\`, `det slutar med \`, "trailing backslash at end of expression"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			r := inbox.Rule{Name: "Bygglov", Match: inbox.MatchRegex, Pattern: tt.pattern, Administration: "stadsbyggnad"}
			r.Normalize()
			err := r.Validate()
			msg := inbox.ErrorMessage(err)
			sv, en, ok := strings.Cut(msg, " / ")
			if inbox.ErrorCode(err) != inbox.EINVALID || !ok || !strings.Contains(sv, tt.sv) || !strings.Contains(en, tt.en) {
				t.Errorf("got %q (%s), want EINVALID saying %q / %q", msg, inbox.ErrorCode(err), tt.sv, tt.en)
			}
			if strings.Contains(msg, tt.pattern) {
				t.Errorf("got %q, want the pattern left out", msg)
			}
		})
	}
}
