package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestInboxAccessMatrix calls the list, queue, presence and bulk endpoints
// as every role on its own and a foreign administration: a specialist is
// kept to their administrations on the server, every other role sees all.
func TestInboxAccessMatrix(t *testing.T) {
	s := newStaff(t)
	const own, foreign = "idrott-och-forening", "kretslopp-och-vatten"
	ids := map[string]int64{own: s.conversation(t, own), foreign: s.conversation(t, foreign)}
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, s.admin} {
		for _, admin := range []string{own, foreign} {
			allow := u.Role != inbox.RoleSpecialist || admin == own
			side := map[string]string{own: "Own", foreign: "Foreign"}[admin]
			want := map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[allow]
			auth := "Bearer " + s.tokens[u.ID]
			t.Run(fmt.Sprintf("%s/%s/list", u.Role, side), func(t *testing.T) {
				var list httpapi.ConversationList
				resp := s.get(t, "/api/v1/conversations?administration="+admin, auth, &list)
				if resp.StatusCode != want {
					t.Fatalf("got status %d, want %d", resp.StatusCode, want)
				}
				for _, c := range list.Conversations {
					if c.AdministrationID != admin {
						t.Errorf("got conversation of %q, want only %q", c.AdministrationID, admin)
					}
				}
				if allow && len(list.Conversations) == 0 {
					t.Error("got no conversations, want the one routed there")
				}
			})
			t.Run(fmt.Sprintf("%s/%s/queues", u.Role, side), func(t *testing.T) {
				var counts httpapi.QueueCounts
				if resp := s.get(t, "/api/v1/queues?administration="+admin, auth, &counts); resp.StatusCode != want {
					t.Fatalf("got status %d, want %d", resp.StatusCode, want)
				}
			})
			t.Run(fmt.Sprintf("%s/%s/presence", u.Role, side), func(t *testing.T) {
				path := fmt.Sprintf("/api/v1/conversations/%d/presence", ids[admin])
				if resp := s.post(t, path, u, `{"state":"viewing"}`, nil); resp.StatusCode != want {
					t.Fatalf("got status %d, want %d", resp.StatusCode, want)
				}
			})
			t.Run(fmt.Sprintf("%s/%s/bulk", u.Role, side), func(t *testing.T) {
				var out httpapi.BulkOutput
				body := fmt.Sprintf(`{"ids":[%d],"action":"tag","tags":["matris"]}`, ids[admin])
				if resp := s.post(t, "/api/v1/bulk", u, body, &out); resp.StatusCode != http.StatusOK {
					t.Fatalf("got status %d, want 200 with per-item results", resp.StatusCode)
				}
				if len(out.Results) != 1 || out.Results[0].OK != allow || (!allow && out.Results[0].Code != inbox.EFORBIDDEN) {
					t.Errorf("got %+v, want ok=%v", out.Results, allow)
				}
			})
		}
		t.Run(fmt.Sprintf("%s/tokens", u.Role), func(t *testing.T) {
			other := s.user(t, fmt.Sprintf("token-owner-%d", u.ID), inbox.RoleAgent, "")
			toks, err := s.store.FindAPITokens(t.Context(), other.ID)
			if err != nil || len(toks) != 1 {
				t.Fatalf("got %v, %v; want the owner's token", toks, err)
			}
			isAdmin := u.Role == inbox.RoleAdmin
			resp := s.get(t, fmt.Sprintf("/api/v1/tokens?user_id=%d", other.ID), "Bearer "+s.tokens[u.ID], nil)
			if want := map[bool]int{true: 200, false: 403}[isAdmin]; resp.StatusCode != want {
				t.Errorf("list another user's tokens: got %d, want %d", resp.StatusCode, want)
			}
			code, _ := s.fixture.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", toks[0].ID), s.tokens[u.ID], "")
			if want := map[bool]int{true: 204, false: 404}[isAdmin]; code != want {
				t.Errorf("revoke another user's token: got %d, want %d", code, want)
			}
		})
	}
}

// TestTokens lists the caller's tokens with their last use, and revokes
// one, which stops working at once.
func TestTokens(t *testing.T) {
	s := newStaff(t)
	second := s.newToken(t, s.agent)
	var list httpapi.TokenList
	if resp := s.get(t, "/api/v1/tokens", "Bearer "+second, &list); resp.StatusCode != http.StatusOK || len(list.Tokens) != 2 {
		t.Fatalf("got status %d, %d tokens; want 200 and 2", resp.StatusCode, len(list.Tokens))
	}
	if list.Tokens[0].LastUsedAt == nil {
		t.Error("the token just used has no last_used_at")
	}
	code, _ := s.fixture.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", list.Tokens[0].ID), second, "")
	if code != http.StatusNoContent {
		t.Fatalf("revoke: got %d, want 204", code)
	}
	if resp := s.get(t, "/api/v1/tokens", "Bearer "+second, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the revoked token: got %d, want 401", resp.StatusCode)
	}
	if resp := s.get(t, "/api/v1/tokens", "Bearer "+s.tokens[s.agent.ID], nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the other token: got %d, want 200", resp.StatusCode)
	}
	var audit []struct{ ActorID int64 }
	if err := s.db.Gorm().Raw("SELECT actor_id FROM audit_entries WHERE action = ? AND detail LIKE ?",
		inbox.ActionTokenRevoke, fmt.Sprintf(`%%"token_id":%d,%%"via":"api"%%`, list.Tokens[0].ID)).Scan(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].ActorID != s.agent.ID {
		t.Errorf("got audit %+v, want one token_revoke by %d", audit, s.agent.ID)
	}
}
