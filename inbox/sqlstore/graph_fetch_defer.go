package sqlstore

import (
	"context"
	"time"

	"inkorg/inbox"
)

// DeferPostFetch puts the next fetch of a post still to fetch off until
// next without counting a try, for a call that failed through no fault of
// the post (Meta throttled, or rejected the account's token). A post
// fetched or given up meanwhile is left as it is.
func (s *Store) DeferPostFetch(ctx context.Context, platform inbox.Platform, id string, next time.Time) error {
	if next.IsZero() {
		// A post without a next fetch time is one given up.
		return inbox.Errorf(inbox.EINVALID, "A deferred post fetch needs a time.")
	}
	err := s.conn(ctx).Model(&postRow{}).
		Where("platform = ? AND external_id = ? AND fetched_at IS NULL AND next_fetch_at IS NOT NULL", string(platform), id).
		Update("next_fetch_at", toDBTime(next)).Error
	return translate(err, "Post")
}

// DeferProfileFetch puts the next fetch of a contact's public name off
// until next without counting a try, as DeferPostFetch does for a post. A
// contact whose fetch ended meanwhile is left as it is.
func (s *Store) DeferProfileFetch(ctx context.Context, contactID int64, next time.Time) error {
	if next.IsZero() {
		return inbox.Errorf(inbox.EINVALID, "A deferred profile fetch needs a time.")
	}
	err := s.conn(ctx).Model(&contactRow{}).Where("id = ? AND profile_done_at IS NULL", contactID).
		Update("profile_next_try_at", toDBTime(next)).Error
	return translate(err, "Contact")
}
