package graph

import (
	"cmp"
	"context"
	"net/url"
	"strings"

	"inkorg/inbox"
)

// LoginResolver tells which login an access token belongs to: the one its
// account was added with.
type LoginResolver interface {
	// TokenLogin returns token's login; LoginFacebook when not known.
	TokenLogin(ctx context.Context, token string) inbox.AccountLogin
}

// ForLogin returns a client whose calls are all made for an account with
// login: to graph.instagram.com (InstagramBaseURL) for LoginInstagram, to
// BaseURL otherwise. It shares c's connections.
func (c *Client) ForLogin(login inbox.AccountLogin) *Client {
	cp := *c
	cp.login = cmp.Or(login, inbox.LoginFacebook)
	return &cp
}

// ForAccount returns a client whose calls are all made for a, on the host
// of its login.
func (c *Client) ForAccount(a *inbox.Account) *Client {
	if a == nil {
		return c.ForLogin(inbox.LoginFacebook)
	}
	return c.ForLogin(a.Login)
}

// baseFor returns the Graph API root cl goes to: Instagram Login's for a
// token of an Instagram Login account, Facebook Login's otherwise.
func (c *Client) baseFor(ctx context.Context, token string, cl call) *url.URL {
	if cl.facebook {
		return c.base
	}
	login := c.login
	if login == "" && c.logins != nil {
		login = c.logins.TokenLogin(ctx, token)
	}
	if login == inbox.LoginInstagram {
		return c.instagram
	}
	return c.base
}

// ScopesLogin tells from a token's permissions (debug_token's scopes)
// which login granted it: Instagram Login grants instagram_business_*
// permissions, which Facebook Login never does. "" when scopes is empty.
func ScopesLogin(scopes []string) inbox.AccountLogin {
	if len(scopes) == 0 {
		return ""
	}
	for _, s := range scopes {
		if strings.HasPrefix(s, "instagram_business_") {
			return inbox.LoginInstagram
		}
	}
	return inbox.LoginFacebook
}
