package sqlstore

import (
	"context"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

var _ inbox.PostStore = (*Store)(nil)

type postRow struct {
	Platform          string `gorm:"column:platform;primaryKey"`
	ExternalID        string `gorm:"column:external_id;primaryKey"`
	AccountExternalID string `gorm:"column:account_external_id"`
	Text              string `gorm:"column:text"`
	Permalink         string `gorm:"column:permalink"`
	MediaType         string `gorm:"column:media_type"`
	PostedAt          dbTime `gorm:"column:posted_at"`
	FetchedAt         dbTime `gorm:"column:fetched_at"`
	FetchAttempts     int    `gorm:"column:fetch_attempts"`
	FetchError        string `gorm:"column:fetch_error"`
	NextFetchAt       dbTime `gorm:"column:next_fetch_at"`
	CreatedAt         dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (postRow) TableName() string { return "posts" }

func (r *postRow) toDomain() *inbox.Post {
	return &inbox.Post{
		Platform: inbox.Platform(r.Platform), ExternalID: r.ExternalID, AccountExternalID: r.AccountExternalID,
		Text: r.Text, Permalink: r.Permalink, MediaType: r.MediaType,
		PostedAt: r.PostedAt.Ptr(), FetchedAt: r.FetchedAt.Ptr(), Fetched: r.FetchedAt.Ptr() != nil,
		Unavailable: r.FetchedAt.Ptr() == nil && r.NextFetchAt.Ptr() == nil,
	}
}

// NotePost stores a post only known by its id, to be fetched at once; a
// post already stored is left as it is.
func (s *Store) NotePost(ctx context.Context, platform inbox.Platform, id, accountID, mediaType string) error {
	p := inbox.Post{Platform: platform, ExternalID: id}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := notePost(s.conn(ctx), s.now(), platform, id, accountID, mediaType); err != nil {
		return translate(err, "Post")
	}
	s.posts.add(postKey{platform: platform, id: id})
	return nil
}

// notePost stores a post known only by its id, due to be fetched now,
// unless it is stored already.
func notePost(tx *gorm.DB, now dbTime, platform inbox.Platform, id, accountID, mediaType string) error {
	row := postRow{Platform: string(platform), ExternalID: id, AccountExternalID: accountID, MediaType: mediaType,
		NextFetchAt: now, CreatedAt: now}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
}

// noteCommentPost notes the post a new public comment hangs under, for the
// post fetcher, in the transaction that stores the comment, and returns it
// (zero when the event has none). The post's own event (a visitor post) is
// stored with its content by PostHook instead. It is the transaction's last
// write: a concurrent comment on the same post waits for the note, never
// the other way round. A post this store has noted before is not written
// again (see knownPosts).
func (s *Store) noteCommentPost(tx *gorm.DB, e *inbox.Event, now dbTime) (postKey, error) {
	if !e.Channel.Public() || strings.TrimSpace(e.PostExternalID) == "" || e.MessageExternalID == e.PostExternalID {
		return postKey{}, nil
	}
	k := postKey{platform: e.Platform, id: e.PostExternalID}
	if s.posts.has(k) {
		return k, nil
	}
	return k, notePost(tx, now, e.Platform, e.PostExternalID, e.AccountExternalID, e.PostType)
}

// postKey names a post.
type postKey struct {
	platform inbox.Platform
	id       string
}

// knownPosts remembers posts that a committed transaction of this store
// noted, so that the next comments under a post skip the statement that
// would find it stored: most comments hang under a post the city's page
// published once and citizens comment on for days. Posts are never deleted,
// so a remembered post is stored. It holds at most maxKnownPosts and starts
// over when full.
type knownPosts struct {
	mu sync.Mutex
	m  map[postKey]struct{}
}

const maxKnownPosts = 50_000

func (k *knownPosts) has(p postKey) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.m[p]
	return ok
}

// add remembers p; call it only after the transaction that noted p
// committed.
func (k *knownPosts) add(p postKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil || len(k.m) >= maxKnownPosts {
		k.m = make(map[postKey]struct{})
	}
	k.m[p] = struct{}{}
}

// postContentNewer says that the content being saved is at least as
// recent as the stored post's: fetched_at is the time the content is from.
const postContentNewer = "(posts.fetched_at IS NULL OR posts.fetched_at <= excluded.fetched_at)"

// SavePost stores p's content and marks it fetched, unless the stored
// content is more recent: Meta redelivers and reorders webhooks, so a
// post's `add` can arrive after its `edited` or after a fetch. A permalink
// or media type the newer content lacks (a webhook carries none) is kept;
// the post's time is the earliest known.
func (s *Store) SavePost(ctx context.Context, p *inbox.Post) error {
	if err := p.Validate(); err != nil {
		return err
	}
	fetched := s.now()
	if p.FetchedAt != nil {
		fetched = toDBTime(*p.FetchedAt)
	}
	row := postRow{Platform: string(p.Platform), ExternalID: p.ExternalID, AccountExternalID: p.AccountExternalID,
		Text: p.Text, Permalink: p.Permalink, MediaType: p.MediaType, PostedAt: ptrTime(p.PostedAt),
		FetchedAt: fetched, CreatedAt: s.now()}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "platform"}, {Name: "external_id"}},
		DoUpdates: clause.Assignments(map[string]any{
			"text": gorm.Expr("CASE WHEN " + postContentNewer + " THEN excluded.text ELSE posts.text END"),
			"permalink": gorm.Expr("CASE WHEN excluded.permalink <> '' AND " + postContentNewer +
				" OR posts.permalink = '' THEN excluded.permalink ELSE posts.permalink END"),
			"media_type": gorm.Expr("CASE WHEN excluded.media_type <> '' AND " + postContentNewer +
				" OR posts.media_type = '' THEN excluded.media_type ELSE posts.media_type END"),
			"posted_at": gorm.Expr("CASE WHEN posts.posted_at IS NULL OR excluded.posted_at < posts.posted_at" +
				" THEN excluded.posted_at ELSE posts.posted_at END"),
			"fetched_at":    gorm.Expr("CASE WHEN " + postContentNewer + " THEN excluded.fetched_at ELSE posts.fetched_at END"),
			"fetch_error":   "",
			"next_fetch_at": nil,
		}),
	}).Create(&row).Error
	if err != nil {
		return translate(err, "Post")
	}
	s.posts.add(postKey{platform: p.Platform, id: p.ExternalID})
	return nil
}

