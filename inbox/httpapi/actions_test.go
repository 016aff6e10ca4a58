package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// staff is a fixture with one user of each role and their tokens.
type staff struct {
	*fixture
	router                          *inbox.User // routes the conversations
	agent, spec, sup, admin, agent2 *inbox.User
	tokens                          map[int64]string
	seq                             int
}

func newStaff(t *testing.T) *staff {
	t.Helper()
	s := &staff{fixture: newFixture(t), tokens: map[int64]string{}}
	s.router = s.user(t, "rut", inbox.RoleAgent, "")
	s.agent = s.user(t, "agnes", inbox.RoleAgent, "")
	s.agent2 = s.user(t, "bo", inbox.RoleAgent, "")
	s.spec = s.user(t, "sara", inbox.RoleSpecialist, "idrott-och-forening")
	s.sup = s.user(t, "sune", inbox.RoleSupervisor, "")
	s.admin = s.user(t, "ada", inbox.RoleAdmin, "")
	return s
}

func (s *staff) user(t *testing.T, name string, role inbox.Role, admin string) *inbox.User {
	t.Helper()
	u := &inbox.User{Name: name, Role: role, AdministrationID: admin}
	if err := s.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	s.tokens[u.ID] = s.newToken(t, u)
	return u
}

// conversation stores a new conversation, routed by rut to the
// administration when one is given.
func (s *staff) conversation(t *testing.T, administration string) int64 {
	t.Helper()
	s.seq++
	psid := fmt.Sprintf("psid-work-%d", s.seq)
	a, err := s.store.ApplyEvent(context.Background(), inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: "mid-" + psid,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
		Text: "Hur bokar jag en tvättid?", OccurredAt: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if administration != "" {
		svc := inbox.NewService(s.store, nil)
		if _, err := svc.Route(context.Background(), s.router, a.ConversationID, administration, "Kan ni svara?"); err != nil {
			t.Fatal(err)
		}
	}
	return a.ConversationID
}

// post sends body (none when empty) as u and decodes the answer into v.
func (s *staff) post(t *testing.T, path string, u *inbox.User, body string, v any) *http.Response {
	t.Helper()
	return s.do(t, http.MethodPost, path, u, body, v)
}

func (s *staff) audit(t *testing.T, id int64) []*inbox.AuditEntry {
	t.Helper()
	entries, err := s.store.FindAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// endpoint is one action of the access-control matrix.
type endpoint struct {
	name, path, body string
	// action is the audit action an allowed call records.
	action string
	ok     int
	// schema is the OpenAPI schema of the answer.
	schema string
	// prepare runs as the actor before the call.
	prepare func(s *staff, u *inbox.User, id int64)
}

func endpoints(s *staff) []endpoint {
	until := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	claimFirst := func(s *staff, u *inbox.User, id int64) {
		// Holding it makes unassign change something; a user who may
		// not see the conversation cannot claim it either.
		_, _ = inbox.NewService(s.store, nil).Claim(context.Background(), u, id, false)
	}
	return []endpoint{
		{name: "claim", path: "claim", body: `{}`, action: inbox.ActionClaim, ok: 200, schema: "Conversation"},
		{name: "assign", path: "assign", body: fmt.Sprintf(`{"assignee_id":%d}`, s.router.ID), action: inbox.ActionAssign, ok: 200, schema: "Conversation"},
		{name: "unassign", path: "unassign", action: inbox.ActionUnassign, ok: 200, schema: "Conversation", prepare: claimFirst},
		{name: "route", path: "route", body: `{"administration_id":"kultur","question":"Gäller det er?"}`, action: inbox.ActionRoute, ok: 200, schema: "Conversation"},
		{name: "accept", path: "accept", action: inbox.ActionAccept, ok: 200, schema: "Conversation"},
		{name: "answer", path: "answer", body: `{"text":"Tvättider bokas hos värden."}`, action: inbox.ActionAnswer, ok: 200, schema: "Conversation"},
		{name: "return", path: "return", body: `{"text":"Inte vårt område."}`, action: inbox.ActionReturn, ok: 200, schema: "Conversation"},
		{name: "notes", path: "notes", body: `{"text":"@rut titta här"}`, action: inbox.ActionNote, ok: 201, schema: "Note"},
		{name: "tags", path: "tags", body: `{"add":["tvätt"]}`, action: inbox.ActionTags, ok: 200, schema: "Conversation"},
		{name: "status", path: "status", body: `{"status":"pending"}`, action: inbox.ActionStatus, ok: 200, schema: "Conversation"},
		{name: "snooze", path: "snooze", body: `{"until":"` + until + `"}`, action: inbox.ActionSnooze, ok: 200, schema: "Conversation"},
	}
}

// TestAccessMatrix calls every action endpoint as every role on a
// conversation routed to the user's own administration and to a foreign
// one, and checks allow or deny, and that only an allowed call is audited.
func TestAccessMatrix(t *testing.T) {
	s := newStaff(t)
	const own, foreign = "idrott-och-forening", "kretslopp-och-vatten"
	department := map[string]bool{"accept": true, "answer": true, "return": true}
	allowed := func(u *inbox.User, e endpoint, admin string) bool {
		switch u.Role {
		case inbox.RoleSupervisor, inbox.RoleAdmin:
			return true
		case inbox.RoleSpecialist:
			return admin == own && e.name != "assign" && e.name != "route"
		}
		return !department[e.name] && e.name != "assign"
	}
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, s.admin} {
		for _, admin := range []string{own, foreign} {
			side := map[string]string{own: "Own", foreign: "Foreign"}[admin]
			for _, e := range endpoints(s) {
				allow := allowed(u, e, admin)
				name := fmt.Sprintf("%s/%s/%s/Err403", u.Role, side, e.name)
				if allow {
					name = fmt.Sprintf("%s/%s/%s/OK", u.Role, side, e.name)
				}
				t.Run(name, func(t *testing.T) {
					id := s.conversation(t, admin)
					if e.prepare != nil {
						e.prepare(s, u, id)
					}
					before := len(s.audit(t, id))
					var body map[string]any
					resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/%s", id, e.path), u, e.body, &body)
					wantDocumented(t, "/conversations/{id}/"+e.path, resp.StatusCode)
					entries := s.audit(t, id)
					if !allow {
						if resp.StatusCode != http.StatusForbidden {
							t.Fatalf("got status %d %v, want 403", resp.StatusCode, body)
						}
						if len(entries) != before {
							t.Errorf("got %d audit entries, want %d: a denied call records nothing", len(entries), before)
						}
						wantRequired(t, "Error", body)
						return
					}
					if resp.StatusCode != e.ok {
						t.Fatalf("got status %d %v, want %d", resp.StatusCode, body, e.ok)
					}
					wantRequired(t, e.schema, body)
					if len(entries) != before+1 {
						t.Fatalf("got %d audit entries, want %d", len(entries), before+1)
					}
					if last := entries[len(entries)-1]; last.Action != e.action || last.ActorID != u.ID {
						t.Errorf("got audit %s by %d, want %s by %d", last.Action, last.ActorID, e.action, u.ID)
					}
				})
			}
			t.Run(fmt.Sprintf("%s/%s/detail", u.Role, side), func(t *testing.T) {
				id := s.conversation(t, admin)
				resp := s.get(t, fmt.Sprintf("/api/v1/conversations/%d", id), "Bearer "+s.tokens[u.ID], nil)
				want := http.StatusOK
				if u.Role == inbox.RoleSpecialist && admin == foreign {
					want = http.StatusForbidden
				}
				if resp.StatusCode != want {
					t.Errorf("got status %d, want %d", resp.StatusCode, want)
				}
			})
		}
	}
	t.Run("anonymous/ErrUnauthorized", func(t *testing.T) {
		id := s.conversation(t, own)
		for _, e := range endpoints(s) {
			if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/%s", id, e.path), nil, e.body, nil); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s: got status %d, want 401", e.name, resp.StatusCode)
			}
		}
	})
}

