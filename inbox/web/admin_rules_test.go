package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"inkorg/inbox"
)

// ruleForm is a valid rule form.
func ruleForm(token, name string) url.Values {
	return url.Values{"csrf": {token}, "name": {name}, "position": {"5"}, "enabled": {"on"}, "match": {"words"},
		"pattern": {"bibliotek, lånekort"}, "channel": {"messenger", "facebook_comment"}, "languages": {"sv, en"},
		"administration": {"kultur"}, "tags": {"Bibliotek, kort"}, "priority": {"low"}}
}

func rulePath(id int64) string { return "/admin/rules/" + strconv.FormatInt(id, 10) }

func TestRulePagesAccess(t *testing.T) {
	s := newAdminSite(t)
	adam, _ := s.store.FindUserByName(t.Context(), "adam")
	r := &inbox.Rule{Name: "Bibliotek", Enabled: true, Match: inbox.MatchWords, Pattern: "bibliotek", Administration: "kultur"}
	if _, err := (&inbox.Rules{Store: s.store}).Create(t.Context(), adam, r); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"anna", "sara"} {
		c := s.signedIn(t, name)
		for _, p := range []string{"/admin/rules", rulePath(r.ID), "/admin/rules/new"} {
			if code, _, _ := get(t, c, s.url+p); code != http.StatusForbidden {
				t.Errorf("%s GET %s: got %d, want 403", name, p, code)
			}
		}
	}
	t.Run("OKSupervisorReads", func(t *testing.T) {
		c := s.signedIn(t, "sune")
		code, body, token := get(t, c, s.url+"/admin/rules")
		if code != http.StatusOK || !strings.Contains(body, "Bibliotek") || !strings.Contains(body, "Kulturförvaltningen") {
			t.Fatalf("list: got %d, want 200 with the rule and its administration", code)
		}
		if strings.Contains(body, "/admin/rules/new") || strings.Contains(body, "/delete") {
			t.Error("a supervisor is offered to change rules")
		}
		if code, body, _ := get(t, c, s.url+rulePath(r.ID)); code != http.StatusOK || !strings.Contains(body, "disabled") {
			t.Errorf("rule: got %d, want 200 with the form disabled", code)
		}
		if code, _, _ := get(t, c, s.url+"/admin/rules/new"); code != http.StatusForbidden {
			t.Errorf("new rule form: got %d, want 403", code)
		}
		for _, p := range []string{"/admin/rules", rulePath(r.ID), rulePath(r.ID) + "/delete", rulePath(r.ID) + "/move"} {
			if code, _ := post(t, c, s.url+p, ruleForm(token, "Ändrad")); code != http.StatusForbidden {
				t.Errorf("supervisor POST %s: got %d, want 403", p, code)
			}
		}
		if got, _ := s.store.FindRules(t.Context()); len(got) != 1 || got[0].Name != "Bibliotek" {
			t.Errorf("rules after refused changes: got %v, want the one unchanged", got)
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		c := s.signedIn(t, "adam")
		if code, _ := post(t, c, s.url+rulePath(r.ID)+"/delete", url.Values{}); code != http.StatusForbidden {
			t.Errorf("delete without the form token: got %d, want 403", code)
		}
		if _, err := s.store.FindRule(t.Context(), r.ID); err != nil {
			t.Errorf("the rule is gone: %v", err)
		}
	})
}

