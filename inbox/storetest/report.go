package storetest

import (
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func runStatusHistory(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		createUser(t, s, u)
		conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
		for _, st := range []inbox.Status{inbox.StatusPending, inbox.StatusOpen, inbox.StatusResolved} {
			c := conversation(t, s, conv)
			w := &inbox.Work{Update: &inbox.ConversationUpdate{ID: conv, Version: c.Version, Status: statusPtr(st)}, Audit: audit(u, conv)}
			if err := s.SaveWork(ctx(t), w); err != nil {
				t.Fatal(err)
			}
		}
		// A staff action that leaves the status is not a change of it.
		c := conversation(t, s, conv)
		tags := []string{"badhus"}
		if err := s.SaveWork(ctx(t), &inbox.Work{Update: &inbox.ConversationUpdate{ID: conv, Version: c.Version, Tags: &tags}, Audit: audit(u, conv)}); err != nil {
			t.Fatal(err)
		}
		// The citizen writing again reopens it; an older message that
		// arrives late does not.
		apply(t, s, Event("psid_1", "m_2", time.Now().Add(time.Hour)))
		apply(t, s, Event("psid_1", "m_0", T0.Add(-time.Hour)))
		changes, err := s.FindStatusChanges(ctx(t), conv)
		if err != nil {
			t.Fatal(err)
		}
		var got []inbox.Status
		for _, ch := range changes {
			got = append(got, ch.Status)
		}
		want := []inbox.Status{inbox.StatusNew, inbox.StatusPending, inbox.StatusOpen, inbox.StatusResolved, inbox.StatusOpen}
		if !slices.Equal(got, want) {
			t.Errorf("got history %v, want %v", got, want)
		}
		wantTime(t, "first change", changes[0].At, T0)
	})
	t.Run("OKUnknown", func(t *testing.T) {
		changes, err := open(t).FindStatusChanges(ctx(t), 4711)
		if err != nil || len(changes) != 0 {
			t.Errorf("got %v, %v, want no changes", changes, err)
		}
	})
}

