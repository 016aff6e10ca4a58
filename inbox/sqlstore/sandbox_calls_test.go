package sqlstore

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox/graph"
)

// TestSandboxCallLog records calls through one sandbox and reads them
// through another store on the same database, as an API process does
// while a worker process sends.
func TestSandboxCallLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		u := url(t)
		worker := NewStore(openDB(t, u))
		if _, err := worker.db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		api := NewStore(openDB(t, u))
		at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		sb := graph.NewSandbox(func() time.Time { return at })
		sb.SetCallLog(NewSandboxCallLog(worker), nil)
		srv, err := sb.Start()
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		client, _ := graph.New(graph.Config{BaseURL: srv.URL})
		const token = "EAAGsandboxCallLogToken42"
		sent, err := client.ReplyToFacebookComment(t.Context(), token, "104_1", "Hej, tack för frågan!")
		if err != nil {
			t.Fatal(err)
		}
		sb.FailNext(1, graph.DocumentedError(190, 463))
		if _, err := client.DeleteComment(t.Context(), token, "104_2"); graph.ClassOf(err) != graph.Token {
			t.Fatalf("delete: %v, want the programmed 190", err)
		}

		calls, err := NewSandboxCallLog(api).FindCalls(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 2 {
			t.Fatalf("%d calls, want 2", len(calls))
		}
		c := calls[0]
		var body map[string]any
		if err := json.Unmarshal(c.Body, &body); err != nil {
			t.Fatal(err)
		}
		if c.Method != http.MethodPost || c.Path != "/104_1/comments" || c.Status != 200 || c.ResultID != sent.ID ||
			!c.Time.Equal(at) || body["message"] != "Hej, tack för frågan!" || !c.Succeeded() {
			t.Errorf("first call %+v %v, want the reply that would have been sent", c, body)
		}
		if d := calls[1]; d.Method != http.MethodDelete || d.Code != 190 || d.Succeeded() || d.Seq <= c.Seq {
			t.Errorf("second call %+v, want the failed delete after the reply", d)
		}
		for _, c := range calls {
			if strings.Contains(string(c.Body), token) {
				t.Error("the access token was stored")
			}
		}
	})
}

func TestSandboxCallLogKeepsNewest(t *testing.T) {
	s := NewStore(openMigrated(t, sqliteURL))
	log := NewSandboxCallLog(s)
	for i := range SandboxCallsKept + 5 {
		if err := log.RecordCall(t.Context(), graph.Call{Time: time.Unix(int64(i), 0), Method: "POST", Path: "/1/messages", Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	calls, err := log.FindCalls(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != SandboxCallsKept || calls[0].Time.Unix() != 5 {
		t.Fatalf("%d calls from %v, want the newest %d from 5", len(calls), calls[0].Time, SandboxCallsKept)
	}
}
