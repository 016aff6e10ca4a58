package meili_test

import (
	"context"
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
	"time"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/meili"
)

// recorder is a Meilisearch stand-in that answers with responses in the
// documented shapes (testdata/) and records every request it gets.
type recorder struct {
	t        *testing.T
	mu       sync.Mutex
	requests []recorded
	nextTask int
	failTask bool // the next task finishes as failed
	failed   map[int]bool
}

type recorded struct {
	Method, Path, Query, Auth string
	Body                      []byte
}

func newRecorder(t *testing.T) (*recorder, *httptest.Server) {
	r := &recorder{t: t, failed: map[int]bool{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func fixture(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, recorded{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get("Authorization"), body})
	w.Header().Set("Content-Type", "application/json")
	if req.Header.Get("Authorization") == "Bearer wrong" {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, fixture(r.t, "error_invalid_api_key.json"))
		return
	}
	switch {
	case strings.HasPrefix(req.URL.Path, "/tasks/"):
		var uid int
		fmt.Sscanf(strings.TrimPrefix(req.URL.Path, "/tasks/"), "%d", &uid)
		name := "task_succeeded.json"
		if r.failed[uid] {
			name = "task_failed.json"
		}
		io.WriteString(w, strings.Replace(fixture(r.t, name), `"uid": 0`, fmt.Sprintf(`"uid": %d`, uid), 1))
	case strings.HasSuffix(req.URL.Path, "/stats"):
		io.WriteString(w, fixture(r.t, "stats.json"))
	case strings.HasSuffix(req.URL.Path, "/search"):
		io.WriteString(w, fixture(r.t, "search.json"))
	case strings.HasSuffix(req.URL.Path, "/documents/fetch"):
		var q struct{ Offset int }
		json.Unmarshal(body, &q)
		io.WriteString(w, fixture(r.t, fmt.Sprintf("documents_fetch_offset%d.json", q.Offset)))
	default: // settings, documents, delete-batch: an enqueued task
		uid := r.nextTask
		r.nextTask++
		if r.failTask {
			r.failed[uid], r.failTask = true, false
		}
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, strings.Replace(fixture(r.t, "task_enqueued.json"), `"taskUid": 0`, fmt.Sprintf(`"taskUid": %d`, uid), 1))
	}
}

func (r *recorder) find(method, suffix string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, q := range r.requests {
		if q.Method == method && strings.HasSuffix(q.Path, suffix) {
			out = append(out, q)
		}
	}
	return out
}

func open(t *testing.T, url, key string) (*meili.Index, error) {
	return meili.Open(context.Background(), url, answers.DefaultAnalyzer(),
		meili.Options{APIKey: key, PollInterval: time.Millisecond})
}

