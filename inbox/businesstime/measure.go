package businesstime

import (
	"encoding/json"
	"slices"
	"time"

	"inkorg/inbox"
)

// Measure computes the clocks and the SLA state of one conversation at now.
// linksAnswer reports whether a reply text links a page of the answer bank;
// nil means none does.
func (s *SLA) Measure(in *inbox.SLAInput, linksAnswer func(text string) bool, now time.Time) (*inbox.ConversationMetrics, error) {
	c := in.Conversation
	m := &inbox.ConversationMetrics{
		ConversationID: c.ID, Channel: c.Channel, AccountID: c.AccountID,
		AdministrationID: c.AdministrationID, AssigneeID: c.AssigneeID,
		Tags: slices.Clone(c.Tags), Status: c.Status,
		FirstMessageAt: c.FirstMessageAt, FirstResponseAt: c.FirstResponseAt, ResolvedAt: c.ResolvedAt,
		Replies: len(in.Replies), Reassignments: Reassignments(in.Audit),
		SourceUpdatedAt: c.UpdatedAt,
	}
	if c.Triage != nil {
		m.Language, m.Priority = c.Triage.Language, c.Triage.Priority
	}
	if linksAnswer != nil {
		m.AnswerLink = slices.ContainsFunc(in.Replies, linksAnswer)
	}
	if in.FirstInboundAt == nil {
		// Only the city has written: nobody waits for an answer.
		return m, nil
	}
	tl := timelineOf(c, *in.FirstInboundAt, in.Changes)
	if err := s.measureClocks(m, tl, now); err != nil {
		return nil, err
	}
	for _, sp := range statusSpans(tl.StatusChanges, inbox.StatusRouted, now) {
		m.Routed = true
		m.DepartmentWall += sp.end.Sub(sp.start)
		m.DepartmentBusiness += s.Calendar.Between(sp.start, sp.end)
	}
	// Spam is not answered, so it has no SLA.
	if c.Status == inbox.StatusSpam {
		return m, nil
	}
	if rule, ok := s.PolicyFor(c.Channel, m.Priority, c.AdministrationID); ok {
		st, err := s.status(rule, questionTimeline(in, tl), now)
		if err != nil {
			return nil, err
		}
		m.SLA = st
	}
	return m, nil
}

// timelineOf returns the conversation's timeline from the citizen's first
// message. Resolution and first response are clamped to it, so clocks
// that disagree by a little (platform time against server time) measure
// zero, not an error.
func timelineOf(c *inbox.Conversation, first time.Time, changes []inbox.StatusChange) Timeline {
	tl := Timeline{FirstInbound: first}
	if c.FirstResponseAt != nil {
		tl.FirstResponse = later(*c.FirstResponseAt, first)
	}
	if c.ResolvedAt != nil {
		tl.Resolved = later(*c.ResolvedAt, first)
	}
	for _, ch := range changes {
		tl.StatusChanges = append(tl.StatusChanges, StatusChange{At: ch.At, Status: ch.Status})
	}
	return tl
}

// questionTimeline returns the timeline of the citizen's current question,
// which the SLA measures. A conversation reopened by a citizen writing
// after it was resolved (a Messenger thread is one conversation for as
// long as the person writes) starts a new question at their first message
// since the resolution it was reopened from: its clock runs from that
// message to the first reply that went out after it, or to resolution if
// it is resolved again. Without such a message (never resolved, or
// reopened by staff) it is the conversation's timeline tl. The report
// figures (first response, resolution) stay the conversation's.
func questionTimeline(in *inbox.SLAInput, tl Timeline) Timeline {
	start := questionStart(in.Changes, in.LaterInbound)
	if start.IsZero() || !start.After(tl.FirstInbound) {
		return tl
	}
	q := Timeline{FirstInbound: start, StatusChanges: tl.StatusChanges}
	for _, at := range in.RepliedAt {
		if !at.Before(start) {
			q.FirstResponse = at
			break
		}
	}
	c := in.Conversation
	if c.Status == inbox.StatusResolved && c.ResolvedAt != nil {
		q.Resolved = later(*c.ResolvedAt, start)
	}
	return q
}

