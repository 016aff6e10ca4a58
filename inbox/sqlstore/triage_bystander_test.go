package sqlstore

import (
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestTriageBystanderReply triages a comment thread: the top-level
// comment's author asks, another commenter replies under it. The
// bystander's reply keeps its own triage but leaves the conversation's
// (shown to agents, and its list facets) that of the thread's citizen,
// unless it is urgent, which raises the priority; the citizen's own
// follow-up replaces it. Both ways a triage is stored are checked: with
// the message at ingest, and by SaveTriage afterwards.
func TestTriageBystanderReply(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		for _, mode := range []string{"Ingest", "SaveTriage"} {
			t.Run(mode, func(t *testing.T) {
				s := NewStore(openMigrated(t, url))
				th := bystanderThread{t: t, s: s, ingest: mode == "Ingest"}
				th.comment("c_1", "anna", bystanderTriage("stadsmiljo", 0.955, inbox.PriorityNormal, "cykelbanor"))
				th.want("Anna's comment", "stadsmiljo", inbox.PriorityNormal, "cykelbanor", "sv")

				bertil := th.comment("c_2", "bertil", bystanderTriage("aldre", 0.222, inbox.PriorityNormal))
				th.want("after Bertil's reply", "stadsmiljo", inbox.PriorityNormal, "cykelbanor", "sv")
				if got := th.messageTriage(bertil); got.Administration != "aldre" {
					t.Errorf("Bertil's reply: got its triage %+v, want its own (aldre)", got)
				}

				low := bystanderTriage("kultur", 0.6, inbox.PriorityLow)
				low.Language = "en"
				th.comment("c_3", "bertil", low)
				th.want("after Bertil's praise", "stadsmiljo", inbox.PriorityNormal, "cykelbanor", "sv")

				threat := bystanderTriage("social", 0.4, inbox.PriorityUrgent, "hot")
				th.comment("c_4", "cilla", threat)
				th.want("after Cilla's threat", "stadsmiljo", inbox.PriorityUrgent, "cykelbanor", "sv")

				th.comment("c_5", "anna", bystanderTriage("trafik", 0.8, inbox.PriorityNormal, "parkering"))
				th.want("after Anna's follow-up", "trafik", inbox.PriorityNormal, "parkering", "sv")
			})
		}
	})
}

// TestTriageBystanderFirst gives a thread whose citizen's comment has no
// triage the first bystander's triage, and Messenger conversations keep
// their latest message's triage.
func TestTriageBystanderFirst(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s := NewStore(openMigrated(t, url))
		th := bystanderThread{t: t, s: s, ingest: true}
		th.comment("c_1", "anna", nil)
		th.comment("c_2", "bertil", bystanderTriage("aldre", 0.222, inbox.PriorityNormal))
		th.want("after Bertil's reply", "aldre", inbox.PriorityNormal, "", "sv")
		th.comment("c_3", "cilla", bystanderTriage("kultur", 0.7, inbox.PriorityLow, "bibliotek"))
		th.want("after Cilla's reply", "aldre", inbox.PriorityNormal, "", "sv")

		dm := bystanderThread{t: t, s: s, ingest: true, private: true}
		dm.comment("m_1", "david", bystanderTriage("stadsmiljo", 0.9, inbox.PriorityNormal, "cykelbanor"))
		dm.comment("m_2", "david", bystanderTriage("aldre", 0.3, inbox.PriorityLow))
		dm.want("Messenger", "aldre", inbox.PriorityLow, "", "sv")
	})
}

// bystanderThread applies the messages of comment thread c_1 (or a
// Messenger thread) to s.
type bystanderThread struct {
	t       *testing.T
	s       *Store
	ingest  bool
	private bool
	convID  int64
	n       int
}

func bystanderTriage(admin string, confidence float64, p inbox.Priority, tags ...string) *inbox.Triage {
	return &inbox.Triage{Administration: admin, Confidence: confidence, Language: "sv", Priority: p, Tags: tags,
		TriagedAt: storetest.T0}
}

