package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// TokenList is the body of GET /api/v1/tokens. Tokens themselves are never
// shown again after they are made; these are their ids and times.
type TokenList struct {
	Tokens []*inbox.APIToken `json:"tokens"`
}

// errOthersTokens refuses all but admins another user's tokens.
var errOthersTokens = inbox.Errorf(inbox.EFORBIDDEN, "Bara en administratör kan se andra användares API-token. / Only administrators may see other users' tokens.")

// listTokens lists the caller's API tokens, or with ?user_id= (admins) another
// user's.
func (s *Server) listTokens(c echo.Context) error {
	owner := currentUser(c).ID
	if raw := c.QueryParam("user_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case (err != nil || id != owner) && !currentUser(c).CanManageTokensOf(0):
			// Only an admin (who may manage anyone's tokens, even those
			// of id 0, which is no one's) names another user; anyone else
			// is told that, not what is wrong with the id.
			return errOthersTokens
		case err != nil || id <= 0:
			return inbox.Errorf(inbox.EINVALID, "user_id ska vara ett positivt heltal. / user_id must be a positive integer.")
		}
		owner = id
	}
	if !currentUser(c).CanManageTokensOf(owner) {
		return errOthersTokens
	}
	if owner != currentUser(c).ID {
		// No user has no tokens to list: an empty list would read as a
		// user who has none.
		if _, err := s.store.FindUserByID(c.Request().Context(), owner); inbox.ErrorCode(err) == inbox.ENOTFOUND {
			return inbox.Errorf(inbox.ENOTFOUND, "Det finns ingen användare med id %d (user_id). / There is no user with id %d (user_id).", owner, owner)
		} else if err != nil {
			return err
		}
	}
	tokens, err := s.store.FindAPITokens(c.Request().Context(), owner)
	if err != nil {
		return err
	}
	if tokens == nil {
		tokens = []*inbox.APIToken{}
	}
	return c.JSON(http.StatusOK, TokenList{Tokens: tokens})
}

// revokeToken deletes one of the caller's tokens (any token, for admins).
// Another user's token is not found rather than forbidden, so ids do not
// reveal whose they are.
func (s *Server) revokeToken(c echo.Context) error {
	id, err := pathID(c, "Token")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	tok, err := s.store.FindAPIToken(ctx, id)
	if err != nil {
		return err
	}
	if !currentUser(c).CanManageTokensOf(tok.UserID) {
		return inbox.Errorf(inbox.ENOTFOUND, "API-token finns inte. / API token not found.")
	}
	if err := s.store.DeleteAPIToken(ctx, id); err != nil {
		return err
	}
	if err := s.store.AddAudit(ctx, inbox.TokenAudit(inbox.ActionTokenRevoke, currentUser(c).ID, tok, "api")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
