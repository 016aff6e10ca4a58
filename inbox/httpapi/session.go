package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/web"
)

// withSession authenticates an API request by the web UI's session
// cookie, so the UI's script can call the API and the event stream. An
// unsafe method must carry the session's CSRF token in X-CSRF-Token, as a
// cookie alone would let another site act in the user's name.
func (s *Server) withSession(c echo.Context, token string, next echo.HandlerFunc) error {
	sess, user, err := s.sessions.Authenticate(c.Request().Context(), token)
	if err != nil {
		return err
	}
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if !web.CheckSessionCSRF(c.Request(), sess) {
			return inbox.Errorf(inbox.EFORBIDDEN, "Skicka inloggningens CSRF-token i huvudet %s. / Send the session's CSRF token in the %s header.", web.CSRFHeader, web.CSRFHeader)
		}
	}
	c.Set(userKey, user)
	c.Set(recheckKey, func(ctx context.Context) (*inbox.User, error) { return s.sessions.Check(ctx, token) })
	return next(c)
}
