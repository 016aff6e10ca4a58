package sqlstore

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/slawatch"
)

var stockholm = businesstime.Default().Location()

// sthlm parses a wall-clock time in Europe/Stockholm.
func sthlm(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// reportWorld is a store on a settable clock with helpers to write a
// conversation's history as it happened.
type reportWorld struct {
	t     *testing.T
	s     *Store
	clock time.Time
	n     int
}

func (w *reportWorld) message(ch inbox.Channel, thread string, dir inbox.Direction, at, text string) int64 {
	w.t.Helper()
	w.n++
	plat, account := inbox.PlatformFacebook, "page_1"
	if ch.Platform() == inbox.PlatformInstagram {
		plat, account = inbox.PlatformInstagram, "ig_1"
	}
	e := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: plat, Channel: ch, AccountExternalID: account,
		ThreadKey: thread, MessageExternalID: fmt.Sprintf("mid_%d", w.n), Direction: dir,
		Contact: inbox.Actor{ExternalID: thread, Name: "Anna"}, Text: text, OccurredAt: sthlm(w.t, at),
	}
	if dir == inbox.DirectionOutbound {
		e.Author = inbox.Actor{ExternalID: account, Name: "Göteborgs Stad"}
	} else {
		e.Author = e.Contact
	}
	w.clock = e.OccurredAt
	a, err := w.s.ApplyEvent(w.t.Context(), e)
	if err != nil {
		w.t.Fatalf("ApplyEvent: %v", err)
	}
	return a.ConversationID
}

// work saves a staff action at the given time.
func (w *reportWorld) work(conv int64, at string, upd inbox.ConversationUpdate, detail string) {
	w.t.Helper()
	w.clock = sthlm(w.t, at)
	c, err := w.s.FindConversationByID(w.t.Context(), conv)
	if err != nil {
		w.t.Fatal(err)
	}
	upd.ID, upd.Version = conv, c.Version
	if detail == "" {
		detail = `{"before":{},"after":{}}`
	}
	audit := &inbox.AuditEntry{Action: inbox.ActionStatus, ConversationID: conv, Detail: detail}
	if err := w.s.SaveWork(w.t.Context(), &inbox.Work{Update: &upd, Audit: audit}); err != nil {
		w.t.Fatalf("SaveWork: %v", err)
	}
}

func (w *reportWorld) status(conv int64, at string, st inbox.Status) {
	upd := inbox.ConversationUpdate{Status: &st}
	if st == inbox.StatusResolved {
		resolved := sthlm(w.t, at)
		upd.SetResolved, upd.ResolvedAt = true, &resolved
	}
	w.work(conv, at, upd, "")
}

func ms(h float64) float64 { return h * 3600 }

