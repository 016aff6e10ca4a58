package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

type fixture struct {
	srv   *httptest.Server
	db    *sqlstore.DB
	store *sqlstore.Store
	token string
}

func newFixture(t *testing.T, checks ...httpapi.Check) *fixture {
	t.Helper()
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	store := sqlstore.NewStore(db)
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: store, Checks: checks}))
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv, db: db, store: store}
	f.token = f.newToken(t, u)
	return f
}

// newToken stores and returns a new API token for u.
func (f *fixture) newToken(t *testing.T, u *inbox.User) string {
	t.Helper()
	token, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateAPIToken(context.Background(), &inbox.APIToken{UserID: u.ID, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	return token
}

// seed applies n inbound Messenger messages, one conversation each, a
// minute apart.
func (f *fixture) seed(t *testing.T, n int) {
	t.Helper()
	base := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range n {
		psid := fmt.Sprintf("psid-%d", i)
		_, err := f.store.ApplyEvent(context.Background(), inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: fmt.Sprintf("mid-%d", i),
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
			Text: fmt.Sprintf("Fråga nummer %d om sophämtning", i), OccurredAt: base.Add(time.Duration(i) * time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// get does a GET with the given Authorization header value (none when
// empty) and decodes the JSON body into v.
func (f *fixture) get(t *testing.T, path, auth string, v any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: decode: %v", path, err)
		}
	}
	return resp
}

func TestAuth(t *testing.T) {
	f := newFixture(t)
	for name, auth := range map[string]string{
		"ErrNoHeader":     "",
		"ErrWrongScheme":  "Basic " + f.token,
		"ErrEmptyToken":   "Bearer ",
		"ErrUnknownToken": "Bearer ink_notatoken",
	} {
		t.Run(name, func(t *testing.T) {
			var body httpapi.ErrorResponse
			resp := f.get(t, "/api/v1/conversations", auth, &body)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("got status %d, want 401", resp.StatusCode)
			}
			if body.Error.Code != inbox.EUNAUTHORIZED || body.Error.Message == "" {
				t.Errorf("got error %+v, want code %q with a message", body.Error, inbox.EUNAUTHORIZED)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("got no WWW-Authenticate header")
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		if resp := f.get(t, "/api/v1/conversations", "Bearer "+f.token, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("got status %d, want 200", resp.StatusCode)
		}
	})
}

func TestListConversations(t *testing.T) {
	f := newFixture(t)
	f.seed(t, 5)
	auth := "Bearer " + f.token

	t.Run("OK/Pages", func(t *testing.T) {
		var ids []int64
		cursor := ""
		for range 10 {
			var page httpapi.ConversationList
			resp := f.get(t, "/api/v1/conversations?limit=2&cursor="+cursor, auth, &page)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want 200", resp.StatusCode)
			}
			for _, c := range page.Conversations {
				ids = append(ids, c.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(ids) != 5 {
			t.Fatalf("got %d conversations over all pages, want 5", len(ids))
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] >= ids[i-1] {
				t.Errorf("got ids %v, want newest (highest, seeded last) first", ids)
				break
			}
		}
	})
	t.Run("OK/StatusFilter", func(t *testing.T) {
		var page httpapi.ConversationList
		f.get(t, "/api/v1/conversations?status=resolved", auth, &page)
		if len(page.Conversations) != 0 {
			t.Errorf("got %d resolved conversations, want 0", len(page.Conversations))
		}
		f.get(t, "/api/v1/conversations?status=new&channel=messenger", auth, &page)
		if len(page.Conversations) != 5 {
			t.Errorf("got %d new messenger conversations, want 5", len(page.Conversations))
		}
	})
	for name, query := range map[string]string{
		"ErrStatus":   "status=closed",
		"ErrChannel":  "channel=twitter",
		"ErrLimit":    "limit=0",
		"ErrBigLimit": fmt.Sprintf("limit=%d", inbox.MaxPageSize+1),
		"ErrCursor":   "cursor=not-a-cursor",
	} {
		t.Run(name, func(t *testing.T) {
			var body httpapi.ErrorResponse
			resp := f.get(t, "/api/v1/conversations?"+query, auth, &body)
			if resp.StatusCode != http.StatusBadRequest || body.Error.Code != inbox.EINVALID {
				t.Errorf("got status %d code %q, want 400 %q", resp.StatusCode, body.Error.Code, inbox.EINVALID)
			}
		})
	}
}

func TestGetConversation(t *testing.T) {
	f := newFixture(t)
	f.seed(t, 1)
	auth := "Bearer " + f.token
	var list httpapi.ConversationList
	f.get(t, "/api/v1/conversations", auth, &list)
	if len(list.Conversations) != 1 {
		t.Fatalf("got %d conversations, want 1", len(list.Conversations))
	}

	t.Run("OK", func(t *testing.T) {
		var d httpapi.ConversationDetail
		resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d", list.Conversations[0].ID), auth, &d)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got status %d, want 200", resp.StatusCode)
		}
		if len(d.Messages) != 1 || d.Messages[0].Text != "Fråga nummer 0 om sophämtning" {
			t.Errorf("got messages %+v, want the one seeded", d.Messages)
		}
	})
	for name, tc := range map[string]struct {
		path   string
		status int
		code   string
	}{
		"ErrNotFound":    {"/api/v1/conversations/999999", 404, inbox.ENOTFOUND},
		"ErrBadID":       {"/api/v1/conversations/abc", 400, inbox.EINVALID},
		"ErrNegativeID":  {"/api/v1/conversations/-1", 400, inbox.EINVALID},
		"ErrUnknownPath": {"/api/v1/nothing-here", 404, inbox.ENOTFOUND},
	} {
		t.Run(name, func(t *testing.T) {
			var body httpapi.ErrorResponse
			resp := f.get(t, tc.path, auth, &body)
			if resp.StatusCode != tc.status || body.Error.Code != tc.code {
				t.Errorf("got status %d code %q, want %d %q", resp.StatusCode, body.Error.Code, tc.status, tc.code)
			}
		})
	}
}

func TestSpecialistScope(t *testing.T) {
	f := newFixture(t)
	f.seed(t, 3)
	ctx := context.Background()
	specialist := &inbox.User{Name: "sven", Role: inbox.RoleSpecialist, AdministrationID: "kretslopp-vatten"}
	if err := f.store.CreateUser(ctx, specialist); err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + f.newToken(t, specialist)
	var all httpapi.ConversationList
	f.get(t, "/api/v1/conversations", "Bearer "+f.token, &all)
	routed, other := all.Conversations[0].ID, all.Conversations[1].ID
	err := f.db.Gorm().Exec("UPDATE conversations SET administration_id = ? WHERE id = ?", "kretslopp-vatten", routed).Error
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK/ListOnlyRouted", func(t *testing.T) {
		var list httpapi.ConversationList
		f.get(t, "/api/v1/conversations", auth, &list)
		if len(list.Conversations) != 1 || list.Conversations[0].ID != routed {
			t.Errorf("got %d conversations, want only %d", len(list.Conversations), routed)
		}
	})
	t.Run("OK/DetailRouted", func(t *testing.T) {
		if resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d", routed), auth, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("got status %d, want 200", resp.StatusCode)
		}
	})
	t.Run("ErrDetailOther", func(t *testing.T) {
		var body httpapi.ErrorResponse
		resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d", other), auth, &body)
		if resp.StatusCode != http.StatusForbidden || body.Error.Code != inbox.EFORBIDDEN {
			t.Errorf("got status %d code %q, want 403 %q", resp.StatusCode, body.Error.Code, inbox.EFORBIDDEN)
		}
	})
}

type pinger func(context.Context) error

func (p pinger) Ping(ctx context.Context) error { return p(ctx) }

func TestReadyz(t *testing.T) {
	up := pinger(func(context.Context) error { return nil })
	down := pinger(func(context.Context) error { return errors.New("connection refused") })

	t.Run("OK", func(t *testing.T) {
		f := newFixture(t, httpapi.Check{Name: "database", Pinger: up}, httpapi.Check{Name: "queue", Pinger: up})
		if resp := f.get(t, "/readyz", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("got status %d, want 200", resp.StatusCode)
		}
	})
	t.Run("ErrQueueDown", func(t *testing.T) {
		f := newFixture(t, httpapi.Check{Name: "database", Pinger: up}, httpapi.Check{Name: "queue", Pinger: down})
		var body struct{ Checks map[string]string }
		resp := f.get(t, "/readyz", "", &body)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("got status %d, want 503", resp.StatusCode)
		}
		if body.Checks["queue"] != "unavailable" || body.Checks["database"] != "ok" {
			t.Errorf("got checks %v, want queue unavailable and database ok", body.Checks)
		}
	})
}
