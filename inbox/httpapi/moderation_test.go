package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/moderation"
)

// flagged stores a hateful comment routed to admin and runs the
// moderation hook on it, as ingestion does.
func (s *staff) flagged(t *testing.T, admin string) (conv, msg int64) {
	t.Helper()
	ctx := context.Background()
	s.seq++
	id := fmt.Sprintf("post-1_mod%d", s.seq)
	e := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: id, PostExternalID: "post-1", MessageExternalID: id,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "c" + id}, Author: inbox.Actor{ExternalID: "c" + id},
		Text: "Skicka hem alla svartskallar", OccurredAt: time.Now().Add(-time.Hour).UTC(),
	}
	a, err := s.store.ApplyEvent(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := moderation.Hook(moderation.Default(), s.store, nil)(ctx, e, a); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.NewService(s.store, nil).Route(ctx, s.router, a.ConversationID, admin, "Moderera?"); err != nil {
		t.Fatal(err)
	}
	return a.ConversationID, a.MessageID
}

type queueBody struct {
	Flags []inbox.ModerationFlag `json:"flags"`
}

func (s *staff) queue(t *testing.T, u *inbox.User, query string) []inbox.ModerationFlag {
	t.Helper()
	var body queueBody
	if resp := s.get(t, "/api/v1/moderation"+query, "Bearer "+s.tokens[u.ID], &body); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/moderation%s as %s: status %d", query, u.Name, resp.StatusCode)
	}
	return body.Flags
}

