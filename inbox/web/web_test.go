package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
	"inkorg/inbox/web"
)

const password = "ett långt lösenord"

// site is inkorg's HTTP surface with the web UI on a SQLite store.
type site struct {
	url   string
	store *sqlstore.Store
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, web.Config{})
}

// newSiteWith is newSite with the limits of cfg, behind the trusted
// proxies.
func newSiteWith(t *testing.T, cfg web.Config, trusted ...netip.Prefix) *site {
	t.Helper()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	// The lowest cost keeps the tests fast; sign-in works with any cost.
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateUser(t.Context(), &inbox.User{Name: "anna", Role: inbox.RoleAgent, PasswordHash: string(hash)}); err != nil {
		t.Fatal(err)
	}
	sessions := inbox.NewSessions(store, nil)
	cfg.Store, cfg.Service, cfg.Sessions = store, inbox.NewService(store, nil), sessions
	ui, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(httpapi.New(httpapi.Config{Store: store, Web: ui, Sessions: sessions, TrustedProxies: trusted}))
	t.Cleanup(ts.Close)
	return &site{url: ts.URL, store: store}
}

// client is a browser: it keeps cookies and does not follow redirects.
func (s *site) client(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get returns the status, body and the first CSRF token on the page.
func get(t *testing.T, c *http.Client, u string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	token := ""
	if m := csrfRE.FindStringSubmatch(string(b)); m != nil {
		token = m[1]
	}
	return resp.StatusCode, string(b), token
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *site) login(t *testing.T, c *http.Client, name, pw string) (int, string) {
	t.Helper()
	_, _, token := get(t, c, s.url+"/login")
	return post(t, c, s.url+"/login", url.Values{"csrf": {token}, "name": {name}, "password": {pw}})
}

func TestLogin(t *testing.T) {
	s := newSite(t)
	t.Run("OK", func(t *testing.T) {
		c := s.client(t)
		resp, err := c.Get(s.url + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("signed out: got %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
		}
		if code, _ := s.login(t, c, "anna", password); code != http.StatusSeeOther {
			t.Fatalf("sign-in: got %d, want 303", code)
		}
		code, body, _ := get(t, c, s.url+"/")
		if code != http.StatusOK || !strings.Contains(body, "Inkorg") || !strings.Contains(body, `lang="sv"`) {
			t.Fatalf("inbox: got %d, want 200 in Swedish", code)
		}
		resp, err = c.Get(s.url + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("got CSP %q, want script-src 'self' without unsafe-inline", csp)
		}
		u, _ := url.Parse(s.url)
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == web.SessionCookie {
				return
			}
		}
		t.Error("no session cookie after sign-in")
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		code, body := s.login(t, s.client(t), "anna", "inte rätt lösenord")
		if code != http.StatusUnauthorized || !strings.Contains(body, "Fel användarnamn eller lösenord") {
			t.Errorf("got %d, want 401 saying the name or password is wrong", code)
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		c := s.client(t)
		get(t, c, s.url+"/login")
		if code, _ := post(t, c, s.url+"/login", url.Values{"name": {"anna"}, "password": {password}}); code != http.StatusForbidden {
			t.Errorf("sign-in without the form token: got %d, want 403", code)
		}
	})
}

func TestSessionCSRF(t *testing.T) {
	s := newSite(t)
	c := s.client(t)
	if code, _ := s.login(t, c, "anna", password); code != http.StatusSeeOther {
		t.Fatalf("sign-in: got %d, want 303", code)
	}
	_, _, token := get(t, c, s.url+"/")
	t.Run("ErrFormWithoutToken", func(t *testing.T) {
		if code, _ := post(t, c, s.url+"/settings/language", url.Values{"lang": {"en"}}); code != http.StatusForbidden {
			t.Errorf("got %d, want 403", code)
		}
	})
	t.Run("ErrAPIWithoutHeader", func(t *testing.T) {
		code, _ := post(t, c, s.url+"/api/v1/conversations/1/claim", nil)
		if code != http.StatusForbidden {
			t.Errorf("got %d, want 403", code)
		}
	})
	t.Run("OKAPIRead", func(t *testing.T) {
		if code, _, _ := get(t, c, s.url+"/api/v1/conversations"); code != http.StatusOK {
			t.Errorf("GET with the session cookie: got %d, want 200", code)
		}
	})
	t.Run("OKAPIWithHeader", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/api/v1/conversations/1/claim", nil)
		req.Header.Set(web.CSRFHeader, token)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("claim of a missing conversation with the token: got %d, want 404", resp.StatusCode)
		}
	})
	t.Run("OKLanguage", func(t *testing.T) {
		if code, _ := post(t, c, s.url+"/settings/language", url.Values{"lang": {"en"}, "csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("got %d, want 303", code)
		}
		if _, body, _ := get(t, c, s.url+"/"); !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Inbox") {
			t.Error("the inbox is not in English after switching")
		}
	})
	t.Run("OKSignOut", func(t *testing.T) {
		if code, _ := post(t, c, s.url+"/logout", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("got %d, want 303", code)
		}
		if code, _, _ := get(t, c, s.url+"/api/v1/conversations"); code != http.StatusUnauthorized {
			t.Errorf("API after sign-out: got %d, want 401", code)
		}
	})
}

func TestLoginLimits(t *testing.T) {
	s := newSiteWith(t, web.Config{LoginBurst: 10, LoginEvery: time.Minute}, loopback...)
	t.Run("ErrLocked", func(t *testing.T) {
		c := s.client(t)
		var code int
		var body string
		for range inbox.DefaultMaxLoginFailures {
			code, body = s.login(t, c, "anna", "inte rätt lösenord")
		}
		if code != http.StatusForbidden || !strings.Contains(body, "För många misslyckade försök") {
			t.Errorf("after %d failures: got %d, want 403 saying the name is locked", inbox.DefaultMaxLoginFailures, code)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		c := s.client(t)
		var code int
		// The lockout test above used 5 of the 10; anna is locked now, so
		// these are refused without checking a password.
		for range 6 {
			code, _ = s.login(t, c, "anna", "inte rätt lösenord")
		}
		if code != http.StatusTooManyRequests {
			t.Errorf("11th attempt from one address within a minute: got %d, want 429", code)
		}
		// The test client connects from loopback, a trusted proxy here:
		// the address it forwards for is limited on its own.
		_, _, token := get(t, c, s.url+"/login")
		form := url.Values{"csrf": {token}, "name": {"okänd"}, "password": {"inte rätt lösenord"}}
		req, _ := http.NewRequest(http.MethodPost, s.url+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("another client behind the proxy: got %d, want 401", resp.StatusCode)
		}
	})
}