func TestRuleRoundTrip(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "adam")
	token := formToken(t, c, s.url+"/admin/rules/new")
	for _, name := range []string{"Bibliotek", "Parkering"} {
		if code, body := post(t, c, s.url+"/admin/rules", ruleForm(token, name)); code != http.StatusSeeOther {
			t.Fatalf("create %s: got %d, want 303: %s", name, code, body)
		}
	}
	rules, err := s.store.FindRules(ctx)
	if err != nil || len(rules) != 2 {
		t.Fatalf("got %d rules (%v), want 2", len(rules), err)
	}
	first := rules[0]
	if first.Name != "Bibliotek" || first.Match != inbox.MatchWords || first.Administration != "kultur" ||
		strings.Join(first.Tags, ",") != "bibliotek,kort" || strings.Join(first.Languages, ",") != "en,sv" ||
		len(first.Channels) != 2 || first.Priority != inbox.PriorityLow || !first.Enabled {
		t.Errorf("stored %+v, want the rule entered", first)
	}

	edit := ruleForm(token, "Bibliotek och kultur")
	edit.Del("enabled")
	edit.Set("pattern", `bibliote(k|ket)`)
	edit.Set("match", "regex")
	if code, _ := post(t, c, s.url+rulePath(first.ID), edit); code != http.StatusSeeOther {
		t.Fatalf("edit: got %d, want 303", code)
	}
	got, _ := s.store.FindRule(ctx, first.ID)
	if got.Name != "Bibliotek och kultur" || got.Enabled || got.Match != inbox.MatchRegex {
		t.Errorf("after edit: got %+v", got)
	}

	// Both rules are at position 5; moving the second up puts it first.
	second := rules[1]
	if code, _ := post(t, c, s.url+rulePath(second.ID)+"/move", url.Values{"csrf": {token}, "dir": {"up"}}); code != http.StatusSeeOther {
		t.Fatalf("move: got %d, want 303", code)
	}
	rules, _ = s.store.FindRules(ctx)
	if rules[0].ID != second.ID || rules[0].Position != 10 || rules[1].Position != 20 {
		t.Errorf("after moving up: got %d at %d, %d at %d; want %d at 10 first", rules[0].ID, rules[0].Position,
			rules[1].ID, rules[1].Position, second.ID)
	}

	if code, _ := post(t, c, s.url+rulePath(first.ID)+"/delete", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
		t.Fatalf("delete: got %d, want 303", code)
	}
	if _, err := s.store.FindRule(ctx, first.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("after delete: got %v, want not found", err)
	}

	history, err := s.store.FindRuleAudit(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range history {
		actions = append(actions, e.Action)
	}
	want := []string{inbox.ActionRuleCreate, inbox.ActionRuleUpdate, inbox.ActionRuleUpdate, inbox.ActionRuleDelete}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Fatalf("audit: got %v, want %v", actions, want)
	}
	var change inbox.RuleChange
	if err := json.Unmarshal([]byte(history[1].Detail), &change); err != nil {
		t.Fatal(err)
	}
	if change.Before.Name != "Bibliotek" || change.After.Name != "Bibliotek och kultur" {
		t.Errorf("edit audit: got %q → %q", change.Before.Name, change.After.Name)
	}
	if _, body, _ := get(t, c, s.url+"/admin/rules"); strings.Contains(body, "Bibliotek och kultur") || !strings.Contains(body, "Parkering") {
		t.Error("the list does not show the remaining rule only")
	}
}

