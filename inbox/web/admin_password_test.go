package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// passwordErrorRE finds the message next to the password field.
var passwordErrorRE = regexp.MustCompile(`<p id="password-error" class="bad">([^<]*)</p>`)

// TestUserPasswordRules checks that a password the rules refuse is said
// next to the password field, in Swedish, when a user is created and when
// a password is reset: at least 12 characters (not bytes) and at most 72
// bytes, bcrypt's limit.
func TestUserPasswordRules(t *testing.T) {
	s := newAdminSite(t)
	adam := s.signedIn(t, "adam")
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	token := formToken(t, adam, s.url+"/admin/users/new")
	tests := []struct{ name, password, want string }{
		{"ErrLong", "detta är en riktigt lång lösenfras som en försiktig administratör valde idag", "Lösenordet är för långt: högst 72 byte."},
		{"ErrShortInLetters", "åäöåäö", "Lösenordet måste ha minst 12 tecken."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forms := map[string]url.Values{
				"/admin/users":                  {"name": {"kim"}, "role": {"agent"}},
				userPath(anna.ID) + "/password": {},
			}
			for path, form := range forms {
				form.Set("csrf", token)
				form.Set("password", tt.password)
				form.Set("password2", tt.password)
				code, body := post(t, adam, s.url+path, form)
				m := passwordErrorRE.FindStringSubmatch(body)
				if code != http.StatusUnprocessableEntity || m == nil || !strings.HasPrefix(m[1], tt.want) {
					t.Errorf("POST %s with %d characters, %d bytes: got %d with %q at the field, want 422 with %q",
						path, len([]rune(tt.password)), len(tt.password), code, m, tt.want)
				}
			}
		})
	}
}
