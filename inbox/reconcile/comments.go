package reconcile

import (
	"context"
	"errors"
	"slices"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// pollComments reads the account's latest posts and their comments and
// applies those written within the poll's window (see since). A post
// whose comments Meta refuses (deleted since the listing, or hidden from
// the token) is logged and skipped; only when it refuses every post does
// the part fail, since that is about the account rather than a post.
func (r *Reconciler) pollComments(ctx context.Context, a *inbox.Account, token string) (int, error) {
	posts, rl, err := r.graph(a).RecentPosts(ctx, token, a.Platform, a.ExternalID, r.cfg.Posts)
	if r.learn(a, rl, err) {
		return 0, errPaused
	}
	if err != nil {
		return 0, r.failed(ctx, a, err)
	}
	if a.Platform == inbox.PlatformInstagram {
		if posts, err = r.withLive(ctx, a, token, posts); err != nil {
			return 0, err
		}
	}
	since := r.since(a)
	found, read := 0, 0
	var refused error
	defer func() { r.found.WithLabelValues(string(a.Platform), kindComment).Add(float64(found)) }()
	for _, p := range posts {
		comments, err := r.postComments(ctx, a, token, p.ID, since)
		n, applyErr := r.applyComments(ctx, a, p, comments, since)
		found += n
		switch {
		case applyErr != nil:
			return found, applyErr
		case errors.Is(err, errPaused):
			return found, errPaused
		case postRefused(err):
			r.cfg.Logger.InfoContext(ctx, "reconcile: Meta refused a post's comments; the post is skipped",
				"account_id", a.ID, "post_id", p.ID, "err", err)
			refused = err
		case err != nil:
			return found, r.failed(ctx, a, err)
		default:
			read++
		}
	}
	if read == 0 && refused != nil {
		return found, refused
	}
	return found, nil
}

// postComments reads a post's comments newest first, page after page,
// until one is older than since, no page is left or CommentPages pages
// were read. It returns what it read also when a call fails.
func (r *Reconciler) postComments(ctx context.Context, a *inbox.Account, token, postID string, since time.Time) ([]graph.Comment, error) {
	var out []graph.Comment
	after := ""
	for range r.cfg.CommentPages {
		page, rl, err := r.graph(a).Comments(ctx, token, a.Platform, postID, after, r.cfg.Comments)
		if err == nil {
			out = append(out, page.Comments...)
		}
		if r.learn(a, rl, err) {
			return out, errPaused
		}
		if err != nil {
			return out, err
		}
		if page.After == "" || slices.ContainsFunc(page.Comments, func(c graph.Comment) bool { return c.Created.Before(since) }) {
			break
		}
		after = page.After
	}
	return out, nil
}

// applyComments applies the citizens' comments of a post written since
// and returns how many were new.
func (r *Reconciler) applyComments(ctx context.Context, a *inbox.Account, p graph.Post, comments []graph.Comment, since time.Time) (int, error) {
	events := make([]inbox.Event, 0, len(comments))
	for _, c := range comments {
		if citizenComment(a, c) && !c.Created.Before(since) {
			e := commentEvent(a, p.ID, c)
			// As its live_comments webhook would: Meta takes no public
			// reply to a comment on a live broadcast.
			e.Live = p.Live
			events = append(events, e)
		}
	}
	if len(events) == 0 {
		return 0, nil
	}
	return r.cfg.Apply(withPolled(ctx), "reconcile", events)
}

// withLive adds the Instagram account's live broadcasts to its posts, or
// marks those listed already, so their comments are marked live: only
// live_media tells a live broadcast. A refusal (an edge the account's
// login does not offer) leaves posts as they are; any other failure fails
// the part rather than apply a live comment unmarked.
func (r *Reconciler) withLive(ctx context.Context, a *inbox.Account, token string, posts []graph.Post) ([]graph.Post, error) {
	live, rl, err := r.graph(a).LiveMedia(ctx, token, a.ExternalID)
	switch {
	case r.learn(a, rl, err):
		return posts, errPaused
	case postRefused(err):
		r.cfg.Logger.DebugContext(ctx, "reconcile: Meta refused the live broadcasts; none is marked live",
			"account_id", a.ID, "err", err)
		return posts, nil
	case err != nil:
		return posts, r.failed(ctx, a, err)
	}
	return graph.WithLive(posts, live), nil
}

// postRefused reports whether err is Meta refusing one post rather than
// the account: the object does not exist (any more) or the token may not
// see it.
func postRefused(err error) bool {
	c := graph.ClassOf(err)
	return c == graph.InvalidRequest || c == graph.Permission
}

// since is the oldest time a's poll recovers: Window back from now, and
// never before the account was added, since what was written before inkorg
// managed the account is history, not something webhooks missed.
func (r *Reconciler) since(a *inbox.Account) time.Time {
	since := r.cfg.Now().Add(-r.cfg.Window)
	if a.CreatedAt.After(since) {
		return a.CreatedAt
	}
	return since
}
