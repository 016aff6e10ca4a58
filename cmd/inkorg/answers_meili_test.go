package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"inkorg/answers"
	"inkorg/answers/meili"
)

// meiliStandIn answers as Meilisearch does (the responses recorded in
// answers/meili/testdata) and records the document ids it is asked to
// delete. Its index holds docs.
type meiliStandIn struct {
	t       *testing.T
	docs    []string
	mu      sync.Mutex
	deleted [][]string
}

func (m *meiliStandIn) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	w.Header().Set("Content-Type", "application/json")
	switch path := req.URL.Path; {
	case strings.HasPrefix(path, "/tasks/"):
		io.WriteString(w, meiliFixture(m.t, "task_succeeded.json"))
	case strings.HasSuffix(path, "/search"):
		io.WriteString(w, meiliFixture(m.t, "search.json"))
	case strings.HasSuffix(path, "/documents/fetch"):
		var q struct{ Offset, Limit int }
		json.Unmarshal(body, &q)
		page := m.docs[min(q.Offset, len(m.docs)):min(q.Offset+q.Limit, len(m.docs))]
		results := make([]map[string]string, len(page))
		for i, id := range page {
			results[i] = map[string]string{"id": id}
		}
		json.NewEncoder(w).Encode(map[string]any{"results": results, "offset": q.Offset, "limit": q.Limit, "total": len(m.docs)})
	default: // settings, documents, delete-batch: an enqueued task
		if strings.HasSuffix(path, "/documents/delete-batch") {
			var ids []string
			json.Unmarshal(body, &ids)
			m.mu.Lock()
			m.deleted = append(m.deleted, ids)
			m.mu.Unlock()
		}
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, meiliFixture(m.t, "task_enqueued.json"))
	}
}

func meiliFixture(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "answers", "meili", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAnswersMeiliStartPrunes starts on a shared Meilisearch index that
// still holds an article deleted while an index update failed: the start
// deletes that document and keeps the stored articles'.
func TestAnswersMeiliStartPrunes(t *testing.T) {
	bank, err := answers.BundledArticles()
	if err != nil {
		t.Fatal(err)
	}
	kept, orphan := meili.DocumentID(bank[0].URL), meili.DocumentID("https://goteborg.se/borttagen")
	standIn := &meiliStandIn{t: t, docs: []string{kept, orphan}}
	srv := httptest.NewServer(standIn)
	t.Cleanup(srv.Close)
	env := baseEnv(t)
	env["MEILI_URL"] = srv.URL
	if code, out := runCmd(t, env, "", "answers", "search", "bibliotekskort"); code != exitOK {
		t.Fatalf("answers search: got exit %d, output:\n%s", code, out)
	}
	standIn.mu.Lock()
	defer standIn.mu.Unlock()
	if want := fmt.Sprint([][]string{{orphan}}); fmt.Sprint(standIn.deleted) != want {
		t.Fatalf("got deletions %v, want %v: the orphan alone", standIn.deleted, want)
	}
}
