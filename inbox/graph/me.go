package graph

import (
	"context"
	"net/http"
	"net/url"
)

// Me is the object an access token belongs to: for a Page token, the Page.
type Me struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	RateLimit RateLimit `json:"-"`
}

// CheckToken validates token by asking who it belongs to: GET /me. A
// rejected token is an *Error of class Token.
func (c *Client) CheckToken(ctx context.Context, token string) (Me, error) {
	var me Me
	rl, err := c.do(ctx, token, call{op: "check_token", method: http.MethodGet, path: []string{"me"},
		query: url.Values{"fields": {"id,name"}}, idempotent: true}, &me)
	me.RateLimit = rl
	return me, err
}
