package businesstime

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func ptr[T any](v T) *T { return &v }

func TestMeasure(t *testing.T) {
	s := DefaultSLA()
	conv := func(ch inbox.Channel, first string) *inbox.Conversation {
		return &inbox.Conversation{ID: 1, Channel: ch, Status: inbox.StatusOpen, FirstMessageAt: st(first)}
	}
	chg := func(at string, status inbox.Status) inbox.StatusChange {
		return inbox.StatusChange{ConversationID: 1, At: st(at), Status: status}
	}
	type want struct {
		frWall, frBus   *time.Duration
		resWall, resBus *time.Duration
		depWall, depBus time.Duration
		state           inbox.SLAState
		due, atRisk     time.Time
		running, paused bool
	}
	tests := []struct {
		name string
		in   *inbox.SLAInput
		now  time.Time
		want want
	}{
		{"AnsweredOvernight", &inbox.SLAInput{Conversation: func() *inbox.Conversation {
			c := conv(inbox.ChannelMessenger, "2026-11-24 16:00")
			c.FirstResponseAt = ptr(st("2026-11-25 09:00"))
			return c
		}()}, st("2026-11-25 12:00"), want{
			frWall: ptr(17 * time.Hour), frBus: ptr(90 * time.Minute), state: inbox.SLAOK,
			due: st("2026-11-25 09:30"), atRisk: st("2026-11-25 09:00"),
		}},
		{"WaitingExcluded", &inbox.SLAInput{Conversation: func() *inbox.Conversation {
			c := conv(inbox.ChannelMessenger, "2026-11-24 09:00")
			c.ResolvedAt = ptr(st("2026-11-24 15:00"))
			c.Status = inbox.StatusResolved
			return c
		}(), Changes: []inbox.StatusChange{chg("2026-11-24 09:00", inbox.StatusNew), chg("2026-11-24 10:00", inbox.StatusPending),
			chg("2026-11-24 14:00", inbox.StatusOpen), chg("2026-11-24 15:00", inbox.StatusResolved)}},
			st("2026-11-24 16:00"), want{
				resWall: ptr(2 * time.Hour), resBus: ptr(2 * time.Hour), state: inbox.SLAOK,
				// The first-response clock stopped at resolution, 2 h of business time used.
				due: st("2026-11-24 15:00"), atRisk: st("2026-11-24 14:30"),
			}},
		{"DepartmentTimeOverWeekend", &inbox.SLAInput{Conversation: conv(inbox.ChannelFacebookComment, "2026-11-27 15:00"),
			Changes: []inbox.StatusChange{chg("2026-11-27 16:00", inbox.StatusRouted), chg("2026-11-30 09:00", inbox.StatusOpen)}},
			st("2026-11-30 10:00"), want{
				// With the department 0.5 h Friday and 1 h Monday.
				depWall: 65 * time.Hour, depBus: 90 * time.Minute, state: inbox.SLAAtRisk, running: true,
				// 4 h target: 1.5 h Friday, 2.5 h Monday.
				due: st("2026-11-30 10:30"), atRisk: st("2026-11-30 09:30"),
			}},
		{"PausedWhileWaiting", &inbox.SLAInput{Conversation: conv(inbox.ChannelMessenger, "2026-11-24 09:00"),
			Changes: []inbox.StatusChange{chg("2026-11-24 09:30", inbox.StatusPending)}},
			st("2026-11-24 15:00"), want{
				state: inbox.SLAOK, paused: true,
				// 30 min used; the rest runs from now.
				due: st("2026-11-24 16:30"), atRisk: st("2026-11-24 16:00"),
			}},
		{"ArrivesOnHolidayEve", &inbox.SLAInput{Conversation: conv(inbox.ChannelMessenger, "2026-12-24 10:00")},
			st("2026-12-28 09:00"), want{
				state: inbox.SLAOK, running: true,
				// Julafton and the Christmas days are closed; the clock starts Monday 08:00.
				due: st("2026-12-28 10:00"), atRisk: st("2026-12-28 09:30"),
			}},
		{"UrgentBreached", &inbox.SLAInput{Conversation: func() *inbox.Conversation {
			c := conv(inbox.ChannelInstagramComment, "2026-11-24 09:00")
			c.Triage = &inbox.Triage{Priority: inbox.PriorityUrgent, Language: "sv"}
			return c
		}()}, st("2026-11-24 09:45"), want{
			state: inbox.SLABreached, running: true, due: st("2026-11-24 09:30"), atRisk: st("2026-11-24 09:22").Add(30 * time.Second),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first := tc.in.Conversation.FirstMessageAt
			tc.in.FirstInboundAt = &first
			m, err := s.Measure(tc.in, nil, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if !eqDur(m.FirstResponseWall, w.frWall) || !eqDur(m.FirstResponseBusiness, w.frBus) {
				t.Errorf("first response: got %v/%v, want %v/%v", show(m.FirstResponseWall), show(m.FirstResponseBusiness), show(w.frWall), show(w.frBus))
			}
			if !eqDur(m.ResolutionWall, w.resWall) || !eqDur(m.ResolutionBusiness, w.resBus) {
				t.Errorf("resolution: got %v/%v, want %v/%v", show(m.ResolutionWall), show(m.ResolutionBusiness), show(w.resWall), show(w.resBus))
			}
			if m.DepartmentWall != w.depWall || m.DepartmentBusiness != w.depBus || m.Routed != (w.depWall > 0) {
				t.Errorf("department: got %s/%s routed %v, want %s/%s", m.DepartmentWall, m.DepartmentBusiness, m.Routed, w.depWall, w.depBus)
			}
			sla := m.SLA
			if sla == nil {
				t.Fatal("got no SLA")
			}
			if sla.State != w.state || !sla.DueAt.Equal(w.due) || sla.AtRiskAt == nil || !sla.AtRiskAt.Equal(w.atRisk) ||
				sla.Running != w.running || sla.Paused != w.paused {
				t.Errorf("SLA: got %s due %s at risk %v running %v paused %v, want %s due %s at risk %s running %v paused %v",
					sla.State, sla.DueAt, sla.AtRiskAt, sla.Running, sla.Paused, w.state, w.due, w.atRisk, w.running, w.paused)
			}
		})
	}
}

// TestMeasureReopened: a citizen writing again in a resolved conversation
// asks a new question with a clock of its own, from that message.
func TestMeasureReopened(t *testing.T) {
	s := DefaultSLA()
	chg := func(at string, status inbox.Status) inbox.StatusChange {
		return inbox.StatusChange{ConversationID: 1, At: st(at), Status: status}
	}
	// Asked Monday 09:00, resolved at 10:00; the citizen writes again
	// Tuesday 09:00 (or nine days later), which reopens the conversation.
	history := func(reopen string) []inbox.StatusChange {
		return []inbox.StatusChange{chg("2026-11-23 09:00", inbox.StatusNew), chg("2026-11-23 10:00", inbox.StatusResolved), chg(reopen, inbox.StatusOpen)}
	}
	type want struct {
		started, due time.Time
		state        inbox.SLAState
		running      bool
		frWall       *time.Duration
		// first is the state of the first question's stopped clock,
		// "" when the clock is still the first question's.
		first inbox.SLAState
	}
	tests := []struct {
		name     string
		answered bool // the first question had a reply at 09:30
		changes  []inbox.StatusChange
		later    []string // the citizen's messages after the resolution
		replies  []string // replies after the first
		resolved string   // resolved again at
		now      string
		want     want
	}{
		{"AnsweredBefore", true, history("2026-11-24 09:00"), []string{"2026-11-24 09:00", "2026-11-24 09:05"}, nil, "", "2026-11-24 10:45",
			want{st("2026-11-24 09:00"), st("2026-11-24 11:00"), inbox.SLAAtRisk, true, ptr(30 * time.Minute), inbox.SLAOK}},
		{"UnansweredBefore", false, history("2026-12-02 09:00"), []string{"2026-12-02 09:00"}, nil, "", "2026-12-02 09:15",
			want{st("2026-12-02 09:00"), st("2026-12-02 11:00"), inbox.SLAOK, true, nil, inbox.SLAOK}},
		{"AnsweredNow", true, history("2026-11-24 09:00"), []string{"2026-11-24 09:00"}, []string{"2026-11-24 09:40"}, "", "2026-11-24 12:00",
			want{st("2026-11-24 09:00"), st("2026-11-24 11:00"), inbox.SLAOK, false, ptr(30 * time.Minute), inbox.SLAOK}},
		{"ResolvedAgainUnanswered", true, append(history("2026-11-24 09:00"), chg("2026-11-24 13:00", inbox.StatusResolved)),
			[]string{"2026-11-24 09:00"}, nil, "2026-11-24 13:00", "2026-11-24 14:00",
			want{st("2026-11-24 09:00"), st("2026-11-24 11:00"), inbox.SLABreached, false, ptr(30 * time.Minute), inbox.SLAOK}},
		// The first question was answered late and stays breached in
		// the reports whatever the next one does.
		{"FirstBreached", false, []inbox.StatusChange{chg("2026-11-23 09:00", inbox.StatusNew), chg("2026-11-23 13:30", inbox.StatusResolved),
			chg("2026-11-24 09:00", inbox.StatusOpen)}, []string{"2026-11-24 09:00"},
			[]string{"2026-11-23 13:00", "2026-11-24 09:20"}, "", "2026-11-24 12:00",
			want{st("2026-11-24 09:00"), st("2026-11-24 11:00"), inbox.SLAOK, false, ptr(4 * time.Hour), inbox.SLABreached}},
		// Staff reopened it after the citizen's second question was
		// resolved unanswered: that question's clock runs again.
		{"SecondReopenedByStaff", true, append(history("2026-11-24 09:00"), chg("2026-11-24 10:00", inbox.StatusResolved), chg("2026-11-24 13:00", inbox.StatusOpen)),
			[]string{"2026-11-24 09:00"}, nil, "", "2026-11-24 14:00",
			want{st("2026-11-24 09:00"), st("2026-11-24 11:00"), inbox.SLABreached, true, ptr(30 * time.Minute), inbox.SLAOK}},
		// Staff reopened it and the citizen has not written since: the
		// conversation's own clock, stopped by its reply.
		{"ReopenedByStaff", true, history("2026-11-24 09:00"), nil, nil, "", "2026-11-24 12:00",
			want{st("2026-11-23 09:00"), st("2026-11-23 11:00"), inbox.SLAOK, false, ptr(30 * time.Minute), ""}},
		// Closed unanswered; the reply to the next question does not
		// answer the first in the reports.
		{"UnansweredBeforeAnsweredNow", false, history("2026-12-02 09:00"), []string{"2026-12-02 09:00"}, []string{"2026-12-02 09:30"}, "", "2026-12-02 12:00",
			want{st("2026-12-02 09:00"), st("2026-12-02 11:00"), inbox.SLAOK, false, nil, inbox.SLAOK}},
	}
	// The reports' resolution is the first question's, resolved Monday
	// 10:00 (13:30 in FirstBreached), whatever came after; a conversation
	// reopened by staff has none.
	resolution := map[string]*time.Duration{"FirstBreached": ptr(4*time.Hour + 30*time.Minute), "ReopenedByStaff": nil}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &inbox.Conversation{ID: 1, Channel: inbox.ChannelMessenger, Status: inbox.StatusOpen, FirstMessageAt: st("2026-11-23 09:00")}
			in := &inbox.SLAInput{Conversation: c, FirstInboundAt: ptr(c.FirstMessageAt), Changes: tc.changes}
			if tc.answered {
				c.FirstResponseAt = ptr(st("2026-11-23 09:30"))
				in.Replies, in.RepliedAt = append(in.Replies, "Hej!"), append(in.RepliedAt, st("2026-11-23 09:30"))
			}
			for _, at := range tc.replies {
				in.Replies, in.RepliedAt = append(in.Replies, "Hej igen!"), append(in.RepliedAt, st(at))
				if c.FirstResponseAt == nil {
					c.FirstResponseAt = ptr(st(at))
				}
			}
			for _, at := range tc.later {
				in.LaterInbound = append(in.LaterInbound, st(at))
			}
			if tc.resolved != "" {
				c.Status, c.ResolvedAt = inbox.StatusResolved, ptr(st(tc.resolved))
			}
			m, err := s.Measure(in, nil, st(tc.now))
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if m.SLA == nil {
				t.Fatal("got no SLA")
			}
			if !m.SLA.StartedAt.Equal(w.started) || !m.SLA.DueAt.Equal(w.due) || m.SLA.State != w.state || m.SLA.Running != w.running {
				t.Errorf("SLA: got started %s due %s %s running %v, want started %s due %s %s running %v",
					m.SLA.StartedAt, m.SLA.DueAt, m.SLA.State, m.SLA.Running, w.started, w.due, w.state, w.running)
			}
			// The report's first response is the first question's.
			if !eqDur(m.FirstResponseWall, w.frWall) {
				t.Errorf("first response: got %s, want %s", show(m.FirstResponseWall), show(w.frWall))
			}
			wantRes, ok := resolution[tc.name]
			if !ok {
				wantRes = ptr(time.Hour)
			}
			if !eqDur(m.ResolutionWall, wantRes) {
				t.Errorf("resolution: got %s, want %s", show(m.ResolutionWall), show(wantRes))
			}
			switch f := m.FirstQuestionSLA; {
			case w.first == "" && f != nil:
				t.Errorf("first question: got %+v, want none while it has the clock", f)
			case w.first != "" && (f == nil || f.State != w.first || f.Running || !f.StartedAt.Equal(st("2026-11-23 09:00"))):
				t.Errorf("first question: got %+v, want %s, stopped, started Mon 09:00", f, w.first)
			}
		})
	}
}