func runMetrics(t *testing.T, open opener) {
	s := open(t)
	sup := &inbox.User{Name: "sara", Role: inbox.RoleSupervisor}
	createUser(t, s, sup)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	apply(t, s, Reply("psid_1", "m_2", T0.Add(time.Hour)))
	inputs, err := s.FindSLAInputs(ctx(t), time.Time{}, 0, 10)
	if err != nil || len(inputs) != 1 || inputs[0].Conversation.ID != conv || len(inputs[0].Replies) != 1 || len(inputs[0].Changes) != 1 {
		t.Fatalf("FindSLAInputs: got %v, %v, want the conversation with one reply and one status change", inputs, err)
	}
	fr, first := time.Hour, T0
	due := T0.Add(2 * time.Hour)
	m := &inbox.ConversationMetrics{
		ConversationID: conv, Channel: inbox.ChannelMessenger, Status: inbox.StatusNew, Tags: []string{"badhus"},
		FirstMessageAt: T0, FirstInboundAt: &first, FirstResponseWall: &fr, FirstResponseBusiness: &fr, Replies: 1, AnswerLink: true,
		SLA:             &inbox.SLAStatus{Policy: "private_messages", DueAt: due, State: inbox.SLAOK, Running: true},
		SourceUpdatedAt: inputs[0].Conversation.UpdatedAt,
	}
	if err := s.SaveMetrics(ctx(t), []*inbox.ConversationMetrics{m}); err != nil {
		t.Fatal(err)
	}
	// Saving again replaces the row.
	m.SLA.Running = false
	if err := s.SaveMetrics(ctx(t), []*inbox.ConversationMetrics{m}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.FindReportRows(ctx(t), reportRange(T0.Add(-time.Hour), T0.Add(time.Hour)))
	if err != nil || len(rows) != 1 {
		t.Fatalf("FindReportRows: got %v, %v, want one row", rows, err)
	}
	r := rows[0]
	if *r.FirstResponseBusiness != fr || r.ResolutionWall != nil || !r.AnswerLink || r.SLA != inbox.SLAMet ||
		!slices.Equal(r.Tags, []string{"badhus"}) || r.Replies != 1 {
		t.Errorf("got %+v, want the saved metrics", r)
	}
	if rows, _ := s.FindReportRows(ctx(t), reportRange(T0.Add(time.Hour), T0.Add(2*time.Hour))); len(rows) != 1 {
		t.Errorf("got %d rows for a later range, want the unresolved conversation", len(rows))
	}
	if rows, _ := s.FindReportRows(ctx(t), reportRange(T0.Add(-2*time.Hour), T0.Add(-time.Hour))); len(rows) != 0 {
		t.Errorf("got %d rows for an earlier range, want none", len(rows))
	}
	runReportCounts(t, s, fr)
	mark, err := s.MetricsWatermark(ctx(t))
	if err != nil || !mark.Equal(m.SourceUpdatedAt) {
		t.Errorf("MetricsWatermark: got %v, %v, want %v", mark, err, m.SourceUpdatedAt)
	}
	if ok, err := s.MarkSLANotified(ctx(t), conv, inbox.SLAAtRisk); !ok || err != nil {
		t.Errorf("first MarkSLANotified: got %v, %v, want true", ok, err)
	}
	if ok, _ := s.MarkSLANotified(ctx(t), conv, inbox.SLAAtRisk); ok {
		t.Error("MarkSLANotified of the same state twice: got true, want false")
	}
	if ids, err := s.FindUserIDsByRole(ctx(t), inbox.RoleSupervisor); err != nil || !slices.Equal(ids, []int64{sup.ID}) {
		t.Errorf("FindUserIDsByRole: got %v, %v, want [%d]", ids, err, sup.ID)
	}
	backlog, err := s.FindBacklog(ctx(t))
	if err != nil || len(backlog) != 1 || backlog[0].Count != 1 || backlog[0].Status != inbox.StatusNew {
		t.Errorf("FindBacklog: got %v, %v, want one new", backlog, err)
	}
	// Measured at its latest change, it is not found again; a later
	// change finds it.
	if inputs, err := s.FindSLAInputs(ctx(t), time.Time{}, 0, 10); err != nil || len(inputs) != 0 {
		t.Errorf("FindSLAInputs after its metrics were saved: got %d, %v, want none", len(inputs), err)
	}
	apply(t, s, Event("psid_1", "m_3", T0.Add(2*time.Hour)))
	inputs, err = s.FindSLAInputs(ctx(t), time.Time{}, 0, 10)
	if err != nil || len(inputs) != 1 || inputs[0].Conversation.ID != conv {
		t.Errorf("FindSLAInputs after a new message: got %d, %v, want the conversation", len(inputs), err)
	}
}

// runReportCounts checks the summary's scan and the backlog's and hours'
// counts of the one conversation runMetrics measured: a message at T0,
// answered an hour later (not an inbound message), open, tagged badhus.
func runReportCounts(t *testing.T, s inbox.Store, fr time.Duration) {
	t.Helper()
	req := reportRange(T0.Add(-time.Hour), T0.Add(time.Hour))
	var scanned []time.Duration
	err := s.ScanReportRows(ctx(t), req, func(r *inbox.ReportRow) error {
		scanned = append(scanned, *r.FirstResponseBusiness)
		return nil
	})
	if err != nil || !slices.Equal(scanned, []time.Duration{fr}) {
		t.Errorf("ScanReportRows: got %v, %v, want one row answered in %v", scanned, err, fr)
	}
	q := inbox.BucketQuery{ReportRequest: req, Offsets: []inbox.ZoneOffset{{Seconds: 0}}, Size: 3600, Until: req.To}
	hours, err := s.CountInboundMessages(ctx(t), q)
	const friday9 = 4*24 + 9 // T0 in UTC, Monday 00:00 being hour 0
	if err != nil || len(hours) != 1 || hours[0].Hour != friday9 || hours[0].Messages != 1 ||
		!slices.Equal(hours[0].Group.Tags, []string{"badhus"}) {
		t.Errorf("CountInboundMessages: got %+v, %v, want one message tagged badhus in hour %d", hours, err, friday9)
	}
	q.Size = 24 * 3600
	backlog, err := s.CountBacklog(ctx(t), q)
	if err != nil || len(backlog) != 1 || backlog[0].Started != T0.Unix()/q.Size || backlog[0].Resolved != inbox.BucketNone ||
		backlog[0].Conversations != 1 {
		t.Errorf("CountBacklog: got %+v, %v, want one open conversation started on day %d", backlog, err, T0.Unix()/q.Size)
	}
}

// reportRange asks for the summary by tag, which reads every field.
func reportRange(from, to time.Time) inbox.ReportRequest {
	return inbox.ReportRequest{Kind: inbox.ReportSummary, GroupBy: inbox.GroupTag, From: from, To: to}
}
