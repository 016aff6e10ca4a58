package reconcile

import (
	"context"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// linkPage learns, once per Instagram account with Facebook Login and
// without a configured Page, whether its token is a Page token of the Page the account is
// linked to (Facebook Login): GET /me?fields=id,instagram_business_account.
// When it is, the Page is stored and the account's conversations are read
// there from now on. Only a definite answer settles the question: Meta's
// answer, or its refusal, which for an Instagram Login token (not a Page
// token) only means the account's own id is right, so it is logged, never
// held against the token. A failure that may pass (Meta did not answer,
// throttling, a token about to be replaced) leaves it to the next round.
// Only Meta's request to slow down and a failure to store the Page are
// returned.
func (r *Reconciler) linkPage(ctx context.Context, a *inbox.Account, token string) error {
	if a.Platform != inbox.PlatformInstagram || a.PageID != "" || a.InstagramLogin() {
		return nil
	}
	r.mu.Lock()
	done := r.pageLookups[a.ID]
	r.mu.Unlock()
	if done {
		return nil
	}
	link, rl, err := r.graph(a).LinkedInstagram(ctx, token)
	paused := r.learn(a, rl, err)
	switch {
	case err != nil && !definiteAnswer(err):
		r.cfg.Logger.InfoContext(ctx, "reconcile: the Instagram account's linked Page could not be looked up; asked again next round",
			"account_id", a.ID, "err", err)
	case err != nil:
		r.cfg.Logger.InfoContext(ctx, "reconcile: no linked Page found for the Instagram account; its own id is used",
			"account_id", a.ID, "err", err)
		r.settlePageLookup(a)
	case link.PageID == "" || link.InstagramID != a.ExternalID:
		r.settlePageLookup(a)
	default:
		if err := r.cfg.Store.SetAccountPageID(ctx, a.ID, link.PageID); err != nil {
			return err
		}
		a.PageID = link.PageID
		r.settlePageLookup(a)
		r.cfg.Logger.InfoContext(ctx, "reconcile: Instagram account linked to its Page", "account_id", a.ID, "page_id", link.PageID)
	}
	if paused {
		return errPaused
	}
	return nil
}

// settlePageLookup records that a's linked Page is known, so it is not
// looked up again.
func (r *Reconciler) settlePageLookup(a *inbox.Account) {
	r.mu.Lock()
	r.pageLookups[a.ID] = true
	r.mu.Unlock()
}

// definiteAnswer reports whether a failed lookup is Meta's answer about
// the token rather than a failure that may pass.
func definiteAnswer(err error) bool {
	switch graph.ClassOf(err) {
	case graph.Transient, graph.Ambiguous, graph.Token:
		return false
	}
	return true
}
