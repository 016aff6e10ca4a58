package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// failingStore fails to list conversations with an internal error whose
// message tells what went wrong inside.
type failingStore struct{ inbox.Store }

func (failingStore) FindConversations(context.Context, inbox.ConversationFilter) (inbox.ConversationPage, error) {
	return inbox.ConversationPage{}, inbox.Errorf(inbox.EINTERNAL, "The PostgreSQL connection is a *sql.Conn, not pgx.")
}

// TestInternalErrorMessage: a client is told an internal error happened,
// in Swedish and English, and nothing of what went wrong inside.
func TestInternalErrorMessage(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: failingStore{f.store}}))
	t.Cleanup(srv.Close)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/conversations", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body httpapi.ErrorResponse
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusInternalServerError || body.Error.Code != inbox.EINTERNAL || body.Error.Message != "Internt fel. / Internal error." {
		t.Errorf("got %d %+v, want 500 internal with the message Internt fel. / Internal error.", resp.StatusCode, body.Error)
	}
	if strings.Contains(body.Error.Message, "pgx") {
		t.Errorf("the message %q tells what went wrong inside", body.Error.Message)
	}
}
