package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/web"
)

const userKey = "inkorg.user"

// requireToken authenticates API clients by their bearer token.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(web.SessionCookie); err == nil && s.sessions != nil && c.Request().Header.Get("Authorization") == "" {
			return s.withSession(c, ck.Value, next)
		}
		scheme, token, ok := strings.Cut(c.Request().Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return inbox.Errorf(inbox.EUNAUTHORIZED, "Send an API token as Authorization: Bearer <token>.")
		}
		user, err := s.store.FindUserByTokenHash(c.Request().Context(), inbox.HashAPIToken(token))
		if inbox.ErrorCode(err) == inbox.ENOTFOUND {
			return inbox.Errorf(inbox.EUNAUTHORIZED, "The API token is not valid.")
		} else if err != nil {
			return err
		}
		c.Set(userKey, user)
		return next(c)
	}
}

// currentUser returns the authenticated user of the request.
func currentUser(c echo.Context) *inbox.User {
	u, _ := c.Get(userKey).(*inbox.User)
	return u
}
