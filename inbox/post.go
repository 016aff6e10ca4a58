package inbox

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Post is a Facebook post or Instagram media that comment threads hang
// under, shown above the thread so staff see what the citizen answered.
// Comment webhooks name only the post's id, so a post is stored when first
// named and its content filled from a webhook that carries it (a visitor
// post) or fetched once from the Graph API.
type Post struct {
	Platform          Platform `json:"platform"`
	ExternalID        string   `json:"external_id"`
	AccountExternalID string   `json:"account_external_id,omitempty"`
	// Text is the post's message (Facebook) or caption (Instagram).
	Text      string `json:"text"`
	Permalink string `json:"permalink,omitempty"`
	// MediaType is Instagram's media_product_type (FEED, REELS, STORY,
	// AD) or, for Facebook, the feed item (post, status, photo, video).
	MediaType string     `json:"media_type,omitempty"`
	PostedAt  *time.Time `json:"posted_at,omitempty"`
	// FetchedAt is the time the content is from: when it was fetched, or
	// the time of the webhook event that brought it; nil while it is not
	// known yet (Fetched is false), when Text is empty.
	FetchedAt *time.Time `json:"fetched_at,omitempty"`
	Fetched   bool       `json:"fetched"`
	// Unavailable is set when fetching it was given up: Meta no longer
	// has it, or refused it to the account.
	Unavailable bool `json:"unavailable,omitempty"`
}

// MaxPostFetchAttempts is how often fetching a post is tried before it is
// given up; the thread is then shown without its post.
const MaxPostFetchAttempts = 5

// PostFetch is a post whose content is still to be fetched.
type PostFetch struct {
	Platform          Platform
	ExternalID        string
	AccountExternalID string
	Attempts          int
}

// PostStore keeps posts.
type PostStore interface {
	// NotePost stores a post only known by its id, to be fetched; a post
	// already stored is left as it is.
	NotePost(ctx context.Context, platform Platform, id, accountID, mediaType string) error
	// SavePost stores p's content, known from a webhook or a fetch, and
	// marks it fetched at p.FetchedAt.
	SavePost(ctx context.Context, p *Post) error
	// FindPost returns the post, or ENOTFOUND.
	FindPost(ctx context.Context, platform Platform, id string) (*Post, error)
	// FindPostsToFetch returns up to limit posts whose content is not
	// known, due at now and not given up, the longest waiting first.
	FindPostsToFetch(ctx context.Context, now time.Time, limit int) ([]PostFetch, error)
	// PostFetchFailed counts a failed fetch and puts the next try off
	// until next; after MaxPostFetchAttempts, or for a zero next, it is
	// given up.
	PostFetchFailed(ctx context.Context, platform Platform, id, reason string, next time.Time) error
}

// Validate checks a post before it is stored.
func (p *Post) Validate() error {
	switch {
	case p.Platform != PlatformFacebook && p.Platform != PlatformInstagram:
		return Errorf(EINVALID, "Unknown platform %q.", p.Platform)
	case strings.TrimSpace(p.ExternalID) == "":
		return Errorf(EINVALID, "Post has no id.")
	case !utf8.ValidString(p.Text):
		return Errorf(EINVALID, "Post text is not valid UTF-8.")
	}
	return nil
}

// PostHookStore is what PostHook reads and writes.
type PostHookStore interface {
	PostStore
	MessageFinder
}

// PostHook returns an EventHook that stores a post that came as an event of
// its own (a visitor post on the Page) with its content, and keeps it as
// agents see the post's message: edited, its latest text; removed by its
// author, no text, as the message shows none. The text is read from the
// stored message, which has every change applied in order whatever order
// they came in. The post a comment hangs under is noted, as only an id for
// the post fetcher, by ApplyEvent in the comment's own transaction. It
// does no network call, so ingest never waits for Meta.
func PostHook(store PostHookStore, now func() time.Time) EventHook {
	return func(ctx context.Context, e Event, a Applied) error {
		if !e.Channel.Public() || e.PostExternalID == "" || e.MessageExternalID != e.PostExternalID || a.MessageID == 0 {
			return nil
		}
		switch e.Kind {
		case EventMessageCreated, EventMessageEdited, EventMessageDeleted:
		default:
			return nil
		}
		m, err := store.FindMessageByID(ctx, a.MessageID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return nil
		case err != nil:
			return err
		}
		at := now()
		p := &Post{Platform: e.Platform, ExternalID: e.PostExternalID, AccountExternalID: e.AccountExternalID,
			Text: m.ForAgents().Text, MediaType: e.PostType, FetchedAt: &at}
		if posted := e.OccurredAt; e.Kind == EventMessageCreated && !posted.IsZero() {
			p.PostedAt = &posted
		}
		return store.SavePost(ctx, p)
	}
}
