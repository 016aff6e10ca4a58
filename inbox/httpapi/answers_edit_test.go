package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// newEditorFixture is the staff fixture with a server that mounts the
// answer bank editor on an in-memory index.
func newEditorFixture(t *testing.T) (*staff, answers.Search) {
	t.Helper()
	s := newStaff(t)
	idx, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	srv := httptest.NewServer(httpapi.New(httpapi.Config{
		Store: s.store, Answers: idx, AnswerUses: s.store,
		AnswerEditor: &answers.Editor{Store: s.store, Search: idx, Domains: []string{"goteborg.se"},
			KnownAdministration: func(id string) bool { return id == "kultur" || id == "kretslopp-och-vatten" }},
	}))
	t.Cleanup(srv.Close)
	s.srv = srv
	return s, idx
}

func (s *staff) send(t *testing.T, method, path string, u *inbox.User, body string, v any) int {
	t.Helper()
	return s.do(t, method, path, u, body, v).StatusCode
}

// TestArticleAccessMatrix calls every editor endpoint as every role:
// supervisors and admins may, agents and specialists may not, and only
// an allowed change is audited.
func TestArticleAccessMatrix(t *testing.T) {
	s, _ := newEditorFixture(t)
	seq := 0
	create := func(t *testing.T) int64 {
		seq++
		var a answers.Article
		body := fmt.Sprintf(`{"title":"Artikel %d","url":"https://goteborg.se/matris/%d"}`, seq, seq)
		if st := s.send(t, http.MethodPost, "/api/v1/answers/articles", s.admin, body, &a); st != http.StatusCreated {
			t.Fatalf("create: got status %d, want 201", st)
		}
		return a.ID
	}
	changes := map[string]string{"create": answers.ActionArticleCreate, "update": answers.ActionArticleUpdate,
		"deactivate": answers.ActionArticleDeactivate, "delete": answers.ActionArticleDelete}
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, s.admin} {
		allow := u.Role == inbox.RoleSupervisor || u.Role == inbox.RoleAdmin
		for i, c := range articleCalls(0, 0) {
			name := fmt.Sprintf("%s/%s/Err403", u.Role, c.name)
			if allow {
				name = fmt.Sprintf("%s/%s/OK", u.Role, c.name)
			}
			t.Run(name, func(t *testing.T) {
				id := create(t)
				seq++
				c := articleCalls(id, seq)[i]
				var body map[string]any
				status := s.send(t, c.method, c.path, u, c.body, &body)
				history := articleHistory(t, s, id)
				if !allow {
					if status != http.StatusForbidden {
						t.Fatalf("got status %d %v, want 403", status, body)
					}
					if len(history) != 1 {
						t.Errorf("got %d changes, want only the creation: a denied call records nothing", len(history))
					}
					return
				}
				if status != c.ok {
					t.Fatalf("got status %d %v, want %d", status, body, c.ok)
				}
				want, audited := changes[c.name]
				if !audited || c.name == "create" {
					return
				}
				last := history[len(history)-1]
				if len(history) != 2 || last.Action != want || last.ActorID != u.ID {
					t.Fatalf("got %d changes, last %s by %d, want 2, the last %s by %d", len(history), last.Action, last.ActorID, want, u.ID)
				}
				if last.Before == nil || last.Before.Title != fmt.Sprintf("Artikel %d", seqOf(last.Before.URL)) {
					t.Errorf("got before %+v, want the article as created", last.Before)
				}
			})
		}
	}
	t.Run("anonymous/ErrUnauthorized", func(t *testing.T) {
		for _, c := range articleCalls(create(t), 0) {
			if status := s.send(t, c.method, c.path, nil, c.body, nil); status != http.StatusUnauthorized {
				t.Errorf("%s: got status %d, want 401", c.name, status)
			}
		}
	})
}

// articleCall is one editor endpoint of the access matrix.
type articleCall struct {
	name, method, path, body string
	ok                       int
}