func TestRuleValidation(t *testing.T) {
	s := newAdminSite(t)
	c := s.signedIn(t, "adam")
	token := formToken(t, c, s.url+"/admin/rules/new")
	t.Run("ErrFields", func(t *testing.T) {
		form := url.Values{"csrf": {token}, "name": {""}, "position": {"först"}, "match": {"regex"},
			"pattern": {`"><script>(`}, "languages": {"svenska"}}
		code, body := post(t, c, s.url+"/admin/rules", form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("got %d, want 422", code)
		}
		if strings.Contains(body, "missing closing") || strings.Contains(body, "error parsing regexp") {
			t.Error("the Swedish form says what is wrong with the pattern in English")
		}
		for _, want := range []string{"Ge regeln ett namn", "Ordningen måste vara ett heltal", "inget giltigt reguljärt uttryck: en ( saknar sin ).",
			"Ange språk som koder", "Ange minst ett resultat", `id="rule-name-error"`, `aria-describedby="rule-name-error"`,
			`value="&#34;&gt;&lt;script&gt;("`, `value="först"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})
	t.Run("ErrRegexEnglish", func(t *testing.T) {
		en := s.signedIn(t, "adam")
		post(t, en, s.url+"/settings/language", url.Values{"lang": {"en"}, "csrf": {formToken(t, en, s.url+"/admin/rules/new")}})
		form := ruleForm(formToken(t, en, s.url+"/admin/rules/new"), "Bygglov")
		form.Set("match", "regex")
		form.Set("pattern", "bygglov[")
		code, body := post(t, en, s.url+"/admin/rules", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "The pattern is not a valid regular expression: missing closing ].") ||
			strings.Contains(body, "saknar sin") {
			t.Errorf("got %d, want 422 saying in English only what is wrong with the pattern", code)
		}
		post(t, en, s.url+"/settings/language", url.Values{"lang": {"sv"}, "csrf": {formToken(t, en, s.url+"/admin/rules/new")}})
	})
	t.Run("ErrPositionRange", func(t *testing.T) {
		form := ruleForm(token, "Stor ordning")
		form.Set("position", "3000000000")
		code, body := post(t, c, s.url+"/admin/rules", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rule-position-error"`) ||
			!strings.Contains(body, "från -2147483648 till 2147483647") {
			t.Errorf("got %d, want 422 with the position's range next to it", code)
		}
		if rules, _ := s.store.FindRules(t.Context()); len(rules) != 0 {
			t.Errorf("a refused form stored %d rules", len(rules))
		}
	})
	t.Run("ErrUnknownAdministration", func(t *testing.T) {
		form := ruleForm(token, "Okänd förvaltning")
		form.Set("administration", "finns-inte")
		code, body := post(t, c, s.url+"/admin/rules", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Förvaltningen finns inte bland förvaltningarna") ||
			!strings.Contains(body, `id="rule-administration-error"`) || !strings.Contains(body, `value="Okänd förvaltning"`) {
			t.Errorf("got %d, want 422 with the error next to the administration and the values kept", code)
		}
		if rules, _ := s.store.FindRules(t.Context()); len(rules) != 0 {
			t.Errorf("a refused form stored %d rules", len(rules))
		}
	})
}

// TestRuleToUnknownAdministration: a rule whose administration is no
// longer among the routing targets (the list changed after it was
// written) says so on the rules page, and its form keeps the
// administration as an option of its own instead of showing "none".
func TestRuleToUnknownAdministration(t *testing.T) {
	s := newAdminSite(t)
	adam, _ := s.store.FindUserByName(t.Context(), "adam")
	r := &inbox.Rule{Name: "Gamla nämnden", Enabled: true, Match: inbox.MatchWords, Pattern: "fritid", Administration: "fritid-gammal"}
	if _, err := (&inbox.Rules{Store: s.store}).Create(t.Context(), adam, r); err != nil {
		t.Fatal(err)
	}
	known := &inbox.Rule{Name: "Bibliotek", Enabled: true, Match: inbox.MatchWords, Pattern: "bibliotek", Administration: "kultur"}
	if _, err := (&inbox.Rules{Store: s.store}).Create(t.Context(), adam, known); err != nil {
		t.Fatal(err)
	}
	c := s.signedIn(t, "adam")
	_, body, _ := get(t, c, s.url+"/admin/rules")
	if n := strings.Count(body, `class="rule-unknown"`); n != 1 || !strings.Contains(body, "Okänd förvaltning") {
		t.Errorf("rules page: %d unknown-administration notes, want 1 (the old rule's only)", n)
	}
	_, body, _ = get(t, c, s.url+rulePath(r.ID))
	if !strings.Contains(body, `<option value="fritid-gammal" selected>fritid-gammal (okänd förvaltning)</option>`) {
		t.Errorf("rule form does not keep the unknown administration selected")
	}
	_, body, _ = get(t, c, s.url+rulePath(known.ID))
	if strings.Contains(body, "okänd förvaltning") {
		t.Errorf("a rule to a known administration is shown as unknown")
	}
}

// TestRuleMoveKeepsOtherFields: "Upp" changes positions only, all at
// once, also when a rule it renumbers routes to an administration that is
// no longer a routing target (which a full save would re-check).
func TestRuleMoveKeepsOtherFields(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	adam, _ := s.store.FindUserByName(ctx, "adam")
	var made []*inbox.Rule
	for _, r := range []*inbox.Rule{
		{Name: "Bibliotek", Position: 5, Enabled: true, Match: inbox.MatchWords, Pattern: "bibliotek", Administration: "kultur"},
		{Name: "Gamla nämnden", Position: 20, Enabled: true, Match: inbox.MatchWords, Pattern: "fritid", Administration: "fritid-gammal"},
		{Name: "Konsert", Position: 30, Enabled: true, Match: inbox.MatchWords, Pattern: "konsert", Administration: "kultur"},
	} {
		if err := s.store.CreateRule(ctx, adam.ID, r); err != nil {
			t.Fatal(err)
		}
		made = append(made, r)
	}
	c := s.signedIn(t, "adam")
	token := formToken(t, c, s.url+"/admin/rules")
	if code, _ := post(t, c, s.url+rulePath(made[2].ID)+"/move", url.Values{"csrf": {token}, "dir": {"up"}}); code != http.StatusSeeOther {
		t.Fatalf("move: got %d, want 303", code)
	}
	rules, err := s.store.FindRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		id       int64
		position int
		admin    string
	}{{made[0].ID, 10, "kultur"}, {made[2].ID, 20, "kultur"}, {made[1].ID, 30, "fritid-gammal"}} {
		if got := rules[i]; got.ID != want.id || got.Position != want.position || got.Administration != want.admin {
			t.Errorf("rule %d: got %d at %d to %q, want %d at %d to %q", i, got.ID, got.Position, got.Administration,
				want.id, want.position, want.admin)
		}
	}
}