func TestRecordedSettings(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		rec, srv := newRecorder(t)
		if _, err := open(t, srv.URL, "key"); err != nil {
			t.Fatalf("Open: %v", err)
		}
		got := rec.find(http.MethodPatch, "/indexes/inkorg_answers/settings")
		if len(got) != 1 {
			t.Fatalf("got %d settings requests, want 1", len(got))
		}
		if got[0].Auth != "Bearer key" {
			t.Errorf("got Authorization %q, want %q", got[0].Auth, "Bearer key")
		}
		var s struct {
			SearchableAttributes []string            `json:"searchableAttributes"`
			FilterableAttributes []string            `json:"filterableAttributes"`
			RankingRules         []string            `json:"rankingRules"`
			StopWords            []string            `json:"stopWords"`
			Synonyms             map[string][]string `json:"synonyms"`
			TypoTolerance        struct {
				Enabled bool `json:"enabled"`
			} `json:"typoTolerance"`
		}
		if err := json.Unmarshal(got[0].Body, &s); err != nil {
			t.Fatal(err)
		}
		if strings.Join(s.SearchableAttributes, ",") != "title_terms,body_terms" {
			t.Errorf("got searchable %v, want title_terms before body_terms", s.SearchableAttributes)
		}
		if strings.Join(s.FilterableAttributes, ",") != "administration,language,active" {
			t.Errorf("got filterable %v, want administration, language, active", s.FilterableAttributes)
		}
		if !contains(s.RankingRules, "attribute") || !contains(s.StopWords, "och") || !s.TypoTolerance.Enabled {
			t.Errorf("got rules %v, %d stop words, typo %v; want attribute rule, och, typo tolerance", s.RankingRules, len(s.StopWords), s.TypoTolerance.Enabled)
		}
		if syn := s.Synonyms[answers.Stem("sopor")]; !contains(syn, answers.Stem("avfall")) {
			t.Errorf("got synonyms of sopor %v, want avfall's stem among them", syn)
		}
		if len(rec.find(http.MethodGet, "/tasks/0")) == 0 {
			t.Error("got no task poll, want Open to wait for the settings task")
		}
	})
	t.Run("ErrTaskFailed", func(t *testing.T) {
		rec, srv := newRecorder(t)
		rec.failTask = true
		_, err := open(t, srv.URL, "key")
		if err == nil || !strings.Contains(err.Error(), "not filterable") {
			t.Fatalf("got %v, want the failed task's message", err)
		}
	})
	t.Run("ErrAPIKey", func(t *testing.T) {
		_, srv := newRecorder(t)
		if _, err := open(t, srv.URL, "wrong"); err == nil || !strings.Contains(err.Error(), "invalid_api_key") {
			t.Fatalf("got %v, want the invalid_api_key error", err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestRecordedIndex(t *testing.T) {
	rec, srv := newRecorder(t)
	x, err := open(t, srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	arts := make([]*answers.Article, 2500)
	for i := range arts {
		arts[i] = &answers.Article{Title: fmt.Sprintf("Artikel %d om parkering", i), URL: fmt.Sprintf("https://goteborg.se/a/%d", i), Language: "sv", Active: true}
	}
	if err := x.Index(context.Background(), arts...); err != nil {
		t.Fatalf("Index: %v", err)
	}
	posts := rec.find(http.MethodPost, "/indexes/inkorg_answers/documents")
	if len(posts) != 3 {
		t.Fatalf("got %d document batches, want 3 of at most 1000", len(posts))
	}
	var docs []map[string]any
	if err := json.Unmarshal(posts[0].Body, &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1000 || posts[0].Query != "primaryKey=id" {
		t.Fatalf("got %d documents with query %q, want 1000 with primaryKey=id", len(docs), posts[0].Query)
	}
	if docs[0]["id"] != meili.DocumentID(arts[0].URL) || docs[0]["title_terms"] != "artikel 0 parkering" {
		t.Errorf("got document %v, want hashed id and analyzed title terms", docs[0])
	}
	for _, task := range []string{"/tasks/1", "/tasks/2", "/tasks/3"} {
		if len(rec.find(http.MethodGet, task)) == 0 {
			t.Errorf("got no poll of %s, want every batch waited for", task)
		}
	}
	if err := x.Delete(context.Background(), arts[0].URL); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	del := rec.find(http.MethodPost, "/documents/delete-batch")
	if len(del) != 1 || string(del[0].Body) != fmt.Sprintf(`[%q]`, meili.DocumentID(arts[0].URL)) {
		t.Fatalf("got delete requests %v, want one with the hashed id", del)
	}
	n, err := x.Count(context.Background())
	if err != nil || n != 72 {
		t.Fatalf("Count: got %d, %v; want 72 from the stats response", n, err)
	}
}

// TestRecordedPrune lists the index's documents, two a page as recorded
// in testdata/documents_fetch_offset*.json, and deletes the one whose
// article is gone.
func TestRecordedPrune(t *testing.T) {
	ctx := context.Background()
	current := []*answers.Article{
		{Title: "Sophämtning", URL: "https://goteborg.se/sopor"},
		{Title: "Bibliotekskort", URL: "https://goteborg.se/bibliotek/kort"},
	}
	orphan := "https://goteborg.se/bygglov/gammal"
	t.Run("OK", func(t *testing.T) {
		rec, srv := newRecorder(t)
		x, err := open(t, srv.URL, "")
		if err != nil {
			t.Fatal(err)
		}
		meili.SetPageSize(t, 2)
		n, err := x.Prune(ctx, current)
		if err != nil || n != 1 {
			t.Fatalf("Prune: got %d, %v; want 1 deleted", n, err)
		}
		fetches := rec.find(http.MethodPost, "/indexes/inkorg_answers/documents/fetch")
		if len(fetches) != 2 {
			t.Fatalf("got %d listing requests, want 2 pages", len(fetches))
		}
		for i, f := range fetches {
			var q struct {
				Offset, Limit int
				Fields        []string
			}
			if err := json.Unmarshal(f.Body, &q); err != nil {
				t.Fatal(err)
			}
			if q.Offset != 2*i || q.Limit != 2 || strings.Join(q.Fields, ",") != "id" {
				t.Errorf("got listing %s, want offset %d, limit 2, fields [id]", f.Body, 2*i)
			}
		}
		del := rec.find(http.MethodPost, "/indexes/inkorg_answers/documents/delete-batch")
		if len(del) != 1 || string(del[0].Body) != fmt.Sprintf(`[%q]`, meili.DocumentID(orphan)) {
			t.Fatalf("got delete requests %v, want one with the orphan's id alone", del)
		}
		if len(rec.find(http.MethodGet, "/tasks/1")) == 0 {
			t.Error("got no poll of the delete task, want Prune to wait for it")
		}
	})
	t.Run("OK/NothingGone", func(t *testing.T) {
		rec, srv := newRecorder(t)
		x, err := open(t, srv.URL, "")
		if err != nil {
			t.Fatal(err)
		}
		meili.SetPageSize(t, 2)
		all := append(current, &answers.Article{Title: "Bygglov", URL: orphan})
		if n, err := x.Prune(ctx, all); err != nil || n != 0 {
			t.Fatalf("Prune: got %d, %v; want nothing deleted", n, err)
		}
		if del := rec.find(http.MethodPost, "/documents/delete-batch"); len(del) != 0 {
			t.Fatalf("got delete requests %v, want none", del)
		}
	})
}

func TestRecordedSearch(t *testing.T) {
	rec, srv := newRecorder(t)
	x, err := open(t, srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	hits, err := x.Search(context.Background(), answers.Query{Text: "Hur får jag bibliotekskortet?", Administration: `kul"tur\x`, Language: "sv", Limit: 3})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if len(hits) != 1 || hits[0].Article.URL != "https://goteborg.se/bibliotek/kort" || hits[0].Score < 0.91 {
		t.Fatalf("got %+v, want the recorded hit with its ranking score", hits)
	}
	if want := []string{"bibliotekskortet"}; strings.Join(hits[0].Matched, ",") != strings.Join(want, ",") {
		t.Errorf("got matched %v, want %v", hits[0].Matched, want)
	}
	got := rec.find(http.MethodPost, "/indexes/inkorg_answers/search")
	var body struct {
		Q      string `json:"q"`
		Filter string `json:"filter"`
		Limit  int    `json:"limit"`
	}
	if len(got) != 1 || json.Unmarshal(got[0].Body, &body) != nil {
		t.Fatalf("got %d search requests, want 1 with a JSON body", len(got))
	}
	wantFilter := `active = true AND administration = "kul\"tur\\x" AND language = "sv"`
	if body.Q != strings.Join(answers.DefaultAnalyzer().Terms("Hur får jag bibliotekskortet?"), " ") || body.Filter != wantFilter || body.Limit != 3 {
		t.Fatalf("got q=%q filter=%q limit=%d, want analyzed terms, filter %s, limit 3", body.Q, body.Filter, body.Limit, wantFilter)
	}
}

// TestContract runs the shared suite against a live Meilisearch.
func TestContract(t *testing.T) {
	url := os.Getenv("INKORG_TEST_MEILI_URL")
	if url == "" {
		t.Skip("INKORG_TEST_MEILI_URL is not set: the Meilisearch adapter is tested only against recorded Meilisearch API responses (TestRecorded*), not against a live server")
	}
	n := 0
	answerstest.Run(t, func(t *testing.T) answers.Search {
		n++
		x, err := meili.Open(context.Background(), url, answers.DefaultAnalyzer(), meili.Options{
			APIKey:   os.Getenv("INKORG_TEST_MEILI_API_KEY"),
			IndexUID: fmt.Sprintf("inkorg_test_%d_%d", time.Now().UnixNano(), n),
		})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return x
	})
}
