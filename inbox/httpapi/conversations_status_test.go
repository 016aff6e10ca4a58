package httpapi_test

import (
	"context"
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

// TestConversationDetailStatusChanges: the detail shows the status
// changes no staff action made beside the audit trail, so an entry
// "before: open" after a resolution has its explanation: the citizen
// wrote again. Staff status changes stay in history only.
func TestConversationDetailStatusChanges(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"SQLite", sqlstoretest.SQLite}, {"Postgres", sqlstoretest.Postgres}} {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			db := d.open(t)
			clock := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
			now := func() time.Time { return clock }
			db.Now = now
			store := sqlstore.NewStore(db)
			svc := inbox.NewService(store, now)
			agent := &inbox.User{Name: "agnes", Role: inbox.RoleAgent}
			if err := store.CreateUser(ctx, agent); err != nil {
				t.Fatal(err)
			}
			f := &fixture{db: db, store: store}
			token := f.newToken(t, agent)
			srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: store}))
			t.Cleanup(srv.Close)
			f.srv = srv

			write := func(mid string, at time.Time) int64 {
				t.Helper()
				clock = at
				a, err := store.ApplyEvent(ctx, inbox.Event{
					Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
					AccountExternalID: "page-1", ThreadKey: "psid-status", MessageExternalID: mid,
					Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-status"},
					Author: inbox.Actor{ExternalID: "psid-status"}, Text: "Hur bokar jag en tvättid?", OccurredAt: at,
				})
				if err != nil {
					t.Fatal(err)
				}
				return a.ConversationID
			}
			set := func(id int64, at time.Time, to inbox.Status) {
				t.Helper()
				clock = at
				if _, err := svc.SetStatus(ctx, agent, id, to); err != nil {
					t.Fatal(err)
				}
			}
			at := func(hm string) time.Time {
				t.Helper()
				v, err := time.Parse("2006-01-02 15:04", "2026-11-24 "+hm)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			id := write("mid-1", at("09:00"))
			set(id, at("09:15"), inbox.StatusPending)
			write("mid-2", at("09:30"))
			set(id, at("10:00"), inbox.StatusResolved)
			write("mid-3", at("11:00"))

			type change struct {
				Status inbox.Status `json:"status"`
				From   inbox.Status `json:"from"`
				At     time.Time    `json:"at"`
			}
			var body struct {
				History       []*inbox.AuditEntry `json:"history"`
				StatusChanges []change            `json:"status_changes"`
			}
			resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d", id), "Bearer "+token, &body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want 200", resp.StatusCode)
			}
			if len(body.History) != 2 {
				t.Errorf("got %d history entries, want the 2 staff status changes", len(body.History))
			}
			want := []change{
				{Status: inbox.StatusNew, At: at("09:00")},
				{Status: inbox.StatusOpen, From: inbox.StatusPending, At: at("09:30")},
				{Status: inbox.StatusOpen, From: inbox.StatusResolved, At: at("11:00")},
			}
			if len(body.StatusChanges) != len(want) {
				t.Fatalf("got status changes %+v, want %+v", body.StatusChanges, want)
			}
			for i, w := range want {
				g := body.StatusChanges[i]
				if g.Status != w.Status || g.From != w.From || !g.At.Equal(w.At) {
					t.Errorf("status change %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
