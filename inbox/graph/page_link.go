package graph

import (
	"context"
	"net/http"
	"net/url"
)

// PageLink is the Page a Page access token belongs to and the Instagram
// professional account linked to it (Facebook Login), "" when none is.
type PageLink struct {
	PageID      string
	InstagramID string
}

// LinkedInstagram asks which Page token belongs to and which Instagram
// account is linked to that Page:
// GET /me?fields=id,instagram_business_account. An Instagram Login token
// is not a Page token, and Meta answers it with an error.
func (c *Client) LinkedInstagram(ctx context.Context, token string) (PageLink, RateLimit, error) {
	var out struct {
		ID      string `json:"id"`
		Account *struct {
			ID string `json:"id"`
		} `json:"instagram_business_account"`
	}
	rl, err := c.do(ctx, token, call{op: "linked_instagram", method: http.MethodGet, path: []string{"me"},
		query: url.Values{"fields": {"id,instagram_business_account"}}, idempotent: true}, &out)
	link := PageLink{PageID: out.ID}
	if out.Account != nil {
		link.InstagramID = out.Account.ID
	}
	return link, rl, err
}
