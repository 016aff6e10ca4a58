package answers_test

import (
	"context"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestTemplateLanguageCodes: a template's language is a code, as the
// article's is; the editor and imports refuse another key, naming it,
// since no conversation's language would ever match it.
func TestTemplateLanguageCodes(t *testing.T) {
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	for _, tc := range []struct {
		name, key string
		ok        bool
	}{
		{"OKTwoLetters", "fi", true},
		{"OKThreeLetters", "ckb", true},
		{"OKUpperCase", " SV ", true},
		{"ErrWord", "svenska", false},
		{"ErrRegion", "sv-SE", false},
		{"ErrUnderscore", "en_GB", false},
		{"ErrDigits", "s1", false},
		{"ErrOneLetter", "s", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			templates := map[string]string{tc.key: "Hej {{url}}"}
			ed := &answers.Editor{Store: sqlstore.NewStore(sqlstoretest.SQLite(t))}
			_, err := ed.Create(context.Background(), admin, &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true, Templates: templates})
			wantSV := `mallarna har ett utkast på "` + tc.key + `", som inte är en språkkod`
			want := `templates has a draft in "` + tc.key + `", which is not a language code`
			switch {
			case tc.ok && err != nil:
				t.Errorf("editor: got %v, want the article stored", err)
			case !tc.ok && (inbox.ErrorCode(err) != inbox.EINVALID || !says(inbox.ErrorMessage(err), wantSV, want)):
				t.Errorf("editor: got %v, want EINVALID saying %q / %q", err, wantSV, want)
			}

			var buf strings.Builder
			if err := answers.WriteJSON(&buf, []*answers.Article{{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true, Templates: templates}}); err != nil {
				t.Fatal(err)
			}
			p, err := answers.Parse(strings.NewReader(buf.String()), answers.FormatJSON, answers.DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.ok && len(p.Articles) != 1:
				t.Errorf("import: got %+v, want the article loaded", p)
			case !tc.ok && (len(p.Articles) != 0 || len(p.Rejected) != 1 || p.Rejected[0].Line != 3 || !says(p.Rejected[0].Reason, wantSV, want)):
				t.Errorf("import: got %+v, want line 3 rejected saying %q / %q", p, wantSV, want)
			}
		})
	}
}