// TestReportsHandComputed builds a week of conversations whose figures are
// worked out by hand in the comments (default calendar: weekdays
// 08:00–16:30; first response within 2 business hours for private
// messages, 4 for comments), measures them as the SLA watcher does, and
// checks every report against those figures on both dialects.
func TestReportsHandComputed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-01 08:00")}
		db.Now = func() time.Time { return w.clock }
		ctx := t.Context()
		for _, u := range []*inbox.User{{Name: "sara", Role: inbox.RoleSupervisor}, {Name: "amir", Role: inbox.RoleAgent}, {Name: "bea", Role: inbox.RoleAgent}} {
			if err := w.s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.s.db.gorm.Exec(`INSERT INTO answer_articles (url, title, updated_at) VALUES (?, ?, ?)`,
			"https://goteborg.se/wps/portal/start/idrott-och-fritid/badhus", "Badhus", toDBTime(w.clock)).Error; err != nil {
			t.Fatal(err)
		}
		supervisor, amir, bea := int64(1), int64(2), int64(3)

		// C1 Mon 09:00, answered 10:00 with an answer-bank link, resolved
		// 11:00: first response 1 h (wall and business), resolution 2 h.
		c1 := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "När öppnar badet?")
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-11-23 10:00", "Se https://www.goteborg.se/wps/portal/start/idrott-och-fritid/badhus/.")
		w.status(c1, "2026-11-23 11:00", inbox.StatusResolved)
		// C2 Mon 16:00, answered Tue 09:00: 17 h wall, 0.5 + 1 = 1.5 h business.
		w.message(inbox.ChannelMessenger, "t2", inbox.DirectionInbound, "2026-11-23 16:00", "Hej")
		w.message(inbox.ChannelMessenger, "t2", inbox.DirectionOutbound, "2026-11-24 09:00", "Hej! Vi återkommer.")
		// C4 Tue 10:00, assigned to amir then bea (one reassignment),
		// pending 10:30 until the citizen's answer at 14:25 opens it (staff
		// set open again at 14:30), answered 15:00: 5 h less 3 h 55
		// waiting = 1 h 05.
		c4 := w.message(inbox.ChannelMessenger, "t4", inbox.DirectionInbound, "2026-11-24 10:00", "Parkering?")
		w.work(c4, "2026-11-24 10:10", inbox.ConversationUpdate{AssigneeID: &amir}, `{"before":{"status":"new"},"after":{"status":"new","assignee_id":2}}`)
		w.work(c4, "2026-11-24 10:20", inbox.ConversationUpdate{AssigneeID: &bea}, `{"before":{"status":"new","assignee_id":2},"after":{"status":"new","assignee_id":3}}`)
		w.status(c4, "2026-11-24 10:30", inbox.StatusPending)
		w.message(inbox.ChannelMessenger, "t4", inbox.DirectionInbound, "2026-11-24 14:25", "Det gäller Heden.")
		w.status(c4, "2026-11-24 14:30", inbox.StatusOpen)
		w.message(inbox.ChannelMessenger, "t4", inbox.DirectionOutbound, "2026-11-24 15:00", "Så här gör du.")
		// C7 Tue 12:00 is spam: in no report.
		c7 := w.message(inbox.ChannelMessenger, "t7", inbox.DirectionInbound, "2026-11-24 12:00", "Köp billigt!")
		w.status(c7, "2026-11-24 12:05", inbox.StatusSpam)
		// C3 Fri 15:00, a comment, routed Mon 09:00–10:00 (1 h with the
		// department), answered Mon 11:00: 68 h wall, 1.5 + 3 = 4.5 h
		// business, past the 4 h target; resolved Mon 12:00: 69 h, 5.5 h.
		c3 := w.message(inbox.ChannelFacebookComment, "t3", inbox.DirectionInbound, "2026-11-27 15:00", "Varför är gatan inte plogad?")
		routed, admin := inbox.StatusRouted, "trafikkontoret"
		w.work(c3, "2026-11-30 09:00", inbox.ConversationUpdate{Status: &routed, AdministrationID: &admin}, "")
		w.status(c3, "2026-11-30 10:00", inbox.StatusOpen)
		w.message(inbox.ChannelFacebookComment, "t3", inbox.DirectionOutbound, "2026-11-30 11:00", "Plogning pågår.")
		w.status(c3, "2026-11-30 12:00", inbox.StatusResolved)
		// C5 Wed 2 Dec 09:00 unanswered at 12:00: due 11:00, breached.
		c5 := w.message(inbox.ChannelMessenger, "t5", inbox.DirectionInbound, "2026-12-02 09:00", "Hallå?")
		// C6 Wed 11:00 on Instagram Direct: 1 h of 2 used at 12:00, ok;
		// at risk at 12:30 (75 %).
		c6 := w.message(inbox.ChannelInstagramDirect, "t6", inbox.DirectionInbound, "2026-12-02 11:00", "Hej")

		now := sthlm(t, "2026-12-02 12:00")
		w.clock = now
		pub := &inboxtest.LiveRecorder{}
		reg := prometheus.NewRegistry()
		watch := &slawatch.Watcher{Store: w.s, SLA: businesstime.DefaultSLA(), Publisher: pub,
			Metrics: slawatch.NewMetrics(reg), Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return w.clock }, BatchSize: 2}
		if err := watch.Tick(ctx); err != nil {
			t.Fatalf("Tick: %v", err)
		}

		checkSummary(t, w.s, now)
		checkBacklog(t, w.s, now)
		checkHours(t, w.s, now)
		checkConversationSLA(t, w.s, c5, c6)

		if got := notified(pub); !reflect.DeepEqual(got, []string{fmt.Sprintf("%d:breached:%v", c5, []int64{supervisor})}) {
			t.Errorf("notifications at 12:00: got %v, want C5 breached to the supervisor", got)
		}
		if got := metricValue(t, reg, "inkorg_oldest_unanswered_seconds"); got != 3*3600 {
			t.Errorf("oldest unanswered: got %v s, want 10800 (C5, 3 h)", got)
		}
		if got := metricValue(t, reg, "inkorg_backlog", "status", "new"); got != 3 {
			t.Errorf("backlog new: got %v, want 3 (C2, C5, C6)", got)
		}
		w.clock = sthlm(t, "2026-12-02 12:31")
		if err := watch.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if got := notified(pub); len(got) != 2 || got[1] != fmt.Sprintf("%d:at_risk:%v", c6, []int64{supervisor}) {
			t.Errorf("notifications at 12:31: got %v, want C6 at risk next", got)
		}
		if err := watch.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if got := len(notified(pub)); got != 2 {
			t.Errorf("got %d notifications after a quiet pass, want still 2", got)
		}
		if got := metricValue(t, reg, "inkorg_sla_breaches_total", "policy", "private_messages"); got != 1 {
			t.Errorf("inkorg_sla_breaches_total: got %v, want 1", got)
		}
	})
}