// comment applies message mid by author with triage tr (none when nil)
// and returns its id.
func (th *bystanderThread) comment(mid, author string, tr *inbox.Triage) int64 {
	th.t.Helper()
	th.n++
	at := storetest.T0.Add(time.Duration(th.n) * time.Minute)
	e := threadComment(mid, author, inbox.DirectionInbound, at)
	if th.private {
		e = inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: storetest.PageID, ThreadKey: author, MessageExternalID: mid, Direction: inbox.DirectionInbound,
			Contact: inbox.Actor{ExternalID: author}, Text: "Meddelande " + mid, OccurredAt: at}
	}
	if th.ingest && tr != nil {
		e.Triage = tr
	}
	a := mustApply(th.t, th.s, e)
	th.convID = a.ConversationID
	if !th.ingest && tr != nil {
		tr.MessageID = a.MessageID
		if err := th.s.SaveTriage(th.t.Context(), a.ConversationID, tr); err != nil {
			th.t.Fatalf("SaveTriage(%s): %v", mid, err)
		}
	}
	return a.MessageID
}

// want checks the conversation's triage and its list facets.
func (th *bystanderThread) want(when, admin string, p inbox.Priority, tag, lang string) {
	th.t.Helper()
	c, err := th.s.FindConversationByID(th.t.Context(), th.convID)
	if err != nil {
		th.t.Fatal(err)
	}
	tags := ""
	if c.Triage != nil {
		tags = strings.Join(c.Triage.Tags, ",")
	}
	if c.Triage == nil || c.Triage.Administration != admin || c.Triage.Priority != p || tags != tag || c.Triage.Language != lang {
		th.t.Errorf("%s: got triage %+v, want %s, %s, tags %q, %s", when, c.Triage, admin, p, tag, lang)
	}
	var f triageFacets
	if err := th.s.db.Gorm().WithContext(th.t.Context()).Model(&conversationRow{}).Where("id = ?", th.convID).
		Select("triage_language, triage_priority, triage_needs_human, triage_sensitive, triage_tags").Take(&f).Error; err != nil {
		th.t.Fatal(err)
	}
	wantTags := "[]"
	if tag != "" {
		wantTags = `["` + tag + `"]`
	}
	if f.Priority != string(p) || f.Tags != wantTags || f.Language != lang {
		th.t.Errorf("%s: got facets %+v, want priority %s, tags %s, language %s", when, f, p, wantTags, lang)
	}
}

// messageTriage returns the stored triage of message id.
func (th *bystanderThread) messageTriage(id int64) *inbox.Triage {
	th.t.Helper()
	var row triageRow
	if err := th.s.db.Gorm().WithContext(th.t.Context()).Where("message_id = ?", id).Take(&row).Error; err != nil {
		th.t.Fatalf("triage of message %d: %v", id, err)
	}
	tr, err := row.toDomain()
	if err != nil {
		th.t.Fatal(err)
	}
	return tr
}

// TestTriageBystanderOrder stores the citizen's triage after a
// bystander's, as a hook's retry does, and applies a bystander's reply
// before the top-level comment that makes its author the contact: the
// conversation's triage is the citizen's either way.
func TestTriageBystanderOrder(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		t.Run("LateCitizenTriage", func(t *testing.T) {
			th := bystanderThread{t: t, s: NewStore(openMigrated(t, url))}
			anna := th.comment("c_1", "anna", nil)
			th.ingest = true
			th.comment("c_2", "bertil", bystanderTriage("aldre", 0.222, inbox.PriorityNormal))
			late := bystanderTriage("stadsmiljo", 0.955, inbox.PriorityNormal, "cykelbanor")
			late.MessageID = anna
			if err := th.s.SaveTriage(t.Context(), th.convID, late); err != nil {
				t.Fatal(err)
			}
			th.want("after Anna's late triage", "stadsmiljo", inbox.PriorityNormal, "cykelbanor", "sv")
		})
		t.Run("ReplyFirst", func(t *testing.T) {
			th := bystanderThread{t: t, s: NewStore(openMigrated(t, url)), ingest: true}
			th.n = 5
			th.comment("c_2", "bertil", bystanderTriage("aldre", 0.222, inbox.PriorityNormal))
			th.n = 0
			th.comment("c_1", "anna", bystanderTriage("stadsmiljo", 0.955, inbox.PriorityNormal, "cykelbanor"))
			th.want("after Anna's comment", "stadsmiljo", inbox.PriorityNormal, "cykelbanor", "sv")
			th.n = 6
			th.comment("c_3", "bertil", bystanderTriage("kultur", 0.5, inbox.PriorityLow))
			th.want("after Bertil's second reply", "stadsmiljo", inbox.PriorityNormal, "cykelbanor", "sv")
		})
	})
}

