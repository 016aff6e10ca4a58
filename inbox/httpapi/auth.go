package httpapi

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/web"
)

const userKey = "inkorg.user"

// errReadOnlyToken is what a read-only API token is told when it asks
// for a change, in Swedish and then English.
const errReadOnlyToken = "Den här API-token får bara läsa (GET, HEAD, OPTIONS). " +
	"Gör ändringar med en token som skapats utan --read-only. / " + inbox.ErrReadOnlyToken

// requireToken authenticates API clients by their bearer token, and
// refuses a read-only token anything but a read.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(web.SessionCookie); err == nil && s.sessions != nil && c.Request().Header.Get("Authorization") == "" {
			return s.withSession(c, ck.Value, next)
		}
		scheme, token, ok := strings.Cut(c.Request().Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return inbox.Errorf(inbox.EUNAUTHORIZED, "Skicka en API-token som Authorization: Bearer <token>. / Send an API token as Authorization: Bearer <token>.")
		}
		hash := inbox.HashAPIToken(token)
		find := func(ctx context.Context) (*inbox.APIToken, *inbox.User, error) {
			tok, user, err := s.store.FindAPITokenByHash(ctx, hash)
			if inbox.ErrorCode(err) == inbox.ENOTFOUND {
				return nil, nil, inbox.Errorf(inbox.EUNAUTHORIZED, "API-token är ogiltig. / The API token is not valid.")
			}
			return tok, user, err
		}
		tok, user, err := find(c.Request().Context())
		if err != nil {
			return err
		}
		if !tok.Permits(c.Request().Method) {
			return inbox.Errorf(inbox.EFORBIDDEN, errReadOnlyToken)
		}
		// A token's scope never changes, so a recheck needs only its user.
		recheck := func(ctx context.Context) (*inbox.User, error) {
			_, user, err := find(ctx)
			return user, err
		}
		c.Set(userKey, user)
		c.Set(recheckKey, recheck)
		return next(c)
	}
}

// recheckKey holds the request's authentication as a function that runs
// it again: a long-lived response (the live event stream) asks it now and
// then, so that it ends when the token is revoked or the user deactivated,
// and follows changes to the user's role and administrations.
const recheckKey = "inkorg.recheck"

// recheckUser returns the function that authenticates the request's
// caller again, nil when there is none.
func recheckUser(c echo.Context) func(context.Context) (*inbox.User, error) {
	f, _ := c.Get(recheckKey).(func(context.Context) (*inbox.User, error))
	return f
}

// currentUser returns the authenticated user of the request.
func currentUser(c echo.Context) *inbox.User {
	u, _ := c.Get(userKey).(*inbox.User)
	return u
}
