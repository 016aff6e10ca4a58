package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// newStaffPostgres is newStaff on PostgreSQL.
func newStaffPostgres(t *testing.T) *staff {
	t.Helper()
	db := sqlstoretest.Postgres(t)
	store := sqlstore.NewStore(db)
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: store}))
	t.Cleanup(srv.Close)
	s := &staff{fixture: &fixture{srv: srv, db: db, store: store}, tokens: map[int64]string{}}
	s.router = s.user(t, "rut", inbox.RoleAgent, "")
	s.agent = s.user(t, "agnes", inbox.RoleAgent, "")
	s.agent2 = s.user(t, "bo", inbox.RoleAgent, "")
	s.spec = s.user(t, "sara", inbox.RoleSpecialist, "idrott-och-forening")
	s.sup = s.user(t, "sune", inbox.RoleSupervisor, "")
	s.admin = s.user(t, "ada", inbox.RoleAdmin, "")
	return s
}

// onBothDialects runs test on SQLite and on PostgreSQL.
func onBothDialects(t *testing.T, test func(t *testing.T, s *staff)) {
	for name, mk := range map[string]func(*testing.T) *staff{"SQLite": newStaff, "Postgres": newStaffPostgres} {
		t.Run(name, func(t *testing.T) { test(t, mk(t)) })
	}
}

// TestTagFilterMatchesStoredTag checks that ?tag= finds the tags as the
// tags action stores them (trimmed, lower case, NFC), exactly and the same
// on both databases: case and Unicode form do not matter, LIKE's
// wildcards are plain letters, and a tag never matches part of another.
func TestTagFilterMatchesStoredTag(t *testing.T) {
	onBothDialects(t, func(t *testing.T, s *staff) {
		s.conversation(t, "") // never tagged
		id := s.conversation(t, "")
		other := s.conversation(t, "")
		if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/tags", id), s.agent, `{"add":["Återbud","Kris_Storm","café"]}`, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("tags: got status %d", resp.StatusCode)
		}
		if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/tags", other), s.agent, `{"add":["krisxstorm","återbud-2"]}`, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("tags: got status %d", resp.StatusCode)
		}
		for _, tc := range []struct {
			tag  string
			want []int64
		}{
			{"återbud", []int64{id}},
			{"Återbud", []int64{id}},
			{" ÅTERBUD ", []int64{id}},
			{"Kris_Storm", []int64{id}},
			{"kris_storm", []int64{id}},
			{"kris%", nil},
			{"kris_", nil},
			{"cafe\u0301", []int64{id}},
			{"återbud-2", []int64{other}},
			{"ÅTERBUD-2,kris_storm", []int64{other, id}},
		} {
			var page httpapi.ConversationList
			resp := s.get(t, "/api/v1/conversations?tag="+url.QueryEscape(tc.tag), "Bearer "+s.tokens[s.agent.ID], &page)
			var got []int64
			for _, c := range page.Conversations {
				got = append(got, c.ID)
			}
			if resp.StatusCode != http.StatusOK || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("tag=%q: got status %d, conversations %v, want %v", tc.tag, resp.StatusCode, got, tc.want)
			}
		}
	})
}

// TestTagNFC checks that tags differing only in Unicode form (é as one
// letter, or as e and a combining accent) are one tag.
func TestTagNFC(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	var c inbox.Conversation
	s.post(t, fmt.Sprintf("/api/v1/conversations/%d/tags", id), s.agent, "{\"add\":[\"caf\u00e9\",\"cafe\u0301\"]}", &c)
	if len(c.Tags) != 1 || c.Tags[0] != "caf\u00e9" {
		t.Errorf("got tags %q, want [\"caf\u00e9\"]", c.Tags)
	}
}