// TestTriageBystanderRoutingExample routes a comment thread elsewhere
// than its citizen's triage proposed after a bystander replied: the
// example is the citizen's comment, the question the person routed.
func TestTriageBystanderRoutingExample(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		th := bystanderThread{t: t, s: NewStore(openMigrated(t, url)), ingest: true}
		anna := th.comment("c_1", "anna", bystanderTriage("stadsmiljo", 0.955, inbox.PriorityNormal, "cykelbanor"))
		th.comment("c_2", "bertil", bystanderTriage("aldre", 0.222, inbox.PriorityNormal))
		storetest.Route(t, th.s, th.convID, "trafik")
		got, err := th.s.FindRoutingExamples(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		want := inbox.RoutingExample{MessageID: anna, Text: "Kommentar c_1", AdministrationID: "trafik"}
		if len(got) != 1 || got[0] != want {
			t.Errorf("got %+v, want %+v", got, want)
		}

		// A thread whose citizen's comment has no triage shows the first
		// bystander's, and that is the one routed.
		other := bystanderThread{t: t, s: NewStore(openMigrated(t, url)), ingest: true}
		other.comment("c_1", "david", nil)
		erik := other.comment("c_2", "erik", bystanderTriage("aldre", 0.3, inbox.PriorityNormal))
		other.comment("c_3", "frida", bystanderTriage("kultur", 0.4, inbox.PriorityNormal))
		other.want("after the bystanders' replies", "aldre", inbox.PriorityNormal, "", "sv")
		storetest.Route(t, other.s, other.convID, "trafik")
		got, err = other.s.FindRoutingExamples(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		want = inbox.RoutingExample{MessageID: erik, Text: "Kommentar c_2", AdministrationID: "trafik"}
		if len(got) != 1 || got[0] != want {
			t.Errorf("bystanders only: got %+v, want %+v", got, want)
		}
	})
}

// TestTriageBystanderMigration marks the triage stored before bystanders
// were told apart (migration 00037) from the messages: a reply by someone
// other than the thread's citizen is a bystander's, the citizen's own
// comment and reply and a Messenger message are not.
func TestTriageBystanderMigration(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		th := bystanderThread{t: t, s: s, ingest: true}
		anna := th.comment("c_1", "anna", bystanderTriage("stadsmiljo", 0.955, inbox.PriorityNormal))
		bertil := th.comment("c_2", "bertil", bystanderTriage("aldre", 0.222, inbox.PriorityNormal))
		annaAgain := th.comment("c_3", "anna", bystanderTriage("trafik", 0.8, inbox.PriorityNormal))
		dm := bystanderThread{t: t, s: s, ingest: true, private: true}
		david := dm.comment("m_1", "david", bystanderTriage("kultur", 0.9, inbox.PriorityNormal))
		p, err := db.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(t.Context(), 36); err != nil {
			t.Fatalf("DownTo(36): %v", err)
		}
		if _, err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			id   int64
			want bool
		}{{"Anna's comment", anna, false}, {"Bertil's reply", bertil, true}, {"Anna's reply", annaAgain, false}, {"David's message", david, false}} {
			var row triageRow
			if err := db.Gorm().WithContext(t.Context()).Where("message_id = ?", tc.id).Take(&row).Error; err != nil {
				t.Fatal(err)
			}
			if row.Bystander != tc.want {
				t.Errorf("%s: bystander %v after the migration, want %v", tc.name, row.Bystander, tc.want)
			}
		}
	})
}