func notified(r *inboxtest.LiveRecorder) []string {
	var out []string
	for _, ev := range r.Events() {
		var n inbox.SLANotice
		_ = json.Unmarshal(ev.Data, &n)
		out = append(out, fmt.Sprintf("%d:%s:%v", ev.ConversationID, n.State, ev.UserIDs))
	}
	return out
}

func report(t *testing.T, s *Store, now time.Time, kind inbox.ReportKind, g inbox.GroupBy) *inbox.Report {
	t.Helper()
	svc := &inbox.ReportService{Store: s, Location: stockholm, Now: func() time.Time { return now }}
	req := inbox.ReportRequest{Kind: kind, From: sthlm(t, "2026-11-23 00:00"), To: sthlm(t, "2026-12-03 00:00"), GroupBy: g}
	rep, err := svc.Report(t.Context(), &inbox.User{Role: inbox.RoleSupervisor}, req)
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	return rep
}

func f(v float64) *float64 { return &v }

func pct(count int, p50, p90, p95 float64) inbox.Percentiles {
	return inbox.Percentiles{Count: count, P50: f(p50), P90: f(p90), P95: f(p95)}
}

func checkSummary(t *testing.T, s *Store, now time.Time) {
	rep := report(t, s, now, inbox.ReportSummary, inbox.GroupChannel)
	none := inbox.Percentiles{}
	want := []inbox.SummaryRow{{
		Group: "*", Label: "Totalt / Total", Conversations: 6, Answered: 4, Resolved: 2, Replies: 4, Reassignments: 1,
		// First response business 1, 1 h 05, 1.5, 4.5 h; wall 1, 1 h 05, 17, 68 h.
		FirstResponseBusiness: pct(4, ms(1)+300, ms(4.5), ms(4.5)), FirstResponseWall: pct(4, ms(1)+300, ms(68), ms(68)),
		// Resolution business 2, 5.5 h; wall 2, 69 h.
		ResolutionBusiness: pct(2, ms(2), ms(5.5), ms(5.5)), ResolutionWall: pct(2, ms(2), ms(69), ms(69)),
		// C1, C2, C4 met; C3 breached answered, C5 breached running; C6 still running.
		SLAEvaluated: 5, SLAMet: 3, SLAAttainment: f(60), AnswerLinkShare: f(25),
		Routed: 1, RoutedShare: f(16.7), DepartmentBusiness: pct(1, ms(1), ms(1), ms(1)), DepartmentWall: pct(1, ms(1), ms(1), ms(1)),
	}, {
		Group: "messenger", Label: "messenger", Conversations: 4, Answered: 3, Resolved: 1, Replies: 3, Reassignments: 1,
		FirstResponseBusiness: pct(3, ms(1)+300, ms(1.5), ms(1.5)), FirstResponseWall: pct(3, ms(1)+300, ms(17), ms(17)),
		ResolutionBusiness: pct(1, ms(2), ms(2), ms(2)), ResolutionWall: pct(1, ms(2), ms(2), ms(2)),
		SLAEvaluated: 4, SLAMet: 3, SLAAttainment: f(75), AnswerLinkShare: f(33.3),
		RoutedShare: f(0), DepartmentBusiness: none, DepartmentWall: none,
	}, {
		Group: "facebook_comment", Label: "facebook_comment", Conversations: 1, Answered: 1, Resolved: 1, Replies: 1,
		FirstResponseBusiness: pct(1, ms(4.5), ms(4.5), ms(4.5)), FirstResponseWall: pct(1, ms(68), ms(68), ms(68)),
		ResolutionBusiness: pct(1, ms(5.5), ms(5.5), ms(5.5)), ResolutionWall: pct(1, ms(69), ms(69), ms(69)),
		SLAEvaluated: 1, SLAMet: 0, SLAAttainment: f(0), AnswerLinkShare: f(0),
		Routed: 1, RoutedShare: f(100), DepartmentBusiness: pct(1, ms(1), ms(1), ms(1)), DepartmentWall: pct(1, ms(1), ms(1), ms(1)),
	}, {
		Group: "instagram_direct", Label: "instagram_direct", Conversations: 1,
		FirstResponseBusiness: none, FirstResponseWall: none, ResolutionBusiness: none, ResolutionWall: none,
		RoutedShare: f(0), DepartmentBusiness: none, DepartmentWall: none,
	}}
	if !reflect.DeepEqual(rep.Summary, want) {
		got, _ := json.MarshalIndent(rep.Summary, "", " ")
		exp, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("summary:\ngot  %s\nwant %s", got, exp)
	}
}

