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
	first := *in.FirstInboundAt
	m.FirstInboundAt = &first
	m.FirstResolvedAt = firstResolution(in.Changes, c.ResolvedAt, first)
	tl := timelineOf(c, *in.FirstInboundAt, in.Changes)
	q, firstQ, asked := questionTimeline(in, tl)
	q, open := unwithdrawn(in, q)
	// The reports count the first question: a citizen writing again does
	// not change the figures of the period it was asked in.
	reported := tl
	if asked {
		reported = firstQ
	}
	if err := s.measureClocks(m, reported, now); err != nil {
		return nil, err
	}
	m.FirstResponderID = firstResponder(in, reported)
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
		// A question whose every message was withdrawn has nothing to
		// answer, so it has no clock either.
		if open {
			st, err := s.status(rule, q, now)
			if err != nil {
				return nil, err
			}
			m.SLA = st
		}
		if asked {
			fq, err := s.status(rule, firstQ, now)
			if err != nil {
				return nil, err
			}
			m.FirstQuestionSLA = fq
		}
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
// which the SLA measures. A conversation a citizen wrote in again after it
// was resolved (a Messenger thread is one conversation for as long as the
// person writes) has a new question from their first message after the
// latest resolution they wrote after: its clock runs from that message to
// the first reply that went out after it, or to resolution if it is
// resolved again. Then asked is true and first is the timeline of the
// conversation's first question, from its first message to the first
// resolution, which the reports count. Otherwise (never resolved, or
// reopened by staff with no message since) the question is the
// conversation's timeline tl.
func questionTimeline(in *inbox.SLAInput, tl Timeline) (q, first Timeline, asked bool) {
	resolutions := resolvedTimes(in.Changes)
	start := questionStart(resolutions, in.LaterInbound)
	if start.IsZero() || !start.After(tl.FirstInbound) {
		return tl, Timeline{}, false
	}
	q = Timeline{FirstInbound: start, StatusChanges: tl.StatusChanges, FirstResponse: firstReplyIn(in.RepliedAt, start, time.Time{})}
	c := in.Conversation
	if c.Status == inbox.StatusResolved && c.ResolvedAt != nil {
		q.Resolved = later(*c.ResolvedAt, start)
	}
	// The citizen wrote after a resolution, so one came after their first
	// message.
	first = Timeline{FirstInbound: tl.FirstInbound, StatusChanges: tl.StatusChanges}
	for _, r := range resolutions {
		if !r.Before(tl.FirstInbound) {
			first.Resolved = r
			break
		}
	}
	first.FirstResponse = firstReplyIn(in.RepliedAt, first.FirstInbound, first.Resolved)
	return q, first, true
}

// unwithdrawn returns the question q with its clock started at the
// citizen's first message in it that was not withdrawn (unsent or removed)
// before a reply or a resolution answered it, and false when every message
// of the question was: nothing is left to answer, so no clock runs. A
// message withdrawn after it was answered counts as before.
func unwithdrawn(in *inbox.SLAInput, q Timeline) (Timeline, bool) {
	if in.Inbound == nil {
		return q, true
	}
	for _, m := range in.Inbound {
		if m.SentAt.Before(q.FirstInbound) {
			continue
		}
		if !q.Resolved.IsZero() && m.SentAt.After(q.Resolved) {
			break
		}
		answered := firstReplyIn(in.RepliedAt, m.SentAt, time.Time{})
		if !q.Resolved.IsZero() && (answered.IsZero() || q.Resolved.Before(answered)) {
			answered = q.Resolved
		}
		if m.WithdrawnAt != nil && (answered.IsZero() || m.WithdrawnAt.Before(answered)) {
			continue
		}
		if m.SentAt.After(q.FirstInbound) {
			q.FirstInbound, q.FirstResponse = m.SentAt, firstReplyIn(in.RepliedAt, m.SentAt, time.Time{})
		}
		return q, true
	}
	return q, false
}

// resolvedTimes returns when the conversation was resolved, oldest first.
func resolvedTimes(changes []inbox.StatusChange) []time.Time {
	var out []time.Time
	for _, ch := range changes {
		if ch.Status == inbox.StatusResolved {
			out = append(out, ch.At)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// firstResolution returns the first resolution in changes at or after
// first; without one, resolved (the conversation's resolution, which its
// history may predate) not before first; nil when neither is set.
func firstResolution(changes []inbox.StatusChange, resolved *time.Time, first time.Time) *time.Time {
	for _, r := range resolvedTimes(changes) {
		if !r.Before(first) {
			return &r
		}
	}
	if resolved == nil {
		return nil
	}
	r := later(*resolved, first)
	return &r
}

// questionStart returns the first of the citizen's messages (times, oldest
// first) after the latest resolution they wrote after, or zero when they
// never wrote after one.
func questionStart(resolutions, inbound []time.Time) time.Time {
	if len(inbound) == 0 {
		return time.Time{}
	}
	last := inbound[len(inbound)-1]
	for i := len(resolutions) - 1; i >= 0; i-- {
		if !last.After(resolutions[i]) {
			continue
		}
		for _, at := range inbound {
			if at.After(resolutions[i]) {
				return at
			}
		}
	}
	return time.Time{}
}

// firstReplyIn returns the first reply time at or after from and, unless
// to is zero, not after to; zero when there is none.
func firstReplyIn(replies []time.Time, from, to time.Time) time.Time {
	for _, at := range replies {
		if !at.Before(from) && (to.IsZero() || !at.After(to)) {
			return at
		}
	}
	return time.Time{}
}

// firstResponder returns the user who sent the first reply to the
// question of timeline tl (at or after its first message, and not after
// its resolution when it has one), 0 when none answered it or the reply
// has no user: the reports credit the conversation to whoever answered it,
// not to whoever holds it now.
func firstResponder(in *inbox.SLAInput, tl Timeline) int64 {
	for i, at := range in.RepliedAt {
		if at.Before(tl.FirstInbound) || (!tl.Resolved.IsZero() && at.After(tl.Resolved)) {
			continue
		}
		if i < len(in.RepliedBy) {
			return in.RepliedBy[i]
		}
		return 0
	}
	return 0
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
