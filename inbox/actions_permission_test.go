package inbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/livebus"
)

// TestActionPermissionBeforeInput: every action tells a user who may not
// see the conversation so (403), and names a conversation or message that
// does not exist (404), before it looks at what it was given: the web UI
// calls the service directly, and must not learn what is wrong with input
// that could not be acted on anyway. A role that may not do the action is
// told so (403) before its input is checked too. Nothing is recorded.
func TestActionPermissionBeforeInput(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	id := w.conversation(t)
	routed := w.routed(t)
	msgs, err := w.store.FindMessages(ctx, id)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("messages: %d, %v", len(msgs), err)
	}
	msg := msgs[0].ID
	past := now.Add(-time.Hour)
	long := strings.Repeat("a", inbox.MaxNoteLength+1)
	mod := &inbox.Moderation{Store: w.store, Service: w.svc}
	presence := &inbox.PresenceService{Store: w.store, Presence: livebus.NewMemoryPresence(), Now: func() time.Time { return now }}
	type call func(ctx context.Context, u *inbox.User, conv, msg int64) error
	for _, tc := range []struct {
		name string
		do   call
	}{
		{"NoteEmpty", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.AddNote(ctx, u, conv, "  ")
			return err
		}},
		{"NoteUnknownMention", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.AddNote(ctx, u, conv, "Fråga @ingen-alls")
			return err
		}},
		{"TagsNone", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.Tag(ctx, u, conv, nil, nil)
			return err
		}},
		{"TagEmpty", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.Tag(ctx, u, conv, []string{" "}, nil)
			return err
		}},
		{"StatusUnknown", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.SetStatus(ctx, u, conv, "closed")
			return err
		}},
		{"SnoozePast", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.Snooze(ctx, u, conv, &past)
			return err
		}},
		{"AssignNoOne", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := w.svc.Assign(ctx, u, conv, 0)
			return err
		}},
		{"PresenceUnknown", func(ctx context.Context, u *inbox.User, conv, _ int64) error {
			_, err := presence.Announce(ctx, u, conv, "sleeping")
			return err
		}},
		{"HideReasonTooLong", func(ctx context.Context, u *inbox.User, _, msg int64) error {
			_, err := w.svc.ModerateComment(ctx, u, msg, inbox.CommentHide, long)
			return err
		}},
		{"DecideUnknown", func(ctx context.Context, u *inbox.User, _, msg int64) error {
			_, err := mod.Decide(ctx, u, msg, "burn", inbox.ModerationSpam, "skräp")
			return err
		}},
		{"DecideNoReason", func(ctx context.Context, u *inbox.User, _, msg int64) error {
			_, err := mod.Decide(ctx, u, msg, inbox.DecisionKeep, inbox.ModerationSpam, "")
			return err
		}},
	} {
		t.Run(tc.name+"/Err403", func(t *testing.T) {
			wantCode(t, tc.do(ctx, w.foreign, id, msg), inbox.EFORBIDDEN)
		})
		t.Run(tc.name+"/Err404", func(t *testing.T) {
			wantCode(t, tc.do(ctx, w.agent, id+1000, msg+1000), inbox.ENOTFOUND)
		})
		t.Run(tc.name+"/Err400", func(t *testing.T) {
			// One who may act is told what is wrong.
			wantCode(t, tc.do(ctx, w.sup, id, msg), inbox.EINVALID)
		})
	}
	for _, tc := range []struct {
		name string
		user *inbox.User
		do   func(u *inbox.User) error
	}{
		{"SpecialistRoutesNowhere", w.spec, func(u *inbox.User) error {
			_, err := w.svc.Route(ctx, u, routed, "", "")
			return err
		}},
		{"AgentAnswersEmpty", w.agent, func(u *inbox.User) error {
			_, err := w.svc.AnswerBack(ctx, u, routed, "")
			return err
		}},
		{"AgentReturnsEmpty", w.agent, func(u *inbox.User) error {
			_, err := w.svc.Return(ctx, u, routed, " ")
			return err
		}},
		{"AgentAssignsNoOne", w.agent, func(u *inbox.User) error {
			_, err := w.svc.Assign(ctx, u, routed, 0)
			return err
		}},
	} {
		t.Run(tc.name+"/Err403", func(t *testing.T) {
			wantCode(t, tc.do(tc.user), inbox.EFORBIDDEN)
		})
	}
	w.wantAuditCount(t, id, 0)
	w.wantAuditCount(t, routed, 1)
}