// articleCalls are the editor endpoints on article id; seq keeps new URLs
// apart.
func articleCalls(id int64, seq int) []articleCall {
	p := fmt.Sprintf("/api/v1/answers/articles/%d", id)
	return []articleCall{
		{"list", http.MethodGet, "/api/v1/answers/articles", "", 200},
		{"get", http.MethodGet, p, "", 200},
		{"create", http.MethodPost, "/api/v1/answers/articles", fmt.Sprintf(`{"title":"Ny","url":"https://goteborg.se/ny/%d"}`, seq), 201},
		{"update", http.MethodPut, p, fmt.Sprintf(`{"title":"Ändrad","url":"https://goteborg.se/matris/andrad-%d"}`, seq), 200},
		{"deactivate", http.MethodPut, p, fmt.Sprintf(`{"title":"Vilande","url":"https://goteborg.se/matris/vilande-%d","active":false}`, seq), 200},
		{"delete", http.MethodDelete, p, "", 204},
		{"stats", http.MethodGet, "/api/v1/answers/stats", "", 200},
	}
}

func seqOf(url string) int {
	var n int
	fmt.Sscanf(url[strings.LastIndex(url, "/")+1:], "%d", &n)
	return n
}

// articleHistory reads an article's changes from the store: a deleted
// article has no detail to ask the API for.
func articleHistory(t *testing.T, s *staff, id int64) []*answers.ArticleChange {
	t.Helper()
	h, err := s.store.FindArticleChanges(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestArticleEditor(t *testing.T) {
	s, idx := newEditorFixture(t)
	find := func(t *testing.T, q string) []string { t.Helper(); return answerstest.SearchURLs(t, idx, q) }
	var a answers.Article
	body := `{"title":"Vattenläcka i gatan","url":"https://goteborg.se/vatten/lacka","summary":"Ring felanmälan om vatten i gatan.","administration":"kretslopp-och-vatten"}`
	t.Run("CreateOK", func(t *testing.T) {
		if st := s.send(t, http.MethodPost, "/api/v1/answers/articles", s.sup, body, &a); st != http.StatusCreated {
			t.Fatalf("got status %d, want 201", st)
		}
		if got := find(t, "vattenläcka"); len(got) != 1 || got[0] != a.URL {
			t.Fatalf("got %v, want the new article searchable at once", got)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		if st := s.send(t, http.MethodPost, "/api/v1/answers/articles", s.sup, body, nil); st != http.StatusConflict {
			t.Fatalf("got status %d, want 409 for a URL already in the bank", st)
		}
	})
	for name, url := range map[string]string{"ErrHTTP": "http://goteborg.se/x", "ErrForeignDomain": "https://example.com/goteborg.se"} {
		t.Run(name, func(t *testing.T) {
			var e map[string]any
			b := fmt.Sprintf(`{"title":"Fel","url":%q}`, url)
			if st := s.send(t, http.MethodPost, "/api/v1/answers/articles", s.admin, b, &e); st != http.StatusBadRequest {
				t.Fatalf("got status %d %v, want 400", st, e)
			}
		})
	}
	t.Run("UpdateMovesURL", func(t *testing.T) {
		b := strings.Replace(body, "/vatten/lacka", "/vatten/vattenlacka", 1)
		var got answers.Article
		if st := s.send(t, http.MethodPut, fmt.Sprintf("/api/v1/answers/articles/%d", a.ID), s.admin, b, &got); st != http.StatusOK {
			t.Fatalf("got status %d, want 200", st)
		}
		if urls := find(t, "vattenläcka"); len(urls) != 1 || urls[0] != got.URL {
			t.Fatalf("got %v, want only the moved URL %s in the index", urls, got.URL)
		}
	})
	t.Run("DetailHistory", func(t *testing.T) {
		var d struct {
			History []*answers.ArticleChange `json:"history"`
		}
		if st := s.send(t, http.MethodGet, fmt.Sprintf("/api/v1/answers/articles/%d", a.ID), s.sup, "", &d); st != http.StatusOK {
			t.Fatalf("got status %d, want 200", st)
		}
		if len(d.History) != 2 || d.History[1].Before.URL != a.URL || d.History[1].After.URL == a.URL {
			t.Fatalf("got history %+v, want create then the URL change with before and after", d.History)
		}
	})
	t.Run("DeleteOK", func(t *testing.T) {
		if st := s.send(t, http.MethodDelete, fmt.Sprintf("/api/v1/answers/articles/%d", a.ID), s.admin, "", nil); st != http.StatusNoContent {
			t.Fatalf("got status %d, want 204", st)
		}
		if got := find(t, "vattenläcka"); len(got) != 0 {
			t.Fatalf("got %v, want the deleted article gone from the index", got)
		}
		if st := s.send(t, http.MethodGet, fmt.Sprintf("/api/v1/answers/articles/%d", a.ID), s.admin, "", nil); st != http.StatusNotFound {
			t.Fatalf("got status %d, want 404", st)
		}
	})
}

// TestArticleRefusedValues: the editor API refuses what the web editor and
// the import refuse, each with a 400 saying why: a NUL character
// (PostgreSQL cannot store it, an export would not import back), a
// language that is not a code, an administration that is no routing
// target; an article kept with one from before may keep it.
func TestArticleRefusedValues(t *testing.T) {
	s, _ := newEditorFixture(t)
	for _, tc := range []struct{ name, body, want string }{
		{"ErrNUL", `{"title":"T\u0000x","url":"https://goteborg.se/nul"}`,
			"Artikeln kan inte sparas: den innehåller ett NUL-tecken. / The article cannot be saved: it contains a NUL character."},
		{"ErrLanguage", `{"title":"T","url":"https://goteborg.se/lang","language":"klingon"}`,
			`Artikeln kan inte sparas: språket "klingon" är ingen språkkod som sv eller en. / The article cannot be saved: language "klingon" is not a language code such as sv or en.`},
		{"ErrAdministration", `{"title":"T","url":"https://goteborg.se/adm","administration":"nonexistent"}`,
			`Artikeln kan inte sparas: det finns ingen förvaltning "nonexistent". / The article cannot be saved: there is no administration "nonexistent".`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out httpapi.ErrorResponse
			if st := s.send(t, http.MethodPost, "/api/v1/answers/articles", s.admin, tc.body, &out); st != http.StatusBadRequest ||
				!strings.Contains(out.Error.Message, tc.want) {
				t.Errorf("got %d %q, want 400 saying %q", st, out.Error.Message, tc.want)
			}
		})
	}
	t.Run("OKKeptAdministration", func(t *testing.T) {
		a := &answers.Article{Title: "Gammal", URL: "https://goteborg.se/gammal", Administration: "trafikkontoret", Language: "sv", Active: true}
		if err := s.store.CreateArticle(context.Background(), s.admin.ID, a); err != nil {
			t.Fatal(err)
		}
		body := `{"title":"Gammal, ny titel","url":"https://goteborg.se/gammal","administration":"trafikkontoret","active":true}`
		var out answers.Article
		if st := s.send(t, http.MethodPut, fmt.Sprintf("/api/v1/answers/articles/%d", a.ID), s.admin, body, &out); st != http.StatusOK {
			t.Errorf("update keeping the old administration: got %d, want 200", st)
		}
		var refused httpapi.ErrorResponse
		body = `{"title":"Gammal","url":"https://goteborg.se/gammal","administration":"nonexistent","active":true}`
		if st := s.send(t, http.MethodPut, fmt.Sprintf("/api/v1/answers/articles/%d", a.ID), s.admin, body, &refused); st != http.StatusBadRequest {
			t.Errorf("update to an unknown administration: got %d, want 400", st)
		}
	})
}
