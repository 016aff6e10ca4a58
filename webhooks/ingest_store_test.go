package webhooks_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
	"inkorg/webhooks"
)

// storeDialects opens a fresh, migrated store per dialect.
var storeDialects = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "inkorg.db") }},
	{"postgres", func(t *testing.T) string { return inboxtest.PostgresURL(t) }},
}

func forEachStore(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	for _, d := range storeDialects {
		t.Run(d.name, func(t *testing.T) {
			db, err := sqlstore.Open(t.Context(), d.url(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			fn(t, sqlstore.NewStore(db))
		})
	}
}

// deliveryFixtures are the fixtures that are whole deliveries.
func deliveryFixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "graph_") || strings.HasPrefix(name, "send_api") || name == "messenger_echo_event_captured.json" {
			continue
		}
		out = append(out, name)
	}
	return out
}

// snapshot is what the store holds: every conversation with its messages.
func snapshot(t *testing.T, s inbox.Store) map[string][]inbox.Message {
	t.Helper()
	page, err := s.FindConversations(t.Context(), inbox.ConversationFilter{Limit: inbox.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]inbox.Message{}
	for _, c := range page.Conversations {
		msgs, err := s.FindMessages(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		key := string(c.Channel) + "/" + c.AccountExternalID + "/" + c.ThreadKey
		for _, m := range msgs {
			m.ID, m.ConversationID, m.CreatedAt = 0, 0, m.CreatedAt.Truncate(0)
			out[key] = append(out[key], *m)
		}
	}
	return out
}

func handleAll(t *testing.T, ing *webhooks.Ingester, names []string, attempt int) {
	t.Helper()
	for _, name := range names {
		d := delivery(name, fixture(t, name))
		d.Attempt = attempt
		if err := ing.Handle(context.Background(), d); err != nil {
			t.Fatalf("Handle(%s): %v", name, err)
		}
	}
}

// TestIngestFixturesOnStore ingests every fixture into a real store, then
// all of them again in reverse order: the second pass changes nothing.
func TestIngestFixturesOnStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		reg := prometheus.NewRegistry()
		ing := webhooks.NewIngester(s, nil, webhooks.NewMetrics(reg))
		names := deliveryFixtures(t)
		handleAll(t, ing, names, 1)
		first := snapshot(t, s)

		// fb_mention_comment_add.json is a mention on the Page's own post,
		// which the feed change for that comment records: no thread.
		wantThreads := []string{
			"facebook_comment/1234567890321/901097836652708_903438993085259",
			"facebook_comment/1234567890321/1234567890321_7293787835232",
			"messenger/12345654332/987654321432",
			"messenger/234554838031189/1739141089378194",
			"instagram_comment/0/987654321",
			"instagram_comment/0/17887498072083520",
			"instagram_direct/17841452691600098/5614879045272581",
		}
		var got []string
		for k := range first {
			got = append(got, k)
		}
		slices.Sort(got)
		slices.Sort(wantThreads)
		if !slices.Equal(got, wantThreads) {
			t.Fatalf("threads: got %q, want %q", got, wantThreads)
		}
		// Reactions, edits, hides, deletions and receipts made no thread of
		// their own. The quick reply fixture reuses the image fixture's mid,
		// so it is a redelivery of it.
		ms := first["messenger/12345654332/987654321432"]
		if len(ms) != 3 {
			t.Fatalf("messenger thread: got %d messages, want 3 (text/echo/reply share one mid, image, postback)", len(ms))
		}

		slices.Reverse(names)
		handleAll(t, ing, names, 2)
		if second := snapshot(t, s); !snapshotsEqual(first, second) {
			t.Errorf("redelivering every fixture changed the store:\nfirst  %+v\nsecond %+v", first, second)
		}
		if got := metricValue(t, reg, "inkorg_ingest_unknown_account_messages_total", "channel", "messenger"); got == 0 {
			t.Errorf("unknown account messages: got 0, want counted (no account is configured)")
		}
	})
}

