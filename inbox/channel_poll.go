package inbox

import (
	"context"
	"time"
)

// PollPart is one part of the reconciliation poll of an account.
type PollPart string

// The parts of the reconciliation poll.
const (
	// PollComments reads the latest posts' comments.
	PollComments PollPart = "comments"
	// PollMessages reads the latest private conversations (Messenger or
	// Instagram Direct).
	PollMessages PollPart = "messages"
)

// Valid reports whether p is a known part.
func (p PollPart) Valid() bool { return p == PollComments || p == PollMessages }

// ChannelPollStore keeps what the reconciliation poll learns of each
// account: the linked Page of an Instagram account and each poll part's
// health.
type ChannelPollStore interface {
	// SetAccountPageID stores the Facebook Page an Instagram account is
	// linked to ("" forgets it). A Facebook account is EINVALID, an
	// unknown one ENOTFOUND.
	SetAccountPageID(ctx context.Context, accountID int64, pageID string) error
	// RecordPollPart records the outcome of one part of the account's
	// poll: failure "" means the part succeeded at at (its time moves
	// forward, as does LastPollAt) and clears the last failure; otherwise
	// failure says why it failed and the times stay.
	RecordPollPart(ctx context.Context, accountID int64, part PollPart, at time.Time, failure string) error
}

// PollFailures returns the failing parts of a's poll and why, empty when
// every part worked the last time it ran.
func (a *Account) PollFailures() map[PollPart]string {
	out := map[PollPart]string{}
	if a.CommentsPollError != "" {
		out[PollComments] = a.CommentsPollError
	}
	if a.MessagesPollError != "" {
		out[PollMessages] = a.MessagesPollError
	}
	return out
}

// ValidatePageID reports, as EINVALID, why pageID cannot be the linked
// Page of an account on platform: only Instagram accounts have one, and a
// Graph object id has letters, digits, _ - and . only. "" is valid.
func ValidatePageID(platform Platform, pageID string) error {
	if pageID == "" {
		return nil
	}
	if platform != PlatformInstagram {
		return ruleError(EINVALID, "Bara Instagramkonton har en kopplad Facebooksida (page_id).",
			"Only Instagram accounts have a linked Facebook Page (page_id).")
	}
	if !graphIDChars(pageID) {
		return ruleError(EINVALID, "Sidans id %q får bara innehålla bokstäver, siffror, _ - och .",
			"The Page id %q may only hold letters, digits, _ - and .", pageID)
	}
	return nil
}