func TestModerationFlow(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	conv, msg := s.flagged(t, "kretslopp-och-vatten")
	q := s.queue(t, s.agent, "")
	if len(q) != 1 || q[0].MessageID != msg || q[0].Categories[0] != inbox.ModerationHate || q[0].Message == nil {
		t.Fatalf("got queue %+v, want the hateful comment flagged as hate", q)
	}
	if q := s.queue(t, s.spec, ""); len(q) != 0 {
		t.Errorf("specialist of another administration: got %d flags, want none", len(q))
	}
	path := fmt.Sprintf("/api/v1/moderation/%d", msg)
	hide := `{"decision":"hide","category":"hate","reason":"Hets mot folkgrupp; BBS-lagen"}`
	for _, c := range []struct {
		name string
		u    *inbox.User
		body string
		want int
	}{
		{"ErrForeignSpecialist", s.spec, hide, http.StatusForbidden},
		{"ErrNoReason", s.agent, `{"decision":"hide","category":"hate","reason":" "}`, http.StatusBadRequest},
		{"ErrCategory", s.agent, `{"decision":"hide","category":"rude","reason":"x"}`, http.StatusBadRequest},
		{"OKHide", s.agent, hide, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			var body map[string]any
			resp := s.post(t, path, c.u, c.body, &body)
			wantDocumented(t, "/moderation/{id}", resp.StatusCode)
			if resp.StatusCode != c.want {
				t.Fatalf("got status %d %v, want %d", resp.StatusCode, body, c.want)
			}
		})
	}
	actions, err := s.store.FindOutboundActions(ctx, conv)
	if err != nil || len(actions) != 1 || actions[0].Kind != inbox.OutboundHideComment || actions[0].Reason == "" {
		t.Fatalf("got outbound actions %+v, %v, want one hide queued with its reason", actions, err)
	}
	if q := s.queue(t, s.agent, ""); len(q) != 0 {
		t.Errorf("after hiding: got %d open flags, want none", len(q))
	}
	if q := s.queue(t, s.sup, "?state=hidden"); len(q) != 1 || q[0].DecidedBy != s.agent.ID {
		t.Errorf("got hidden %+v, want the comment decided by agnes", q)
	}
	// The platform confirms the hide; then it can be restored.
	_, err = s.store.ApplyEvent(ctx, inbox.Event{Kind: inbox.EventMessageHidden, Platform: inbox.PlatformFacebook,
		Channel: inbox.ChannelFacebookComment, AccountExternalID: "page-1", MessageExternalID: q[0].Message.ExternalID,
		Author: inbox.Actor{ExternalID: "page-1"}, OccurredAt: time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	restore := `{"decision":"restore","category":"hate","reason":"Omprövat: kritik av politiken, inte hets"}`
	if resp := s.post(t, path, s.sup, restore, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("restore: got status %d, want 200", resp.StatusCode)
	}
	if q := s.queue(t, s.agent, "?state=kept"); len(q) != 1 {
		t.Errorf("after restoring: got %d kept, want 1", len(q))
	}
	checkModerationReport(t, s)
}

func checkModerationReport(t *testing.T, s *staff) {
	t.Helper()
	var rep struct {
		Rows []inbox.ModerationReportRow `json:"rows"`
	}
	if resp := s.get(t, "/api/v1/moderation/report?by=month", "Bearer "+s.tokens[s.sup.ID], &rep); resp.StatusCode != http.StatusOK {
		t.Fatalf("report: status %d", resp.StatusCode)
	}
	month := time.Now().In(time.FixedZone("", 0)).Format("2006-01")
	if len(rep.Rows) != 2 || rep.Rows[0].Decision != inbox.DecisionHide || rep.Rows[1].Decision != inbox.DecisionRestore ||
		rep.Rows[0].Count != 1 || rep.Rows[0].Category != inbox.ModerationHate || rep.Rows[0].Period[:4] != month[:4] {
		t.Errorf("got report %+v, want one hide and one restore of hate this month", rep.Rows)
	}
	// A date is a Stockholm day, both ends included, as in the other
	// reports: today alone holds both decisions.
	today := time.Now().In(businesstime.Default().Location()).Format(time.DateOnly)
	var day struct {
		Rows []inbox.ModerationReportRow `json:"rows"`
	}
	if resp := s.get(t, "/api/v1/moderation/report?from="+today+"&to="+today, "Bearer "+s.tokens[s.sup.ID], &day); resp.StatusCode != http.StatusOK {
		t.Fatalf("report of today: status %d", resp.StatusCode)
	}
	if len(day.Rows) != 2 || day.Rows[0].Period != today || day.Rows[1].Period != today {
		t.Errorf("report of today (%s): got %+v, want the hide and the restore on that day", today, day.Rows)
	}
	if resp := s.get(t, "/api/v1/moderation/report", "Bearer "+s.tokens[s.spec.ID], nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("specialist: got status %d, want 403", resp.StatusCode)
	}
}

// TestModerationAlreadyOnPlatform: a decision the platform already
// carries out (the comment hidden in Meta Business Suite, or a hide whose
// call failed so the comment is still visible) is recorded without
// queuing a call.
func TestModerationAlreadyOnPlatform(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	conv, msg := s.flagged(t, "kretslopp-och-vatten")
	m, err := s.store.FindMessageByID(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	// Hidden in Meta Business Suite: the webhook says so.
	if _, err := s.store.ApplyEvent(ctx, inbox.Event{Kind: inbox.EventMessageHidden, Platform: inbox.PlatformFacebook,
		Channel: inbox.ChannelFacebookComment, AccountExternalID: "page-1", MessageExternalID: m.ExternalID,
		Author: inbox.Actor{ExternalID: "page-1"}, OccurredAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/moderation/%d", msg)
	var body map[string]any
	if resp := s.post(t, path, s.agent, `{"decision":"hide","category":"hate","reason":"Hets mot folkgrupp; BBS-lagen"}`, &body); resp.StatusCode != http.StatusOK {
		t.Fatalf("hide of a hidden comment: got status %d %v, want 200", resp.StatusCode, body)
	}
	if q := s.queue(t, s.sup, "?state=hidden"); len(q) != 1 || q[0].DecidedBy != s.agent.ID {
		t.Fatalf("got hidden %+v, want the comment decided by the agent", q)
	}
	if actions, err := s.store.FindOutboundActions(ctx, conv); err != nil || len(actions) != 0 {
		t.Fatalf("got outbound actions %+v, %v, want none for a comment already hidden", actions, err)
	}

	// A second comment's hide is decided but Meta has not done it: it is
	// still visible, and restoring it is recorded, not sent.
	conv2, msg2 := s.flagged(t, "kretslopp-och-vatten")
	path2 := fmt.Sprintf("/api/v1/moderation/%d", msg2)
	if resp := s.post(t, path2, s.agent, `{"decision":"hide","category":"hate","reason":"Hets"}`, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("hide: got status %d, want 200", resp.StatusCode)
	}
	if resp := s.post(t, path2, s.sup, `{"decision":"restore","category":"hate","reason":"Omprövat"}`, &body); resp.StatusCode != http.StatusOK {
		t.Fatalf("restore of a visible comment: got status %d %v, want 200", resp.StatusCode, body)
	}
	if actions, err := s.store.FindOutboundActions(ctx, conv2); err != nil || len(actions) != 1 || actions[0].Kind != inbox.OutboundHideComment {
		t.Fatalf("got outbound actions %+v, %v, want the hide only", actions, err)
	}
	if q := s.queue(t, s.sup, "?state=kept"); len(q) != 1 || q[0].MessageID != msg2 || q[0].DecidedBy != s.sup.ID {
		t.Fatalf("got kept %+v, want the second comment restored by the supervisor", q)
	}
}

// TestModerationRefusesPrivateMessages: a private message is no comment to
// moderate; keeping it, or restoring it, is refused as hiding it is, and
// it never shows in the moderation queue.
func TestModerationRefusesPrivateMessages(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	_, msgs, err := s.store.FindConversationThread(t.Context(), id)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("got %d messages, %v; want the one private message", len(msgs), err)
	}
	for _, decision := range []string{"keep", "restore", "hide"} {
		t.Run(decision+"/ErrInvalid", func(t *testing.T) {
			var out httpapi.ErrorResponse
			body := fmt.Sprintf(`{"decision":%q,"category":"spam","reason":"Reklam"}`, decision)
			resp := s.post(t, fmt.Sprintf("/api/v1/moderation/%d", msgs[0].ID), s.agent, body, &out)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, "private messages") {
				t.Errorf("got %d %+v, want 400 saying private messages are not moderated", resp.StatusCode, out.Error)
			}
		})
	}
	for _, state := range []string{"kept", "hidden", "open"} {
		var queue struct {
			Flags []inbox.ModerationFlag `json:"flags"`
		}
		s.get(t, "/api/v1/moderation?state="+state, "Bearer "+s.tokens[s.agent.ID], &queue)
		if len(queue.Flags) != 0 {
			t.Errorf("state %s: got %d flags, want none: a refused decision records nothing", state, len(queue.Flags))
		}
	}
}