// TestCollision has two agents claim one conversation at once: one wins,
// the other gets 409 naming the winner until taking it over explicitly.
func TestCollision(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	path := fmt.Sprintf("/api/v1/conversations/%d/", id)
	agents := []*inbox.User{s.agent, s.agent2}
	codes := make([]int, 2)
	bodies := make([]httpapi.ErrorResponse, 2)
	var wg sync.WaitGroup
	for i, a := range agents {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, s.srv.URL+path+"claim", nil)
			req.Header.Set("Authorization", "Bearer "+s.tokens[a.ID])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			codes[i] = resp.StatusCode
			_ = json.NewDecoder(resp.Body).Decode(&bodies[i])
		})
	}
	wg.Wait()
	winner, loser := 0, 1
	if codes[0] != http.StatusOK {
		winner, loser = 1, 0
	}
	if codes[winner] != http.StatusOK || codes[loser] != http.StatusConflict {
		t.Fatalf("got statuses %v, want one 200 and one 409", codes)
	}
	wantHeld(t, bodies[loser], agents[winner])

	t.Run("ErrConflict", func(t *testing.T) {
		for _, e := range []struct{ path, body string }{{"tags", `{"add":["x"]}`}, {"status", `{"status":"resolved"}`}, {"unassign", ""}, {"route", `{"administration_id":"kultur","question":"?"}`}} {
			var body httpapi.ErrorResponse
			resp := s.post(t, path+e.path, agents[loser], e.body, &body)
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("%s: got status %d, want 409", e.path, resp.StatusCode)
			}
			wantHeld(t, body, agents[winner])
		}
	})
	t.Run("OKNote", func(t *testing.T) {
		if resp := s.post(t, path+"notes", agents[loser], `{"text":"Jag tittar också."}`, nil); resp.StatusCode != http.StatusCreated {
			t.Errorf("got status %d, want 201: notes are for everyone", resp.StatusCode)
		}
	})
	t.Run("OKTakeover", func(t *testing.T) {
		var c inbox.Conversation
		resp := s.post(t, path+"claim", agents[loser], `{"takeover":true}`, &c)
		if resp.StatusCode != http.StatusOK || c.AssigneeID != agents[loser].ID {
			t.Fatalf("got status %d assignee %d, want 200 %d", resp.StatusCode, c.AssigneeID, agents[loser].ID)
		}
		var d httpapi.ConversationDetail
		s.get(t, fmt.Sprintf("/api/v1/conversations/%d", id), "Bearer "+s.tokens[s.sup.ID], &d)
		var actions []string
		for _, e := range d.History {
			actions = append(actions, e.Action)
		}
		if got, want := strings.Join(actions, ","), "claim,note,takeover"; got != want {
			t.Errorf("got history %s, want %s", got, want)
		}
	})
}