func snapshotsEqual(a, b map[string][]inbox.Message) bool {
	if len(a) != len(b) {
		return false
	}
	for k, ma := range a {
		mb := b[k]
		if len(ma) != len(mb) {
			return false
		}
		for i := range ma {
			x, y := ma[i], mb[i]
			if x.Text != y.Text || x.ExternalID != y.ExternalID || !x.SentAt.Equal(y.SentAt) ||
				x.Delivery != y.Delivery || x.Hidden != y.Hidden || len(x.Edits) != len(y.Edits) ||
				(x.DeletedAt == nil) != (y.DeletedAt == nil) || len(x.Reactions) != len(y.Reactions) {
				return false
			}
		}
	}
	return true
}

// TestIngestOutOfOrderOnStore delivers a comment's edit, hide and
// reaction before the comment itself.
func TestIngestOutOfOrderOnStore(t *testing.T) {
	const page = "104729385720000"
	edited := `{"object":"page","entry":[{"id":"` + page + `","time":1700000100,"changes":[{"field":"feed","value":{"item":"comment","verb":"edited","comment_id":"1_2","post_id":"` + page + `_1","parent_id":"` + page + `_1","from":{"id":"7","name":"Anna"},"created_time":1700000100,"message":"När töms soptunnorna i Angered? (rättat)"}}]}]}`
	hidden := `{"object":"page","entry":[{"id":"` + page + `","time":1700000200,"changes":[{"field":"feed","value":{"item":"comment","verb":"hide","comment_id":"1_2","post_id":"` + page + `_1","from":{"id":"` + page + `"},"created_time":1700000200}}]}]}`
	reacted := `{"object":"page","entry":[{"id":"` + page + `","time":1700000300,"changes":[{"field":"feed","value":{"item":"reaction","verb":"add","comment_id":"1_2","post_id":"` + page + `_1","from":{"id":"8"},"reaction_type":"like","created_time":1700000300}}]}]}`
	added := `{"object":"page","entry":[{"id":"` + page + `","time":1700000000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","post_id":"` + page + `_1","parent_id":"` + page + `_1","from":{"id":"7","name":"Anna"},"created_time":1700000000,"message":"När töms soptunnorna i Angered?"}}]}]}`
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ing := webhooks.NewIngester(s, nil, nil)
		for i, body := range []string{edited, hidden, reacted, added, added, edited} {
			if err := ing.Handle(t.Context(), delivery(string(rune('a'+i)), []byte(body))); err != nil {
				t.Fatal(err)
			}
		}
		snap := snapshot(t, s)
		msgs := snap["facebook_comment/"+page+"/1_2"]
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
		m := msgs[0]
		if m.Text != "När töms soptunnorna i Angered? (rättat)" || m.OriginalText != "När töms soptunnorna i Angered?" || len(m.Edits) != 1 {
			t.Errorf("got text %q, original %q, %d edits; want the edit applied once over the original", m.Text, m.OriginalText, len(m.Edits))
		}
		if !m.Hidden || m.Reactions["like"] != 1 {
			t.Errorf("got hidden %v, reactions %v; want hidden and one like", m.Hidden, m.Reactions)
		}
	})
}

