package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// routeTo routes conversation id to admin as router.
func (s *site) routeTo(t *testing.T, router *inbox.User, id int64, admin string) {
	t.Helper()
	if _, err := inbox.NewService(s.store, nil).Route(t.Context(), router, id, admin, "Kan ni svara?"); err != nil {
		t.Fatal(err)
	}
}

func TestBulk(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	rut := s.addUser(t, "rut", inbox.RoleAgent, "")
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	anna := s.signedIn(t, "anna")
	svc := inbox.NewService(s.store, nil)
	recent := time.Now().Add(-time.Hour)

	t.Run("OKResolveSelected", func(t *testing.T) {
		a, b, held := s.message(t, "psid_b1", recent), s.message(t, "psid_b2", recent), s.message(t, "psid_b3", recent)
		if _, err := svc.Claim(ctx, rut, held, false); err != nil {
			t.Fatal(err)
		}
		body := s.postForm(t, anna, "/bulk", url.Values{"queue": {""}, "action": {"resolve"}, "scope": {"selected"},
			"id": {fmt.Sprint(a), fmt.Sprint(b), fmt.Sprint(held)}})
		if !strings.Contains(body, "2 av 3 ärenden klara") || !strings.Contains(body, "1 misslyckades") {
			t.Error("the page does not say 2 of 3 were done and 1 failed")
		}
		if !strings.Contains(body, fmt.Sprintf(`href="/conversations/%d"`, held)) || !strings.Contains(body, "rut arbetar med ärendet") {
			t.Error("the failure does not name the conversation and why (rut holds it) in Swedish")
		}
		for id, want := range map[int64]inbox.Status{a: inbox.StatusResolved, b: inbox.StatusResolved, held: inbox.StatusOpen} {
			if got := s.conv(t, id).Status; got != want {
				t.Errorf("conversation %d: got %s, want %s", id, got, want)
			}
		}
		if got := s.audited(t, a); !slices.Contains(got, inbox.ActionStatus) {
			t.Errorf("got audit %v, want a status entry", got)
		}
		// The outcome is shown once.
		if _, again, _ := get(t, anna, s.url+"/?queue="); strings.Contains(again, "ärenden klara") {
			t.Error("the bulk outcome is shown again on the next page")
		}
	})
	t.Run("OKTagByFilter", func(t *testing.T) {
		crisis := []int64{s.message(t, "psid_k1", recent), s.message(t, "psid_k2", recent)}
		other := s.message(t, "psid_k3", recent)
		for _, id := range crisis {
			if _, err := svc.Tag(ctx, rut, id, []string{"kris:storm"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		body := s.postForm(t, anna, "/bulk", url.Values{"queue": {""}, "tag": {"kris:storm"}, "action": {"tag"},
			"scope": {"filter"}, "tags": {"kris-besvarad"}})
		if !strings.Contains(body, "2 av 2 ärenden klara") {
			t.Error("the page does not say 2 of 2 were done")
		}
		for _, id := range crisis {
			if got := s.conv(t, id).Tags; !slices.Contains(got, "kris-besvarad") {
				t.Errorf("conversation %d: got tags %v, want kris-besvarad", id, got)
			}
		}
		if got := s.conv(t, other).Tags; slices.Contains(got, "kris-besvarad") {
			t.Error("a conversation outside the filter was tagged")
		}
	})
	t.Run("OKAssignAndReply", func(t *testing.T) {
		open := s.message(t, "psid_r1", recent)
		closed := s.message(t, "psid_r2", time.Now().Add(-72*time.Hour)) // the 24-hour window is over
		ids := []string{fmt.Sprint(open), fmt.Sprint(closed)}
		body := s.postForm(t, anna, "/bulk", url.Values{"queue": {""}, "action": {"assign"}, "user": {"anna"}, "id": ids})
		if !strings.Contains(body, "2 av 2 ärenden klara") {
			t.Error("assigning to oneself: the page does not say 2 of 2 were done")
		}
		body = s.postForm(t, anna, "/bulk", url.Values{"queue": {""}, "action": {"reply"}, "kind": {"direct"},
			"text": {"Valhallabadet öppnar igen den 1 mars."}, "id": ids})
		if !strings.Contains(body, "1 av 2 ärenden klara") {
			t.Error("the page does not say 1 of 2 replies was queued")
		}
		msgs, err := s.store.FindMessages(ctx, open)
		if err != nil || msgs[len(msgs)-1].Direction != inbox.DirectionOutbound {
			t.Errorf("no queued reply in the open conversation: %v", err)
		}
		if msgs, _ := s.store.FindMessages(ctx, closed); msgs[len(msgs)-1].Direction != inbox.DirectionInbound {
			t.Error("a reply was queued outside the messaging window")
		}
	})
	t.Run("ErrNothingSelected", func(t *testing.T) {
		_, _, token := get(t, anna, s.url+"/")
		code, body := post(t, anna, s.url+"/bulk", url.Values{"csrf": {token}, "queue": {""}, "action": {"resolve"}, "scope": {"selected"}})
		if code != http.StatusUnprocessableEntity {
			t.Errorf("got %d, want 422 with the form shown again", code)
		}
		if !strings.Contains(body, "flash-error") || !strings.Contains(body, "Markera ärendena att arbeta med") || strings.Contains(body, "Tick the conversations") {
			t.Error("posting nothing ticked does not say what to do")
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		id := s.message(t, "psid_c1", recent)
		code, _ := post(t, anna, s.url+"/bulk", url.Values{"action": {"resolve"}, "id": {fmt.Sprint(id)}})
		if code != http.StatusForbidden {
			t.Errorf("got %d, want 403", code)
		}
		if got := s.conv(t, id).Status; got != inbox.StatusNew {
			t.Errorf("got %s, want new", got)
		}
	})
	t.Run("ErrSpecialistForeignAdministration", func(t *testing.T) {
		router, err := s.store.FindUserByName(ctx, "anna")
		if err != nil {
			t.Fatal(err)
		}
		own, foreign := s.message(t, "psid_s1", recent), s.message(t, "psid_s2", recent)
		s.routeTo(t, router, own, "stadsmiljoforvaltningen")
		s.routeTo(t, router, foreign, "kulturforvaltningen")
		sara := s.signedIn(t, "sara")
		body := s.postForm(t, sara, "/bulk", url.Values{"queue": {""}, "action": {"tag"}, "tags": {"granskad"},
			"id": {fmt.Sprint(own), fmt.Sprint(foreign)}})
		if !strings.Contains(body, "1 av 2 ärenden klara") {
			t.Error("the page does not say 1 of 2 was done")
		}
		if !slices.Contains(s.conv(t, own).Tags, "granskad") || slices.Contains(s.conv(t, foreign).Tags, "granskad") {
			t.Error("the specialist's bulk tagging reached outside her administration, or not her own")
		}
		// By filter she selects only what she may see.
		s.postForm(t, sara, "/bulk", url.Values{"queue": {""}, "action": {"tag"}, "tags": {"filtrerad"}, "scope": {"filter"}})
		if !slices.Contains(s.conv(t, own).Tags, "filtrerad") || slices.Contains(s.conv(t, foreign).Tags, "filtrerad") {
			t.Error("the specialist's bulk filter reached outside her administration, or not her own")
		}
		if got := s.audited(t, foreign); slices.Contains(got, inbox.ActionTags) {
			t.Errorf("got audit %v on the foreign conversation, want no tags entry", got)
		}
	})
}
