package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestListLanguageAnyCase: the list's language filter matches a code in
// any case (SV is sv), as the answer bank's does.
func TestListLanguageAnyCase(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	msgs, err := s.store.FindMessages(context.Background(), id)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("messages: %d, %v", len(msgs), err)
	}
	tr := &inbox.Triage{MessageID: msgs[0].ID, Administration: "kultur", Confidence: 0.9, Language: "sv", LanguageConfidence: 0.9, Priority: inbox.PriorityNormal, TriagedAt: time.Now()}
	if err := s.store.SaveTriage(context.Background(), id, tr); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"sv", "SV", " Sv "} {
		var out struct {
			Conversations []inbox.Conversation `json:"conversations"`
		}
		if resp := s.get(t, "/api/v1/conversations?language="+url.QueryEscape(lang), "Bearer "+s.tokens[s.agent.ID], &out); resp.StatusCode != http.StatusOK {
			t.Fatalf("language %q: status %d", lang, resp.StatusCode)
		}
		if len(out.Conversations) != 1 || out.Conversations[0].ID != id {
			t.Errorf("language %q: got %d conversations, want conversation %d", lang, len(out.Conversations), id)
		}
	}
}

// TestAnswerStatsSinceDate: the answer-bank statistics take a plain date
// for since, as the conversation list does, and still refuse what is
// neither a date nor a time.
func TestAnswerStatsSinceDate(t *testing.T) {
	s, _ := newEditorFixture(t)
	if st := s.send(t, http.MethodGet, "/api/v1/answers/stats?since=2026-11-01", s.sup, "", nil); st != http.StatusOK {
		t.Errorf("since a date: got %d, want 200", st)
	}
	if st := s.send(t, http.MethodGet, "/api/v1/answers/stats?since=2026-11-01T00:00:00Z", s.sup, "", nil); st != http.StatusOK {
		t.Errorf("since a time: got %d, want 200", st)
	}
	if st := s.send(t, http.MethodGet, "/api/v1/answers/stats?since=igår", s.sup, "", nil); st != http.StatusBadRequest {
		t.Errorf("since igår: got %d, want 400", st)
	}
}