// questionStart returns the first of the citizen's messages (times, oldest
// first) after the resolution the conversation was last reopened from, or
// zero when it was never reopened after a resolution.
func questionStart(changes []inbox.StatusChange, inbound []time.Time) time.Time {
	sorted := slices.Clone(changes)
	slices.SortStableFunc(sorted, func(a, b inbox.StatusChange) int { return a.At.Compare(b.At) })
	var resolvedAt, reopenedFrom time.Time
	resolved := false
	for _, ch := range sorted {
		switch {
		case ch.Status == inbox.StatusResolved:
			resolvedAt, resolved = ch.At, true
		case resolved && ch.Status != inbox.StatusSpam:
			reopenedFrom, resolved = resolvedAt, false
		}
	}
	if reopenedFrom.IsZero() {
		return time.Time{}
	}
	for _, at := range inbound {
		if at.After(reopenedFrom) {
			return at
		}
	}
	return time.Time{}
}

// measureClocks sets the first-response and resolution durations of the
// clocks that have stopped.
func (s *SLA) measureClocks(m *inbox.ConversationMetrics, tl Timeline, now time.Time) error {
	if !tl.FirstResponse.IsZero() {
		ck, err := s.Calendar.Clock(tl, MetricFirstResponse, later(now, tl.FirstResponse))
		if err != nil {
			return err
		}
		m.FirstResponseWall, m.FirstResponseBusiness = &ck.Wall, &ck.Business
	}
	if !tl.Resolved.IsZero() {
		ck, err := s.Calendar.Clock(tl, MetricResolution, later(now, tl.Resolved))
		if err != nil {
			return err
		}
		m.ResolutionWall, m.ResolutionBusiness = &ck.Wall, &ck.Business
	}
	return nil
}

// status evaluates rule at now: the due time, when the clock becomes at
// risk, and the state.
func (s *SLA) status(rule Rule, tl Timeline, now time.Time) (*inbox.SLAStatus, error) {
	p := Policy{Metric: rule.Metric, Target: rule.Target, AtRisk: s.AtRisk}
	ev, err := s.Calendar.Evaluate(p, tl, now)
	if err != nil {
		return nil, err
	}
	st := &inbox.SLAStatus{
		Policy: rule.Name, StartedAt: tl.FirstInbound, DueAt: ev.Due, State: inbox.SLAState(ev.State),
		Running: !ev.Clock.Stopped && !ev.Clock.Waiting, Paused: ev.Clock.Waiting,
	}
	if s.AtRisk > 0 {
		risk := s.Calendar.due(tl, ev.Clock, time.Duration(s.AtRisk*float64(rule.Target)))
		st.AtRiskAt = &risk
	}
	return st, nil
}

// statusSpans returns the spans the conversation spent in status, up to
// now for one it is still in.
func statusSpans(changes []StatusChange, status inbox.Status, now time.Time) []span {
	sorted := slices.Clone(changes)
	slices.SortStableFunc(sorted, func(a, b StatusChange) int { return a.At.Compare(b.At) })
	var out []span
	var since time.Time
	in := false
	for _, ch := range sorted {
		switch is := ch.Status == status; {
		case is && !in:
			since, in = ch.At, true
		case !is && in:
			out = append(out, span{since, ch.At})
			in = false
		}
	}
	if in && now.After(since) {
		out = append(out, span{since, now})
	}
	return out
}

// Reassignments counts the audit entries that moved a conversation from
// one assignee to another.
func Reassignments(entries []*inbox.AuditEntry) int {
	n := 0
	for _, e := range entries {
		var d inbox.AuditDetail
		if e.Detail == "" || json.Unmarshal([]byte(e.Detail), &d) != nil {
			continue
		}
		if d.Before.AssigneeID != 0 && d.After.AssigneeID != 0 && d.Before.AssigneeID != d.After.AssigneeID {
			n++
		}
	}
	return n
}
