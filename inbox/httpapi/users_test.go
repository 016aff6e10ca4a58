package httpapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"inkorg/inbox"
)

// TestUserAPI manages users through the API: only admins may, every
// change is audited, and an admin cannot demote or deactivate themselves.
func TestUserAPI(t *testing.T) {
	s := newStaff(t)
	ctx := t.Context()
	body := `{"name":"kim","role":"specialist","administrations":["kultur"],"password":"ett långt lösenord"}`
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, nil} {
		want := http.StatusForbidden
		if u == nil {
			want = http.StatusUnauthorized
		}
		t.Run(fmt.Sprintf("Err%d", want), func(t *testing.T) {
			var out map[string]any
			if resp := s.do(t, http.MethodGet, "/api/v1/users", u, "", &out); resp.StatusCode != want {
				t.Errorf("list: got %d, want %d", resp.StatusCode, want)
			}
			wantDocumentedAs(t, http.MethodGet, "/users", want)
			if resp := s.do(t, http.MethodPost, "/api/v1/users", u, body, &out); resp.StatusCode != want {
				t.Errorf("create: got %d, want %d", resp.StatusCode, want)
			}
			wantRequired(t, "Error", out)
		})
	}
	if _, err := s.store.FindUserByName(ctx, "kim"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("a refused create stored kim: %v", err)
	}

	var kim inbox.UserAccount
	if resp := s.do(t, http.MethodPost, "/api/v1/users", s.admin, body, &kim); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: got %d, want 201", resp.StatusCode)
	}
	wantDocumentedAs(t, http.MethodPost, "/users", http.StatusCreated)
	path := "/api/v1/users/" + strconv.FormatInt(kim.ID, 10)
	var out map[string]any
	if resp := s.do(t, http.MethodPatch, path, s.admin, `{"role":"agent","administrations":[],"active":false}`, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("change: got %d %v, want 200", resp.StatusCode, out)
	}
	wantDocumentedAs(t, http.MethodPatch, "/users/{id}", http.StatusOK)
	if out["role"] != "agent" || out["deactivated_at"] == nil {
		t.Errorf("after the change: got %v, want a deactivated agent", out)
	}
	var detail struct {
		History []*inbox.AuditEntry `json:"history"`
	}
	if resp := s.do(t, http.MethodGet, path, s.admin, "", &detail); resp.StatusCode != http.StatusOK {
		t.Fatalf("get: got %d, want 200", resp.StatusCode)
	}
	var actions []string
	for _, e := range detail.History {
		actions = append(actions, e.Action)
	}
	if fmt.Sprint(actions) != fmt.Sprint([]string{inbox.ActionUserCreate, inbox.ActionUserRole, inbox.ActionUserDeactivate}) {
		t.Errorf("history: got %v, want create, role, deactivate", actions)
	}

	self := "/api/v1/users/" + strconv.FormatInt(s.admin.ID, 10)
	for _, change := range []string{`{"role":"supervisor"}`, `{"active":false}`} {
		out = nil
		if resp := s.do(t, http.MethodPatch, self, s.admin, change, &out); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s on oneself: got %d, want 400", change, resp.StatusCode)
		}
		wantRequired(t, "Error", out)
	}
	if u, _ := s.store.FindUserByName(ctx, s.admin.Name); u.Role != inbox.RoleAdmin || !u.Active() {
		t.Errorf("the admin is %s, active %v after refused changes", u.Role, u.Active())
	}
}

// TestUserAPIChangeAllOrNothing sends a PATCH with a role change and a
// password that is too short: 400, and the role stays as it was.
func TestUserAPIChangeAllOrNothing(t *testing.T) {
	s := newStaff(t)
	path := "/api/v1/users/" + strconv.FormatInt(s.agent.ID, 10)
	var out map[string]any
	if resp := s.do(t, http.MethodPatch, path, s.admin, `{"role":"admin","password":"kort"}`, &out); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("role and a short password: got %d %v, want 400", resp.StatusCode, out)
	}
	if u, _ := s.store.FindUserAccount(t.Context(), s.agent.ID); u.Role != inbox.RoleAgent {
		t.Errorf("after a refused change: got role %s, want agent", u.Role)
	}
	if entries, _ := s.store.FindUserAudit(t.Context(), s.agent.ID); len(entries) != 0 {
		t.Errorf("audit of a refused change: got %d entries, want none", len(entries))
	}
}

// TestUserAPIPasswordResetRevokesTokens resets a password through the
// API: the user's API tokens stop working.
func TestUserAPIPasswordResetRevokesTokens(t *testing.T) {
	s := newStaff(t)
	path := "/api/v1/users/" + strconv.FormatInt(s.agent.ID, 10)
	if resp := s.do(t, http.MethodGet, "/api/v1/conversations", s.agent, "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("agent before the reset: got %d, want 200", resp.StatusCode)
	}
	if resp := s.do(t, http.MethodPatch, path, s.admin, `{"password":"ett helt nytt lösenord"}`, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: got %d, want 200", resp.StatusCode)
	}
	if resp := s.do(t, http.MethodGet, "/api/v1/conversations", s.agent, "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("agent's token after the reset: got %d, want 401", resp.StatusCode)
	}
}
