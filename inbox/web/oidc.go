package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"inkorg/inbox"
)

// OIDCConfig configures single sign-on through an OpenID Connect provider.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is inkorg's /login/oidc/callback as the provider knows it.
	RedirectURL string
	// NameClaim is the claim that is the user name (default
	// preferred_username); RoleClaim holds agent, specialist, supervisor or
	// admin (default inkorg_role); AdministrationClaim holds a
	// specialist's administration id, or a list of them (default
	// inkorg_administration).
	NameClaim           string
	RoleClaim           string
	AdministrationClaim string
}

// OIDC signs staff in through an OpenID Connect provider.
type OIDC struct {
	cfg      OIDCConfig
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// oidcCookie holds state, nonce and PKCE verifier between the redirect to
// the provider and its callback.
const oidcCookie = "inkorg_oidc"

// NewOIDC discovers the provider at cfg.Issuer.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.NameClaim == "" {
		cfg.NameClaim = "preferred_username"
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "inkorg_role"
	}
	if cfg.AdministrationClaim == "" {
		cfg.AdministrationClaim = "inkorg_administration"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OpenID Connect provider %s: %w", cfg.Issuer, err)
	}
	return &OIDC{cfg: cfg, verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: provider.Endpoint(),
			RedirectURL: cfg.RedirectURL, Scopes: []string{oidc.ScopeOpenID, "profile"}}}, nil
}

// OIDCStart serves GET /login/oidc: off to the provider.
func (ui *UI) OIDCStart(c echo.Context) error {
	o := ui.cfg.OIDC
	if o == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	state, nonce, verifier := randomString(), randomString(), oauth2.GenerateVerifier()
	setCookie(c, oidcCookie, state+"."+nonce+"."+verifier, 600)
	return c.Redirect(http.StatusSeeOther, o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

// OIDCCallback serves GET /login/oidc/callback: the provider's answer.
func (ui *UI) OIDCCallback(c echo.Context) error {
	o := ui.cfg.OIDC
	if o == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	ck, err := c.Cookie(oidcCookie)
	setCookie(c, oidcCookie, "", -1)
	parts := []string{}
	if err == nil {
		parts = strings.Split(ck.Value, ".")
	}
	if len(parts) != 3 || !sameToken(c.QueryParam("state"), parts[0]) {
		return ui.renderLogin(c, http.StatusForbidden, loginData{Error: "login.expired"})
	}
	user, err := o.user(c.Request().Context(), c.QueryParam("code"), parts[1], parts[2])
	if err != nil {
		ui.cfg.Logger.Warn("single sign-on refused", slog.Any("err", err))
		return ui.renderLogin(c, http.StatusForbidden, loginData{Error: "login.sso"})
	}
	ctx := c.Request().Context()
	if err := ui.cfg.Store.SaveSignOnUser(ctx, user); err != nil {
		ui.cfg.Logger.Warn("single sign-on user not saved", slog.String("user", user.Name), slog.Any("err", err))
		return ui.renderLogin(c, http.StatusForbidden, loginData{Error: signOnRefusal(err)})
	}
	token, _, err := ui.cfg.Sessions.Start(ctx, user)
	if err != nil {
		return ui.fail(c, err)
	}
	setCookie(c, SessionCookie, token, int(ui.cfg.Sessions.MaxAge/time.Second))
	return c.Redirect(http.StatusSeeOther, "/")
}

// signOnRefusal is the sign-in page's text for a sign-on the store
// refused.
func signOnRefusal(err error) string {
	switch {
	case inbox.ErrorMessage(err) == inbox.ErrDeactivated:
		return "login.deactivated"
	case inbox.ErrorMessage(err) == inbox.ErrSignOnNotLinked, inbox.ErrorCode(err) == inbox.ECONFLICT:
		return "login.sso_not_linked"
	}
	return "login.sso"
}

// user exchanges the code, verifies the ID token and its nonce, and reads
// the user from its claims.
func (o *OIDC) user(ctx context.Context, code, nonce, verifier string) (*inbox.User, error) {
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return nil, fmt.Errorf("no id_token in the token response")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, err
	}
	if !sameToken(idt.Nonce, nonce) {
		return nil, fmt.Errorf("the ID token's nonce does not match")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, err
	}
	u := &inbox.User{Name: inbox.NormalizeName(claimString(claims[o.cfg.NameClaim])), Role: inbox.Role(claimString(claims[o.cfg.RoleClaim])),
		SignOnIssuer: idt.Issuer, SignOnSubject: idt.Subject}
	admins := claimStrings(claims[o.cfg.AdministrationClaim])
	if len(admins) > 0 {
		u.AdministrationID, u.Administrations = admins[0], admins
	}
	if err := u.Validate(); err != nil {
		return nil, fmt.Errorf("claims %s, %s, %s: %w", o.cfg.NameClaim, o.cfg.RoleClaim, o.cfg.AdministrationClaim, err)
	}
	return u, nil
}

func claimString(v any) string {
	s, _ := v.(string)
	return s
}

// claimStrings reads a claim that is one string or a list of them.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		if x != "" {
			return []string{x}
		}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