func checkBacklog(t *testing.T, s *Store, now time.Time) {
	rep := report(t, s, now, inbox.ReportBacklog, inbox.GroupNone)
	// Mon: C2; Tue–Thu: C2, C4; Fri–Sun: and C3; Mon 30: C3 resolved;
	// Wed 2 Dec at 12:00: C2, C4, C5, C6.
	want := []int{1, 2, 2, 2, 3, 3, 3, 2, 2, 4}
	var got []int
	for _, d := range rep.Backlog {
		got = append(got, d.Count)
	}
	if !reflect.DeepEqual(got, want) || rep.Backlog[0].Date != "2026-11-23" || rep.Backlog[9].Date != "2026-12-02" {
		t.Errorf("backlog: got %v, want %v from 2026-11-23 to 2026-12-02", rep.Backlog, want)
	}
}

func checkHours(t *testing.T, s *Store, now time.Time) {
	rep := report(t, s, now, inbox.ReportHours, inbox.GroupNone)
	got := map[string]int{}
	for _, c := range rep.Hours {
		if c.Count > 0 {
			got[fmt.Sprintf("%d-%02d", c.Weekday, c.Hour)] = c.Count
		}
	}
	// Inbound messages: C1 Mon 09:00, C2 Mon 16:00, C4 Tue 10:00 and
	// 14:25, C3 Fri 15:00, C5 Wed 09:00, C6 Wed 11:00; not C7 (spam) nor
	// any reply.
	want := map[string]int{"1-09": 1, "1-16": 1, "2-10": 1, "2-14": 1, "5-15": 1, "3-09": 1, "3-11": 1}
	if !reflect.DeepEqual(got, want) || len(rep.Hours) != 7*24 {
		t.Errorf("hours: got %v in %d cells, want %v in 168", got, len(rep.Hours), want)
	}
}

func checkConversationSLA(t *testing.T, s *Store, c5, c6 int64) {
	conv, err := s.FindConversationByID(t.Context(), c5)
	if err != nil {
		t.Fatal(err)
	}
	want := sthlm(t, "2026-12-02 11:00")
	if conv.SLA == nil || conv.SLA.State != inbox.SLABreached || !conv.SLA.DueAt.Equal(want) || conv.SLA.Policy != "private_messages" {
		t.Errorf("C5 SLA: got %+v, want private_messages breached, due %s", conv.SLA, want)
	}
	conv, err = s.FindConversationByID(t.Context(), c6)
	if err != nil {
		t.Fatal(err)
	}
	if conv.SLA == nil || conv.SLA.State != inbox.SLAOK || !conv.SLA.DueAt.Equal(sthlm(t, "2026-12-02 13:00")) {
		t.Errorf("C6 SLA: got %+v, want ok, due 13:00", conv.SLA)
	}
}

// metricValue returns the value of the metric name in reg whose labels
// include the given name-value pairs.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, fam := range families {
		if fam.GetName() != name {
			continue
		}
	next:
		for _, m := range fam.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || (lp.GetName() == labels[i] && lp.GetValue() == labels[i+1])
				}
				if !found {
					continue next
				}
			}
			if g := m.GetGauge(); g != nil {
				return g.GetValue()
			}
			return m.GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s%v", name, labels)
	return 0
}
