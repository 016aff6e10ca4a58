package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
	"inkorg/inbox/web"
)

// ssoUser is a user the test identity provider signs in, with inkorg's
// claims.
type ssoUser struct {
	name, role string
	admins     []string
}

func (u ssoUser) ID() string { return "sub-" + u.name }

func (u ssoUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.ID()})
}

func (u ssoUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &ssoClaims{IDTokenClaims: base, Name: u.name, Role: u.role, Admins: u.admins}, nil
}

type ssoClaims struct {
	*mockoidc.IDTokenClaims
	Name   string   `json:"preferred_username"`
	Role   string   `json:"inkorg_role,omitempty"`
	Admins []string `json:"inkorg_administration,omitempty"`
}

func TestOIDC(t *testing.T) {
	provider, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { provider.Shutdown() })
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	if err := store.CreateUser(t.Context(), &inbox.User{Name: "anna", Role: inbox.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	pc := provider.Config()
	o, err := web.NewOIDC(t.Context(), web.OIDCConfig{Issuer: pc.Issuer, ClientID: pc.ClientID, ClientSecret: pc.ClientSecret,
		RedirectURL: ts.URL + "/login/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	sessions := inbox.NewSessions(store, nil)
	ui, err := web.New(web.Config{Store: store, Service: inbox.NewService(store, nil), Sessions: sessions, OIDC: o})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/", httpapi.New(httpapi.Config{Store: store, Web: ui, Sessions: sessions}))
	site := &site{url: ts.URL, store: store}

	signOn := func(t *testing.T, u ssoUser) (int, string) {
		t.Helper()
		provider.QueueUser(u)
		c := site.client(t)
		c.CheckRedirect = nil // follow the provider's redirects back to inkorg
		code, body, _ := get(t, c, ts.URL+"/login/oidc")
		return code, body
	}
	t.Run("OKNewSpecialist", func(t *testing.T) {
		code, body := signOn(t, ssoUser{name: "sara", role: "specialist", admins: []string{"stadsmiljo", "kultur"}})
		if code != http.StatusOK || !strings.Contains(body, "<strong>sara</strong>") {
			t.Fatalf("got %d, want the inbox for sara", code)
		}
		u, err := store.FindUserByName(t.Context(), "sara")
		if err != nil || u.Role != inbox.RoleSpecialist || !u.MemberOf("stadsmiljo") || !u.MemberOf("kultur") {
			t.Errorf("got %+v, %v; want a specialist in stadsmiljo and kultur", u, err)
		}
	})
	t.Run("OKRoleFromProvider", func(t *testing.T) {
		if code, _ := signOn(t, ssoUser{name: "anna", role: "supervisor"}); code != http.StatusOK {
			t.Fatalf("got %d, want 200", code)
		}
		if u, err := store.FindUserByName(t.Context(), "anna"); err != nil || u.Role != inbox.RoleSupervisor {
			t.Errorf("got %+v, %v; want anna to be a supervisor now", u, err)
		}
	})
	t.Run("OKRoleChangeAudited", func(t *testing.T) {
		anna, err := store.FindUserByName(t.Context(), "anna")
		if err != nil {
			t.Fatal(err)
		}
		entries, err := store.FindUserAudit(t.Context(), anna.ID)
		if err != nil || len(entries) != 1 || entries[0].Action != inbox.ActionUserRole || entries[0].ActorID != anna.ID ||
			!strings.Contains(entries[0].Detail, `"via":"sso"`) {
			t.Errorf("got %d audit entries (%v), want anna's role change by anna via sso", len(entries), err)
		}
	})
	t.Run("ErrTakeover", func(t *testing.T) {
		// An account with a password was never linked to single sign-on:
		// a provider's account of the same name does not become it.
		adam := &inbox.User{Name: "adam", Role: inbox.RoleAdmin, PasswordHash: "$2a$10$abc"}
		if err := store.CreateUser(t.Context(), adam); err != nil {
			t.Fatal(err)
		}
		code, body := signOn(t, ssoUser{name: "adam", role: "agent"})
		if code != http.StatusForbidden || !strings.Contains(body, "inte är kopplad till ditt Göteborgs Stads konto") {
			t.Errorf("got %d, want 403 saying the user is not linked", code)
		}
		if u, err := store.FindUserByName(t.Context(), "adam"); err != nil || u.Role != inbox.RoleAdmin {
			t.Errorf("got %+v, %v; want adam still an admin", u, err)
		}
	})
	t.Run("ErrNoRole", func(t *testing.T) {
		code, body := signOn(t, ssoUser{name: "okand"})
		if code != http.StatusForbidden || !strings.Contains(body, "saknar en roll") {
			t.Errorf("got %d, want 403 saying the account has no role", code)
		}
		if _, err := store.FindUserByName(t.Context(), "okand"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("got %v, want no user made", err)
		}
	})
	t.Run("ErrState", func(t *testing.T) {
		if code, _, _ := get(t, site.client(t), ts.URL+"/login/oidc/callback?state=x&code=y"); code != http.StatusForbidden {
			t.Errorf("callback without the state cookie: got %d, want 403", code)
		}
	})
}