// FindPost returns the post, or ENOTFOUND.
func (s *Store) FindPost(ctx context.Context, platform inbox.Platform, id string) (*inbox.Post, error) {
	var row postRow
	if err := s.conn(ctx).Where("platform = ? AND external_id = ?", string(platform), id).Take(&row).Error; err != nil {
		return nil, translate(err, "Post")
	}
	return row.toDomain(), nil
}

// FindPostsToFetch returns posts still to fetch, due at now.
func (s *Store) FindPostsToFetch(ctx context.Context, now time.Time, limit int) ([]inbox.PostFetch, error) {
	var rows []postRow
	err := s.conn(ctx).Where("fetched_at IS NULL AND next_fetch_at IS NOT NULL AND next_fetch_at <= ?", toDBTime(now)).
		Order("next_fetch_at").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Post")
	}
	out := make([]inbox.PostFetch, len(rows))
	for i, r := range rows {
		out[i] = inbox.PostFetch{Platform: inbox.Platform(r.Platform), ExternalID: r.ExternalID,
			AccountExternalID: r.AccountExternalID, Attempts: r.FetchAttempts}
	}
	return out, nil
}

// PostFetchFailed counts a failed fetch. After MaxPostFetchAttempts, or
// at once for a zero next, the post is given up (next_fetch_at NULL), so it
// is not tried again.
func (s *Store) PostFetchFailed(ctx context.Context, platform inbox.Platform, id, reason string, next time.Time) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&postRow{}).Where("platform = ? AND external_id = ? AND fetched_at IS NULL", string(platform), id)
		err := q.Updates(map[string]any{"fetch_attempts": gorm.Expr("fetch_attempts + 1"), "fetch_error": reason,
			"next_fetch_at": toDBTime(next)}).Error
		if err != nil {
			return translate(err, "Post")
		}
		err = tx.Model(&postRow{}).Where("platform = ? AND external_id = ? AND fetched_at IS NULL AND fetch_attempts >= ?",
			string(platform), id, inbox.MaxPostFetchAttempts).Update("next_fetch_at", nil).Error
		return translate(err, "Post")
	})
}

// applyPost stores the text of a post the account published, from its
// webhook. It is the post's content as of the event, so applying it again
// is harmless.
func (s *Store) applyPost(ctx context.Context, e *inbox.Event) (inbox.Applied, error) {
	// The content is from the event's time: the post's for its `add`,
	// the edit's for `edited`, which makes the earlier of two deliveries
	// the post's time and the later one its text.
	at := s.db.Now()
	if !e.OccurredAt.IsZero() {
		at = e.OccurredAt
	}
	p := &inbox.Post{Platform: e.Platform, ExternalID: e.PostExternalID, AccountExternalID: e.AccountExternalID,
		Text: e.Text, MediaType: e.PostType, FetchedAt: &at}
	if !e.OccurredAt.IsZero() {
		p.PostedAt = &e.OccurredAt
	}
	before, err := s.FindPost(ctx, e.Platform, e.PostExternalID)
	if err != nil && inbox.ErrorCode(err) != inbox.ENOTFOUND {
		return inbox.Applied{}, err
	}
	if err := s.SavePost(ctx, p); err != nil {
		return inbox.Applied{}, err
	}
	after, err := s.FindPost(ctx, e.Platform, e.PostExternalID)
	if err != nil {
		return inbox.Applied{}, err
	}
	// Created says whether the event changed what is stored, so a
	// redelivery counts as a duplicate, not as news.
	return inbox.Applied{Created: before == nil || !samePost(before, after)}, nil
}

// samePost reports whether a and b hold the same content.
func samePost(a, b *inbox.Post) bool {
	return a.Text == b.Text && a.Permalink == b.Permalink && a.MediaType == b.MediaType && a.Fetched == b.Fetched &&
		equalTimes(a.PostedAt, b.PostedAt) && equalTimes(a.FetchedAt, b.FetchedAt)
}

func equalTimes(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}
