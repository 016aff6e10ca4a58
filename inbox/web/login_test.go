package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox/web"
)

// signInFrom posts the sign-in form from c, with X-Forwarded-For set when
// forwardedFor is not empty, and returns the status and Location.
func signInFrom(t *testing.T, s *site, c *http.Client, forwardedFor string, form url.Values) (int, string) {
	t.Helper()
	_, _, token := get(t, c, s.url+"/login")
	form.Set("csrf", token)
	return postRaw(t, s, c, "/login", forwardedFor, form)
}

// postRaw posts form to path with c's cookies and returns the status and
// Location. The response is read off the transport, since the client
// refuses to parse some Locations a browser follows.
func postRaw(t *testing.T, s *site, c *http.Client, path, forwardedFor string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	u, _ := url.Parse(s.url)
	for _, ck := range c.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// TestLoginRedirect checks that sign-in goes back only to a path on
// inkorg: browsers drop tabs and new lines from a Location and read a
// backslash as a slash, so "/\t/evil.example" leads off the site.
func TestLoginRedirect(t *testing.T) {
	s := newSite(t)
	tests := []struct{ next, want string }{
		{"/conversations/7", "/conversations/7"},
		{"/ok?q=1", "/ok?q=1"},
		{"", "/"},
		{"/\t/evil.example", "/"},
		{"/\t\\evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"//evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.next), func(t *testing.T) {
			code, loc := signInFrom(t, s, s.client(t), "", url.Values{"name": {"anna"}, "password": {password}, "next": {tt.next}})
			if code != http.StatusSeeOther || loc != tt.want {
				t.Errorf("got %d to %q, want 303 to %q", code, loc, tt.want)
			}
		})
	}
}

// TestLanguageRedirect checks that switching the language goes back only
// to a path on inkorg.
func TestLanguageRedirect(t *testing.T) {
	s := newSite(t)
	c := s.client(t)
	if code, _ := s.login(t, c, "anna", password); code != http.StatusSeeOther {
		t.Fatalf("sign-in: got %d, want 303", code)
	}
	_, _, token := get(t, c, s.url+"/")
	for back, want := range map[string]string{"/dashboard": "/dashboard", "/\t/evil.example": "/", "//evil.example": "/"} {
		code, loc := postRaw(t, s, c, "/settings/language", "", url.Values{"csrf": {token}, "lang": {"sv"}, "back": {back}})
		if code != http.StatusSeeOther || loc != want {
			t.Errorf("back %q: got %d to %q, want 303 to %q", back, code, loc, want)
		}
	}
}

// TestLanguageSwitchComesBack: the language switch on a page comes back to
// that page without the script too (it only fills in the same address):
// the form names the page it is on.
func TestLanguageSwitchComesBack(t *testing.T) {
	s := newSite(t)
	c := s.signedIn(t, "anna")
	id := s.message(t, "psid_lang_back", time.Now().Add(-time.Hour))
	backRE := regexp.MustCompile(`name="back" class="js-back" value="([^"]*)"`)
	for _, path := range []string{fmt.Sprintf("/conversations/%d", id), "/?queue=mine&tag=kris:storm", "/moderation"} {
		_, body, token := get(t, c, s.url+path)
		back := ""
		if m := backRE.FindStringSubmatch(body); m != nil {
			back = html.UnescapeString(m[1])
		}
		if back != path {
			t.Errorf("%s: the language form goes back to %q, want the page", path, back)
			continue
		}
		code, loc := postRaw(t, s, c, "/settings/language", "", url.Values{"csrf": {token}, "lang": {"en"}, "back": {back}})
		if code != http.StatusSeeOther || loc != path {
			t.Errorf("%s: got %d to %q, want 303 back to the page", path, code, loc)
		}
	}
}

// TestLoginLimitForwardedFor checks that without trusted proxies the
// sign-in limit goes by the connecting address: a client on a private
// network cannot choose another by sending X-Forwarded-For.
func TestLoginLimitForwardedFor(t *testing.T) {
	s := newSiteWith(t, web.Config{LoginBurst: 2, LoginEvery: time.Hour})
	c := s.client(t)
	limited := 0
	for i := range 20 {
		form := url.Values{"name": {fmt.Sprintf("user%d", i)}, "password": {"gissning 123456"}}
		if code, _ := signInFrom(t, s, c, fmt.Sprintf("198.51.100.%d, 10.20.30.40", i+1), form); code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 18 {
		t.Errorf("20 sign-ins from one client with burst 2: got %d refused, want 18", limited)
	}
}