// TestIngestLogsUnknownOnce checks that an unknown shape is logged once
// with its shape and never its content.
func TestIngestLogsUnknownOnce(t *testing.T) {
	body := []byte(`{"object":"page","entry":[{"id":"1","time":1700000000,"changes":[{"field":"ratings","value":{"review_text":"Personnummer 19121212-1212","rating":5}}]}]}`)
	var logs inboxtest.SyncBuffer
	ing := webhooks.NewIngester(&memStore{}, newLogger(&logs), nil)
	for i := range 3 {
		if err := ing.Handle(t.Context(), delivery(string(rune('a'+i)), body)); err != nil {
			t.Fatal(err)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "webhook content not understood"); n != 1 {
		t.Errorf("log lines for the unknown shape: got %d, want 1\n%s", n, out)
	}
	if !strings.Contains(out, "shape={field:string,value:{rating:number,review_text:string}}") || !strings.Contains(out, "field=ratings") {
		t.Errorf("log: got %s, want the field and the shape", out)
	}
	if strings.Contains(out, "1212") {
		t.Errorf("log carries the content: %s", out)
	}
}

// TestIngestNULReachesNoHook: a NUL in a visitor post's text is replaced
// before anything sees the event, so the hook that stores the post does
// not fail on PostgreSQL (which cannot store NUL) and the comment after it
// in the same delivery is applied, rather than the delivery retried until
// it is dead-lettered.
func TestIngestNULReachesNoHook(t *testing.T) {
	const page = "104729385720000"
	change := func(value string) string { return `{"field":"feed","value":` + value + `}` }
	body := `{"object":"page","entry":[{"id":"` + page + `","time":1700000000,"changes":[` +
		change(`{"item":"comment","verb":"add","comment_id":"9101_1","post_id":"`+page+`_9100","parent_id":"`+page+`_9100","from":{"id":"8001","name":"Eva"},"created_time":1700000000,"message":"Kommentaren före"}`) + `,` +
		change(`{"item":"post","verb":"add","post_id":"`+page+`_9102","from":{"id":"8002","name":"Olle"},"created_time":1700000001,"message":"Inlägg med NUL\u0000 i texten"}`) + `,` +
		change(`{"item":"comment","verb":"add","comment_id":"9101_2","post_id":"`+page+`_9100","parent_id":"`+page+`_9100","from":{"id":"8003","name":"Siv"},"created_time":1700000002,"message":"Kommentaren efter"}`) +
		`]}]}`
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ing := webhooks.NewIngester(s, nil, nil)
		ing.AddHook(inbox.PostHook(s, time.Now))
		if err := ing.Handle(t.Context(), delivery("nul", []byte(body))); err != nil {
			t.Fatalf("Handle: %v; want the delivery applied", err)
		}
		snap := snapshot(t, s)
		if len(snap["facebook_comment/"+page+"/9101_2"]) != 1 {
			t.Errorf("the comment after the post is missing: %v", snap)
		}
		p, err := s.FindPost(t.Context(), inbox.PlatformFacebook, page+"_9102")
		if err != nil || p.Text != "Inlägg med NUL\uFFFD i texten" {
			t.Errorf("visitor post: got %+v, %v; want its text with U+FFFD for the NUL", p, err)
		}
	})
}

// TestIngestAnonymousNamesStayOwn: comments whose payloads name an author
// without an id share the placeholder contact, so the name one of them
// carries is its message's author's, not the contact's: it would show as
// the citizen of every other such conversation.
func TestIngestAnonymousNamesStayOwn(t *testing.T) {
	const page = "104729385720000"
	eva := `{"object":"page","entry":[{"id":"` + page + `","time":1700000000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"9021_1","post_id":"` + page + `_9021","parent_id":"` + page + `_9021","from":{"name":"Eva Svensson"},"created_time":1700000000,"message":"När öppnar badet?"}}]}]}`
	olle := `{"object":"page","entry":[{"id":"` + page + `","time":1700000100,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"9021_2","post_id":"` + page + `_9021","parent_id":"` + page + `_9021","sender_name":"Olle Olsson","created_time":1700000100,"message":"Var köper man busskort?"}}]}]}`
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ing := webhooks.NewIngester(s, nil, nil)
		for i, body := range []string{eva, olle} {
			if err := ing.Handle(t.Context(), delivery(string(rune('a'+i)), []byte(body))); err != nil {
				t.Fatal(err)
			}
		}
		page, err := s.FindConversations(t.Context(), inbox.ConversationFilter{Limit: 10})
		if err != nil || len(page.Conversations) != 2 {
			t.Fatalf("conversations: got %d, %v; want 2", len(page.Conversations), err)
		}
		want := map[string]string{"9021_1": "Eva Svensson", "9021_2": "Olle Olsson"}
		for _, c := range page.Conversations {
			if c.Contact == nil || c.Contact.ExternalID != "unknown" || c.Contact.Name != "" {
				t.Errorf("conversation %s: contact %+v; want the placeholder without a name", c.ThreadKey, c.Contact)
			}
			msgs, err := s.FindMessages(t.Context(), c.ID)
			if err != nil || len(msgs) != 1 || msgs[0].AuthorName != want[c.ThreadKey] {
				t.Errorf("conversation %s: messages %+v, %v; want one by %q", c.ThreadKey, msgs, err, want[c.ThreadKey])
			}
		}
	})
}