func wantHeld(t *testing.T, body httpapi.ErrorResponse, holder *inbox.User) {
	t.Helper()
	if body.Error.Code != inbox.ECONFLICT || body.Error.HeldBy == nil || body.Error.HeldBy.UserID != holder.ID ||
		body.Error.HeldBy.Name != holder.Name || !strings.Contains(body.Error.Message, holder.Name) {
		t.Errorf("got error %+v held by %+v, want conflict held by %d %s", body.Error, body.Error.HeldBy, holder.ID, holder.Name)
	}
}

func TestConversationDetailWork(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "idrott-och-forening")
	path := fmt.Sprintf("/api/v1/conversations/%d", id)
	if resp := s.post(t, path+"/answer", s.spec, `{"text":"Hallen är bokad till 1 juni."}`, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("answer: got status %d, want 200", resp.StatusCode)
	}
	if resp := s.post(t, path+"/notes", s.router, `{"text":"Tack @sara!"}`, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("note: got status %d, want 201", resp.StatusCode)
	}
	var d httpapi.ConversationDetail
	resp := s.get(t, path, "Bearer "+s.tokens[s.router.ID], &d)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want 200", resp.StatusCode)
	}
	if d.Conversation.Status != inbox.StatusOpen || d.Conversation.AssigneeID != s.router.ID {
		t.Errorf("got status %s assignee %d, want open with rut", d.Conversation.Status, d.Conversation.AssigneeID)
	}
	var kinds []string
	for _, n := range d.Notes {
		kinds = append(kinds, string(n.Kind))
	}
	if got, want := strings.Join(kinds, ","), "question,answer,note"; got != want {
		t.Errorf("got notes %s, want %s", got, want)
	}
	if last := d.Notes[len(d.Notes)-1]; len(last.Mentions) != 1 || last.Mentions[0].UserID != s.spec.ID {
		t.Errorf("got mentions %+v, want sara", last.Mentions)
	}
	if len(d.History) != 3 || d.History[0].Action != inbox.ActionRoute || d.History[1].Action != inbox.ActionAnswer {
		t.Errorf("got history %+v, want route, answer, note", d.History)
	}
	var detail inbox.AuditDetail
	if err := json.Unmarshal([]byte(d.History[1].Detail), &detail); err != nil || detail.Before.Status != inbox.StatusRouted || detail.After.Status != inbox.StatusOpen {
		t.Errorf("got answer detail %+v (%v), want routed before, open after", detail, err)
	}
}

func TestActionErrors(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	for name, tc := range map[string]struct {
		path, body string
		status     int
	}{
		"ErrInvalid/BadID":        {"/api/v1/conversations/x/claim", `{}`, 400},
		"ErrInvalid/NotJSON":      {fmt.Sprintf("/api/v1/conversations/%d/tags", id), `tags`, 400},
		"ErrInvalid/UnknownField": {fmt.Sprintf("/api/v1/conversations/%d/claim", id), `{"take_over":true}`, 400},
		"ErrInvalid/NoBody":       {fmt.Sprintf("/api/v1/conversations/%d/status", id), ``, 400},
		"ErrInvalid/Status":       {fmt.Sprintf("/api/v1/conversations/%d/status", id), `{"status":"routed"}`, 400},
		"ErrInvalid/Snooze":       {fmt.Sprintf("/api/v1/conversations/%d/snooze", id), `{"until":"2001-01-01T00:00:00Z"}`, 400},
		"ErrInvalid/Mention":      {fmt.Sprintf("/api/v1/conversations/%d/notes", id), `{"text":"@ingen"}`, 400},
		"ErrNotFound":             {"/api/v1/conversations/4711/claim", `{}`, 404},
		"OK/Reopen":               {fmt.Sprintf("/api/v1/conversations/%d/status", id), `{"status":"reopen"}`, 200},
		"ErrConflict/NotRouted":   {fmt.Sprintf("/api/v1/conversations/%d/accept", id), ``, 409},
	} {
		t.Run(name, func(t *testing.T) {
			var body httpapi.ErrorResponse
			resp := s.post(t, tc.path, s.sup, tc.body, &body)
			if resp.StatusCode != tc.status || (tc.status != 200 && body.Error.Message == "") {
				t.Errorf("got status %d %+v, want %d with a message", resp.StatusCode, body.Error, tc.status)
			}
			if body.Error.HeldBy != nil {
				t.Errorf("got held_by %+v, want none", body.Error.HeldBy)
			}
		})
	}
}
