package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/queueworker"
	"inkorg/inbox/sqlq"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
	"inkorg/webhooks"
)

// Personal data fed through every path that logs.
const (
	logIdentity = "19811218-9876"
	logPhone    = "070-123 45 67"
	logEmail    = "anna.svensson@example.se"
	logPersonal = "personnummer " + logIdentity + ", ring " + logPhone + ", mejla " + logEmail
)

// failingStore fails to list conversations with an error that quotes
// personal data, as a driver error quoting a row might.
type failingStore struct{ inbox.Store }

func (failingStore) FindConversations(context.Context, inbox.ConversationFilter) (inbox.ConversationPage, error) {
	return inbox.ConversationPage{}, fmt.Errorf("scan row: %s", logPersonal)
}

// TestLogsWithoutPersonalData feeds personal data through the logging
// paths of ingestion, the queue and the HTTP API with the logger inkorg
// builds, in both formats, and finds none of it in the output.
func TestLogsWithoutPersonalData(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var out inboxtest.SyncBuffer
			logger := newLogger(format, &out)
			store := sqlstore.NewStore(sqlstoretest.SQLite(t))
			logIngest(t, store, logger)
			logQueue(t, store, logger, &out)
			logHTTP(t, store, logger)
			got := out.String()
			for _, want := range []string{
				"body does not parse", "not understood", "hook failed", "dead-lettered", "handler panicked",
				"request failed", "panic in handler", "[redacted:personal_identity_number]", "[redacted:phone]", "[redacted:email]",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("log lacks %q, so a path was not exercised:\n%s", want, got)
				}
			}
			for _, pd := range []string{logIdentity, "811218", "123 45 67", "1234567", logEmail, "example.se"} {
				if strings.Contains(got, pd) {
					t.Errorf("log holds %q:\n%s", pd, got)
				}
			}
		})
	}
}

// logIngest runs the ingester on a body that does not parse, one with a
// shape it does not know, and a comment whose hook fails.
func logIngest(t *testing.T, store *sqlstore.Store, logger *slog.Logger) {
	t.Helper()
	ing := webhooks.NewIngester(store, logger, nil)
	ing.AddHook(func(ctx context.Context, e inbox.Event, a inbox.Applied) error {
		return fmt.Errorf("notify failed for %q", e.Text)
	})
	comment := `{"object":"page","entry":[{"id":"104729385720000","time":1772442000,"changes":[{"field":"feed","value":{
		"item":"comment","verb":"add","comment_id":"1_2","post_id":"104729385720000_1","parent_id":"104729385720000_1",
		"from":{"id":"7301234567890001","name":"Erik"},"created_time":1772442000,"message":"` + logPersonal + `"}}]}]}`
	for i, body := range []string{
		`{"object":"page","entry":"` + logPersonal + `"`,
		`{"object":"page","entry":[{"id":"104729385720000","time":1,"changes":[{"field":"` + logPersonal + `","value":{"x":1}}]}]}`,
		comment,
	} {
		d := &inbox.Delivery{ID: fmt.Sprint(i + 1), Queue: inbox.QueueDeliveries, Body: []byte(body), Attempt: 1, PublishedAt: time.Now()}
		_ = ing.Handle(t.Context(), d)
	}
}

// logQueue dead-letters a message whose handler fails with personal data
// and one whose handler panics with it.
func logQueue(t *testing.T, store *sqlstore.Store, logger *slog.Logger, out *inboxtest.SyncBuffer) {
	t.Helper()
	db := sqlstoretest.SQLite(t)
	q := sqlq.New(db, sqlq.Options{Logger: logger, PollInterval: 10 * time.Millisecond, Policy: queueworker.Policy{MaxAttempts: 1}})
	for _, body := range []string{"fail", "panic"} {
		if _, err := q.Publish(t.Context(), "outbound", inbox.OutgoingMessage{Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(ctx, "outbound", 1, func(ctx context.Context, d *inbox.Delivery) error {
			if string(d.Body) == "panic" {
				panic("cannot reach " + logPersonal)
			}
			return inbox.Permanent(errors.New("recipient " + logPersonal + " refused"))
		})
	}()
	for strings.Count(out.String(), "dead-lettered") < 2 {
		select {
		case <-t.Context().Done():
			t.Fatal("messages were not dead-lettered")
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	<-done
}

// logHTTP makes the API fail on a store error and on a panic.
func logHTTP(t *testing.T, store *sqlstore.Store, logger *slog.Logger) {
	t.Helper()
	u := &inbox.User{Name: "agnes", Role: inbox.RoleAgent}
	if err := store.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	token, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateAPIToken(t.Context(), &inbox.APIToken{UserID: u.ID, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: failingStore{store}, Logger: logger}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/conversations", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("got status %d, want 500", resp.StatusCode)
	}
	panicking := httpapi.New(httpapi.Config{Store: panickingStore{store}, Logger: logger})
	rec := httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/api/v1/conversations/1", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	panicking.ServeHTTP(rec, req)
}

// panickingStore panics with personal data when a conversation is read.
type panickingStore struct{ inbox.Store }

func (panickingStore) FindConversationThread(context.Context, int64) (*inbox.Conversation, []*inbox.Message, error) {
	panic("bad row: " + logPersonal)
}
