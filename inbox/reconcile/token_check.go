package reconcile

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// TokenChecker checks access tokens with Meta: through debug_token when
// the app's id and secret are known (validity, expiry, permissions),
// otherwise through /me (validity only).
type TokenChecker struct {
	Graph *graph.Client
	App   graph.App
	Now   func() time.Time
}

// TokenResult is what a check found.
type TokenResult struct {
	inbox.TokenCheck
	// Owner says whom the token belongs to, for operators.
	Owner string
	// Login is the login the token's permissions come from, known only
	// through debug_token: "" when not known.
	Login inbox.AccountLogin
}

// Check checks token, an access token of a platform account. A token Meta
// rejects is an error of class graph.Token on both paths; any other error
// means the check could not be made.
func (c TokenChecker) Check(ctx context.Context, platform inbox.Platform, token string) (TokenResult, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if !c.App.Configured() {
		me, err := c.Graph.CheckToken(ctx, token)
		if err != nil {
			return TokenResult{}, err
		}
		return TokenResult{TokenCheck: inbox.TokenCheck{CheckedAt: now().UTC()}, Owner: fmt.Sprintf("%s (%s)", me.Name, me.ID)}, nil
	}
	info, err := c.Graph.DebugToken(ctx, c.App, token)
	if err != nil {
		return TokenResult{}, err
	}
	if !info.Valid {
		e := &graph.Error{Op: "debug_token", Class: graph.Token, Message: "the token is not valid"}
		if info.Error != nil {
			e.Code, e.Subcode, e.Message = info.Error.Code, info.Error.Subcode, info.Error.Message
		}
		return TokenResult{}, e
	}
	r := TokenResult{TokenCheck: inbox.TokenCheck{CheckedAt: now().UTC(), ExpiryKnown: true,
		MissingScopes: graph.MissingScopes(platform, info.Scopes)}, Owner: info.ProfileID, Login: graph.ScopesLogin(info.Scopes)}
	if r.Owner == "" {
		r.Owner = info.UserID
	}
	if !info.ExpiresAt.IsZero() {
		r.ExpiresAt = &info.ExpiresAt
	}
	if !info.DataAccessExpiresAt.IsZero() {
		r.DataAccessExpiresAt = &info.DataAccessExpiresAt
	}
	return r, nil
}

// RecordTokenCheck stores the outcome of checking a's token: a rejected
// token marks the account as needing a new one; a working one clears that
// mark and stores the expiry and missing permissions. A check that could
// not be made changes nothing.
func RecordTokenCheck(ctx context.Context, store inbox.Store, a *inbox.Account, r TokenResult, checkErr error) error {
	switch {
	case graph.ClassOf(checkErr) == graph.Token:
		return store.SetAccountNeedsToken(ctx, a.ID, true)
	case checkErr != nil:
		return nil
	}
	if a.NeedsToken {
		if err := store.SetAccountNeedsToken(ctx, a.ID, false); err != nil {
			return err
		}
	}
	return store.RecordTokenCheck(ctx, a.ID, r.TokenCheck)
}

// checkToken checks a's token with Meta when the last check is older than
// TokenCheckEvery, records the result, and warns supervisors when the
// token comes from the other login, expires soon or lacks a permission. A
// rejected token fails the poll; a check that could not be made is only
// logged.
func (r *Reconciler) checkToken(ctx context.Context, a *inbox.Account, token string) error {
	now := r.cfg.Now()
	if a.TokenCheckedAt != nil && now.Sub(*a.TokenCheckedAt) < r.cfg.TokenCheckEvery {
		return nil
	}
	checker := TokenChecker{Graph: r.graph(a), App: r.cfg.App, Now: r.cfg.Now}
	res, err := checker.Check(ctx, a.Platform, token)
	if graph.ClassOf(err) == graph.Token {
		return r.failed(ctx, a, err)
	}
	if err != nil {
		r.cfg.Logger.WarnContext(ctx, "reconcile: token check failed", "account_id", a.ID, "err", err)
		return nil
	}
	if err := RecordTokenCheck(ctx, r.cfg.Store, a, res, nil); err != nil {
		return err
	}
	a.NeedsToken = false
	a.TokenCheckedAt, a.TokenExpiryKnown, a.TokenExpiresAt = &res.CheckedAt, res.ExpiryKnown, res.ExpiresAt
	a.TokenDataAccessExpiresAt, a.TokenMissingScopes = res.DataAccessExpiresAt, res.MissingScopes
	r.tokenHealth(ctx, a, res.Login, now)
	return nil
}

// tokenHealth warns, once until it changes, about a token whose login
// (login, "" when not known) is not the account's, which sends its calls
// to the wrong Graph API host, or that expires soon or lacks permissions.
func (r *Reconciler) tokenHealth(ctx context.Context, a *inbox.Account, login inbox.AccountLogin, now time.Time) {
	switch {
	case login != "" && login != cmp.Or(a.Login, inbox.LoginFacebook):
		command := fmt.Sprintf("inkorg accounts login %s %s --platform %s", a.ExternalID, login, a.Platform)
		r.raise(ctx, r.tokenAlerts, a, "token_login",
			fmt.Sprintf("Kontots åtkomsttoken kommer från %s Login men kontot använder %s Login, så dess anrop går till fel Graph API-värd och avvisas. En administratör behöver byta inloggning (%s).",
				loginName(login), loginName(a.Login), command),
			fmt.Sprintf("The account's access token comes from %s Login but the account uses %s Login, so its calls go to the wrong Graph API host and are rejected. An administrator needs to change the login (%s).",
				loginName(login), loginName(a.Login), command))
	case a.TokenExpiresWithin(now, inbox.TokenExpiryWarning):
		r.raise(ctx, r.tokenAlerts, a, "token_expiring",
			"Kontots åtkomsttoken går ut inom en vecka. En administratör behöver ge kontot en ny token (inkorg accounts token).",
			"The account's access token expires within a week. An administrator needs to give the account a new token (inkorg accounts token).")
	case len(a.TokenMissingScopes) > 0:
		r.raise(ctx, r.tokenAlerts, a, "token_permissions",
			"Kontots åtkomsttoken saknar behörigheter som svar och moderering behöver. Se inkorg accounts check.",
			"The account's access token lacks permissions replies and moderation need. See inkorg accounts check.")
	default:
		r.mu.Lock()
		delete(r.tokenAlerts, a.ID)
		r.mu.Unlock()
	}
}

// loginName is how Meta names a login.
func loginName(l inbox.AccountLogin) string {
	if l == inbox.LoginInstagram {
		return "Instagram"
	}
	return "Facebook"
}
