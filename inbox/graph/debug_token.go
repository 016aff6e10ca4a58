package graph

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"inkorg/inbox"
)

// App identifies the Meta app inkorg runs as. debug_token needs it: its
// access token is the app token "ID|Secret".
type App struct {
	ID     string
	Secret string
}

// Configured reports whether both the app id and secret are set.
func (a App) Configured() bool { return a.ID != "" && a.Secret != "" }

// token is the app access token.
func (a App) token() string { return a.ID + "|" + a.Secret }

// TokenInfo is what GET /debug_token says of an access token.
type TokenInfo struct {
	Valid bool `json:"is_valid"`
	// Type is PAGE, USER, SYSTEM_USER or APP.
	Type        string `json:"type"`
	AppID       string `json:"app_id"`
	Application string `json:"application"`
	// ProfileID is the Page (or Instagram account) a Page token is for.
	ProfileID string `json:"profile_id"`
	UserID    string `json:"user_id"`
	// ExpiresAt is when the token expires; zero when it never does.
	ExpiresAt time.Time `json:"-"`
	// DataAccessExpiresAt is when access to people's data ends unless the
	// token is renewed; zero when never.
	DataAccessExpiresAt time.Time `json:"-"`
	Scopes              []string  `json:"scopes"`
	// Error says why an invalid token is invalid.
	Error *TokenError `json:"error,omitempty"`

	RateLimit RateLimit `json:"-"`
}

// TokenError is debug_token's reason for an invalid token.
type TokenError struct {
	Code    int    `json:"code"`
	Subcode int    `json:"subcode"`
	Message string `json:"message"`
}

// DebugToken asks Meta about inputToken with the app's own token:
// GET /debug_token?input_token=…. An invalid input token is not an error:
// TokenInfo.Valid is then false and Error says why. An error of the call
// itself concerns the app: a rejected app id or secret is class
// Permission, never Token, so that no account is marked for it. Neither
// token nor the secret appears in errors or logs.
func (c *Client) DebugToken(ctx context.Context, app App, inputToken string) (TokenInfo, error) {
	const op = "debug_token"
	if !app.Configured() {
		return TokenInfo{}, &Error{Op: op, Class: InvalidRequest, Message: "the app id and app secret are needed"}
	}
	if err := checkToken(inputToken); err != nil {
		return TokenInfo{}, &Error{Op: op, Class: Token, Message: err.Error()}
	}
	var out struct {
		Data struct {
			TokenInfo
			ExpiresAt           int64 `json:"expires_at"`
			DataAccessExpiresAt int64 `json:"data_access_expires_at"`
		} `json:"data"`
	}
	// The input token can only go in the query, as Meta documents; the
	// app token goes in the Authorization header as every token does.
	// debug_token is a graph.facebook.com endpoint, whatever the login.
	rl, err := c.do(ctx, app.token(), call{op: op, method: http.MethodGet, path: []string{"debug_token"},
		query: url.Values{"input_token": {inputToken}}, idempotent: true, facebook: true}, &out)
	if err != nil {
		return TokenInfo{RateLimit: rl}, scrubError(err, inputToken, app.Secret)
	}
	info := out.Data.TokenInfo
	info.ExpiresAt, info.DataAccessExpiresAt = unixOrZero(out.Data.ExpiresAt), unixOrZero(out.Data.DataAccessExpiresAt)
	info.RateLimit = rl
	if info.Error != nil {
		info.Error.Message = redact(redact(info.Error.Message, inputToken), app.Secret)
	}
	return info, nil
}

// unixOrZero reads a Unix time where 0 means "never".
func unixOrZero(s int64) time.Time {
	if s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// scrubError removes secrets from err, and makes a rejected app token a
// Permission error.
func scrubError(err error, secrets ...string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	for _, s := range secrets {
		e.Message, e.UserTitle, e.UserMsg = redact(e.Message, s), redact(e.UserTitle, s), redact(e.UserMsg, s)
		if e.Err != nil {
			e.Err = redactErr(e.Err, s)
		}
	}
	if e.Class == Token {
		e.Class = Permission
		e.Message = "the app id or app secret was rejected: " + e.Message
	}
	return e
}

// requiredScope is a permission replies and moderation need, under the
// names Facebook Login and Instagram Login give it.
type requiredScope []string

// requiredScopes are the permissions each platform's token needs to
// receive, answer and moderate (see the deploy README).
var requiredScopes = map[inbox.Platform][]requiredScope{
	inbox.PlatformFacebook: {
		{"pages_manage_metadata"}, {"pages_show_list"}, {"pages_messaging"},
		{"pages_manage_engagement"}, {"pages_read_engagement"}, {"pages_read_user_engagement"},
	},
	inbox.PlatformInstagram: {
		{"instagram_basic", "instagram_business_basic"},
		{"instagram_manage_comments", "instagram_business_manage_comments"},
		{"instagram_manage_messages", "instagram_business_manage_messages"},
	},
}

// MissingScopes returns the permissions a token of platform needs that
// scopes lacks, by the names of the login that granted scopes (see
// ScopesLogin): Instagram Login's for an Instagram Login token, Facebook
// Login's otherwise.
func MissingScopes(platform inbox.Platform, scopes []string) []string {
	instagram := ScopesLogin(scopes) == inbox.LoginInstagram
	var missing []string
	for _, req := range requiredScopes[platform] {
		if !slices.ContainsFunc(req, func(s string) bool { return slices.Contains(scopes, s) }) {
			name := req[0]
			if instagram {
				name = req[len(req)-1]
			}
			missing = append(missing, name)
		}
	}
	return missing
}

// RequiredScopes returns the permissions a token of platform needs, by
// their Facebook Login names.
func RequiredScopes(platform inbox.Platform) []string { return MissingScopes(platform, nil) }