// TestRuleKeepsUnknownAccount: a rule limited to an account that is no
// longer managed keeps that condition through the form: it is shown
// ticked as "okänt konto", so saving the rule does not make it hold for
// every account.
func TestRuleKeepsUnknownAccount(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	adam, _ := s.store.FindUserByName(ctx, "adam")
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "111", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	r := &inbox.Rule{Name: "Gamla sidan", Enabled: true, Accounts: []string{"111", "999"}, Tags: []string{"gammal"}}
	if err := s.store.CreateRule(ctx, adam.ID, r); err != nil {
		t.Fatal(err)
	}
	c := s.signedIn(t, "adam")
	_, body, _ := get(t, c, s.url+rulePath(r.ID))
	for _, want := range []string{
		`name="account" value="111" checked> Göteborgs Stad (Facebook)`,
		`name="account" value="999" checked> 999 (okänt konto)`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(body, "111 (okänt konto)") {
		t.Error("a managed account is shown as unknown")
	}
}

// TestRuleFormLimits: what the rule service would refuse in English (too
// long, too many, not among the choices) the form says in Swedish next to
// its field, and stores nothing.
func TestRuleFormLimits(t *testing.T) {
	s := newAdminSite(t)
	c := s.signedIn(t, "adam")
	token := formToken(t, c, s.url+"/admin/rules/new")
	many := func(prefix string) string {
		var items []string
		for i := range inbox.MaxRuleItems + 1 {
			items = append(items, prefix+strconv.Itoa(i))
		}
		return strings.Join(items, ", ")
	}
	for _, tt := range []struct {
		name, field, value, errID, want string
	}{
		// 1,001 characters, as the field's maxlength counts, but 2,002 bytes.
		{"PatternBytes", "pattern", strings.Repeat("å", 1001), "rule-pattern-error", "högst 2000 byte"},
		{"NameLength", "name", strings.Repeat("n", inbox.MaxRuleNameLength+1), "rule-name-error", "högst 100 tecken"},
		{"ManyTags", "tags", many("t"), "rule-tags-error", "Högst 50 får anges"},
		{"ManyLanguages", "languages", many("s"), "rule-languages-error", "Ange språk som koder"},
		{"Channel", "channel", "fax", "rule-channels-error", "Välj kanaler bland"},
		{"Priority", "priority", "asap", "rule-priority-error", "Välj en prioritet"},
		{"Match", "match", "fuzzy", "rule-match-error", "Välj ett av sätten att matcha"},
		{"EmptyAccount", "account", " ", "rule-accounts-error", "Ett konto saknar id"},
	} {
		t.Run("Err"+tt.name, func(t *testing.T) {
			form := ruleForm(token, "Gränser")
			form.Set(tt.field, tt.value)
			code, body := post(t, c, s.url+"/admin/rules", form)
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tt.errID+`"`) || !strings.Contains(body, tt.want) {
				t.Errorf("got %d, want 422 with %q in %s", code, tt.want, tt.errID)
			}
			if strings.Contains(body, "Det gick inte") {
				t.Error("the form shows the service's English message")
			}
			if rules, _ := s.store.FindRules(t.Context()); len(rules) != 0 {
				t.Errorf("a refused form stored %d rules", len(rules))
			}
		})
	}
	t.Run("ErrManyLanguageCodes", func(t *testing.T) {
		var codes []string
		for a := 'a'; len(codes) <= inbox.MaxRuleItems; a++ {
			for b := 'a'; b <= 'z' && len(codes) <= inbox.MaxRuleItems; b++ {
				codes = append(codes, string([]rune{a, b}))
			}
		}
		form := ruleForm(token, "Många språk")
		form.Set("languages", strings.Join(codes, ", "))
		code, body := post(t, c, s.url+"/admin/rules", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rule-languages-error"`) || !strings.Contains(body, "Högst 50 får anges") {
			t.Errorf("got %d, want 422 with the limit next to the languages", code)
		}
	})
}
