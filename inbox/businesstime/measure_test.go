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
