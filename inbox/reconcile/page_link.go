package reconcile

import (
	"context"

	"inkorg/inbox"
)

// linkPage learns, once per Instagram account without a configured
// Page, whether its token is a Page token of the Page the account is
// linked to (Facebook Login): GET /me?fields=id,instagram_business_account.
// When it is, the Page is stored and the account's conversations are read
// there from now on. An Instagram Login token is not a Page token: Meta's
// error then only means the account's own id is right, so it is logged,
// never held against the token. Only Meta's request to slow down and a
// failure to store the Page are returned.
func (r *Reconciler) linkPage(ctx context.Context, a *inbox.Account, token string) error {
	if a.Platform != inbox.PlatformInstagram || a.PageID != "" {
		return nil
	}
	r.mu.Lock()
	done := r.pageLookups[a.ID]
	r.pageLookups[a.ID] = true
	r.mu.Unlock()
	if done {
		return nil
	}
	link, rl, err := r.cfg.Graph.LinkedInstagram(ctx, token)
	if r.learn(a, rl, err) {
		r.mu.Lock()
		delete(r.pageLookups, a.ID)
		r.mu.Unlock()
		return errPaused
	}
	switch {
	case err != nil:
		r.cfg.Logger.InfoContext(ctx, "reconcile: no linked Page found for the Instagram account; its own id is used",
			"account_id", a.ID, "err", err)
		return nil
	case link.PageID == "" || link.InstagramID != a.ExternalID:
		return nil
	}
	if err := r.cfg.Store.SetAccountPageID(ctx, a.ID, link.PageID); err != nil {
		r.mu.Lock()
		delete(r.pageLookups, a.ID)
		r.mu.Unlock()
		return err
	}
	a.PageID = link.PageID
	r.cfg.Logger.InfoContext(ctx, "reconcile: Instagram account linked to its Page", "account_id", a.ID, "page_id", link.PageID)
	return nil
}