func TestMeasureCounts(t *testing.T) {
	c := &inbox.Conversation{ID: 1, Channel: inbox.ChannelMessenger, FirstMessageAt: st("2026-11-24 09:00"), Tags: []string{"badhus"}}
	in := &inbox.SLAInput{Conversation: c, Replies: []string{"Hej!", "Läs mer på https://goteborg.se/badhus."}, Audit: []*inbox.AuditEntry{
		{Detail: `{"before":{"assignee_id":0},"after":{"assignee_id":2}}`},
		{Detail: `{"before":{"assignee_id":2},"after":{"assignee_id":3}}`},
		{Detail: `{"before":{"assignee_id":3},"after":{"assignee_id":0}}`},
		{Detail: `{"before":{"assignee_id":0},"after":{"assignee_id":2}}`},
		{Detail: `{"before":{"assignee_id":2},"after":{"assignee_id":4}}`},
		{Detail: `not json`},
	}}
	m, err := DefaultSLA().Measure(in, inbox.AnswerLinkMatcher([]string{"https://www.goteborg.se/badhus/"}), st("2026-11-24 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Replies != 2 || m.Reassignments != 2 || !m.AnswerLink || len(m.Tags) != 1 {
		t.Errorf("got replies %d reassignments %d answer link %v tags %v, want 2 2 true [badhus]", m.Replies, m.Reassignments, m.AnswerLink, m.Tags)
	}
}

func eqDur(a, b *time.Duration) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func show(d *time.Duration) string {
	if d == nil {
		return "nil"
	}
	return d.String()
}
