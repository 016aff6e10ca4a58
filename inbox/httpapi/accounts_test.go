package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// do sends a request with the token and returns the status and body.
func (f *fixture) do(t *testing.T, method, path, token, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func TestAccounts(t *testing.T) {
	f := newFixture(t)
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	if err := f.store.CreateUser(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	adminToken := f.newToken(t, admin)
	const hub = `{"platform":"facebook","external_id":"104729385720000","name":"Göteborgs Stad"}`

	t.Run("OK", func(t *testing.T) {
		code, body := f.do(t, http.MethodPost, "/api/v1/accounts", adminToken, hub)
		var a inbox.Account
		if code != http.StatusCreated || json.Unmarshal(body, &a) != nil || a.ID == 0 || a.Name != "Göteborgs Stad" {
			t.Fatalf("POST: got %d %s, want 201 with the account", code, body)
		}
		var list httpapi.AccountList
		if resp := f.get(t, "/api/v1/accounts", "Bearer "+f.token, &list); resp.StatusCode != http.StatusOK || len(list.Accounts) != 1 {
			t.Fatalf("GET: got %d with %d accounts, want 200 with 1", resp.StatusCode, len(list.Accounts))
		}
		if code, body := f.do(t, http.MethodDelete, "/api/v1/accounts/facebook/104729385720000", adminToken, ""); code != http.StatusNoContent {
			t.Fatalf("DELETE: got %d %s, want 204", code, body)
		}
	})
	tests := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"ErrForbiddenAdd", http.MethodPost, "/api/v1/accounts", f.token, hub, http.StatusForbidden},
		{"ErrForbiddenRemove", http.MethodDelete, "/api/v1/accounts/facebook/1", f.token, "", http.StatusForbidden},
		{"ErrInvalidBody", http.MethodPost, "/api/v1/accounts", adminToken, `{"platform":"facebook","id":"1"}`, http.StatusBadRequest},
		{"ErrInvalidPlatform", http.MethodPost, "/api/v1/accounts", adminToken, `{"platform":"tiktok","external_id":"1","name":"x"}`, http.StatusBadRequest},
		{"ErrNotFound", http.MethodDelete, "/api/v1/accounts/instagram/1", adminToken, "", http.StatusNotFound},
		{"ErrBadPlatformInPath", http.MethodDelete, "/api/v1/accounts/myspace/1", adminToken, "", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := f.do(t, tt.method, tt.path, tt.token, tt.body); code != tt.want {
				t.Errorf("got %d %s, want %d", code, body, tt.want)
			}
		})
	}
	t.Run("ErrConflict", func(t *testing.T) {
		f.do(t, http.MethodPost, "/api/v1/accounts", adminToken, hub)
		if code, _ := f.do(t, http.MethodPost, "/api/v1/accounts", adminToken, hub); code != http.StatusConflict {
			t.Errorf("got %d, want 409", code)
		}
	})
}

// TestAccountsLogin: POST /api/v1/accounts takes the login with the rules
// of inkorg accounts add --login, and every account's JSON carries it.
func TestAccountsLogin(t *testing.T) {
	f := newFixture(t)
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	if err := f.store.CreateUser(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	adminToken := f.newToken(t, admin)

	t.Run("OK", func(t *testing.T) {
		for _, tc := range []struct{ body, want string }{
			{`{"platform":"instagram","external_id":"17841400000000001","name":"goteborgsstad","login":"instagram"}`, "instagram"},
			{`{"platform":"instagram","external_id":"17841400000000002","name":"kulturgbg","page_id":"104729385720001","login":"facebook"}`, "facebook"},
			{`{"platform":"facebook","external_id":"104729385720000","name":"Göteborgs Stad"}`, "facebook"},
		} {
			code, body := f.do(t, http.MethodPost, "/api/v1/accounts", adminToken, tc.body)
			var a map[string]any
			if code != http.StatusCreated || json.Unmarshal(body, &a) != nil || a["login"] != tc.want {
				t.Fatalf("POST %s: got %d %s, want 201 with login %q", tc.body, code, body, tc.want)
			}
		}
		var list struct {
			Accounts []map[string]any `json:"accounts"`
		}
		if resp := f.get(t, "/api/v1/accounts", "Bearer "+f.token, &list); resp.StatusCode != http.StatusOK || len(list.Accounts) != 3 {
			t.Fatalf("GET: got %d with %d accounts, want 200 with 3", resp.StatusCode, len(list.Accounts))
		}
		want := map[string]string{"17841400000000001": "instagram", "17841400000000002": "facebook", "104729385720000": "facebook"}
		for _, a := range list.Accounts {
			wantRequired(t, "Account", a)
			if id, _ := a["external_id"].(string); a["login"] != want[id] {
				t.Errorf("GET: account %s has login %v, want %q", id, a["login"], want[id])
			}
		}
	})
	for _, tc := range []struct{ name, body string }{
		{"ErrUnknownLogin", `{"platform":"instagram","external_id":"2","name":"x","login":"threads"}`},
		{"ErrInstagramLoginOnFacebook", `{"platform":"facebook","external_id":"3","name":"x","login":"instagram"}`},
		{"ErrInstagramLoginWithPage", `{"platform":"instagram","external_id":"4","name":"x","login":"instagram","page_id":"104"}`},
		{"ErrLoginNotString", `{"platform":"instagram","external_id":"5","name":"x","login":true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := f.do(t, http.MethodPost, "/api/v1/accounts", adminToken, tc.body)
			var e httpapi.ErrorResponse
			if code != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || !strings.Contains(e.Error.Message, "login") {
				t.Errorf("got %d %s, want 400 with a message naming login", code, body)
			}
		})
	}
}

// TestAccountsNotSetUp: the account list also names the accounts that
// conversations arrived for but that are not managed, with how many and
// the latest message, documented in the OpenAPI document.
func TestAccountsNotSetUp(t *testing.T) {
	f := newFixture(t)
	var raw map[string]any
	if resp := f.get(t, "/api/v1/accounts", "Bearer "+f.token, &raw); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: got %d", resp.StatusCode)
	}
	wantRequired(t, "AccountList", raw)
	if got, ok := raw["not_set_up"].([]any); !ok || len(got) != 0 {
		t.Errorf("no conversations: got not_set_up %v, want []", raw["not_set_up"])
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i, psid := range []string{"psid-1", "psid-2"} {
		_, err := f.store.ApplyEvent(context.Background(), inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook,
			Channel: inbox.ChannelMessenger, AccountExternalID: "104729385720000", ThreadKey: psid, MessageExternalID: "m-" + psid,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
			Text: "Hej!", OccurredAt: at.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
	}
	var list httpapi.AccountList
	if resp := f.get(t, "/api/v1/accounts", "Bearer "+f.token, &list); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: got %d", resp.StatusCode)
	}
	want := inbox.UnknownAccount{Platform: inbox.PlatformFacebook, ExternalID: "104729385720000", Conversations: 2, LastMessageAt: at.Add(time.Minute)}
	if len(list.NotSetUp) != 1 || list.NotSetUp[0].ExternalID != want.ExternalID || list.NotSetUp[0].Conversations != 2 ||
		!list.NotSetUp[0].LastMessageAt.Equal(want.LastMessageAt) {
		t.Errorf("got not_set_up %+v, want [%+v]", list.NotSetUp, want)
	}
}
