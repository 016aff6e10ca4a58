package businesstime

import (
	"fmt"
	"slices"
	"time"

	"inkorg/inbox"
)

// Metric is what an SLA clock measures.
type Metric string

// Metrics.
const (
	// MetricFirstResponse runs from the first inbound message to the first
	// reply from staff.
	MetricFirstResponse Metric = "first_response"
	// MetricResolution runs from the first inbound message to resolution.
	MetricResolution Metric = "resolution"
)

// Valid reports whether m is a known metric.
func (m Metric) Valid() bool { return m == MetricFirstResponse || m == MetricResolution }

// StatusChange is a conversation entering Status at At.
type StatusChange struct {
	At     time.Time
	Status inbox.Status
}

// Timeline is what a conversation's clocks are computed from. Zero times
// mean "not yet". The conversation is taken to be waiting on no one before
// its first status change.
type Timeline struct {
	FirstInbound  time.Time
	StatusChanges []StatusChange
	FirstResponse time.Time
	Resolved      time.Time
}

// Validate reports the first thing wrong with tl as an EINVALID error.
func (tl Timeline) Validate() error {
	switch {
	case tl.FirstInbound.IsZero():
		return invalidf("timeline: first inbound time is required")
	case !tl.FirstResponse.IsZero() && tl.FirstResponse.Before(tl.FirstInbound):
		return invalidf("timeline: first response %s is before first inbound %s", tl.FirstResponse.Format(time.RFC3339), tl.FirstInbound.Format(time.RFC3339))
	case !tl.Resolved.IsZero() && tl.Resolved.Before(tl.FirstInbound):
		return invalidf("timeline: resolution %s is before first inbound %s", tl.Resolved.Format(time.RFC3339), tl.FirstInbound.Format(time.RFC3339))
	}
	for i, ch := range tl.StatusChanges {
		if ch.At.IsZero() {
			return invalidf("timeline: status change %d has no time", i)
		}
		if !ch.Status.Valid() {
			return invalidf("timeline: status change %d has unknown status %q", i, ch.Status)
		}
	}
	return nil
}

// Waiting reports whether a conversation in status s is waiting on the
// citizen. Time spent waiting is not counted by the SLA clocks.
func Waiting(s inbox.Status) bool { return s == inbox.StatusPending }

// Clock is one measured clock of a conversation. Wall and Business exclude
// the time spent waiting on the citizen, which is given separately, so the
// raw elapsed time is Wall + WaitingWall.
type Clock struct {
	Metric  Metric
	Start   time.Time // first inbound message
	End     time.Time // when the clock stopped, or now while it runs
	Stopped bool
	Waiting bool // a running clock paused: waiting on the citizen now

	Wall            time.Duration
	Business        time.Duration
	WaitingWall     time.Duration
	WaitingBusiness time.Duration
}

// stopTime returns when the clock for m stops, or zero while it runs. The
// first-response clock also stops at resolution: a conversation closed
// without a reply has nothing left to answer.
func (tl Timeline) stopTime(m Metric) time.Time {
	if m == MetricFirstResponse && !tl.FirstResponse.IsZero() {
		return tl.FirstResponse
	}
	return tl.Resolved
}

// Clock measures metric m of the conversation in tl at now, in wall-clock
// and business time. A now before the first inbound message measures zero.
func (c *Calendar) Clock(tl Timeline, m Metric, now time.Time) (Clock, error) {
	if !m.Valid() {
		return Clock{}, invalidf("unknown SLA metric %q; want %q or %q", m, MetricFirstResponse, MetricResolution)
	}
	if err := tl.Validate(); err != nil {
		return Clock{}, err
	}
	ck := Clock{Metric: m, Start: tl.FirstInbound, End: now}
	if stop := tl.stopTime(m); !stop.IsZero() && !stop.After(now) {
		ck.End, ck.Stopped = stop, true
	}
	ck.End = later(ck.End, ck.Start)
	waits := waitingSpans(tl.StatusChanges, ck.Start, ck.End)
	for _, w := range waits {
		ck.WaitingWall += w.end.Sub(w.start)
		ck.WaitingBusiness += c.Between(w.start, w.end)
	}
	ck.Waiting = !ck.Stopped && waitingAt(tl.StatusChanges, ck.End)
	ck.Wall = ck.End.Sub(ck.Start) - ck.WaitingWall
	ck.Business = c.Between(ck.Start, ck.End) - ck.WaitingBusiness
	return ck, nil
}

// waitingSpans returns the spans within [start, end] during which the
// conversation waited on the citizen, in time order.
func waitingSpans(changes []StatusChange, start, end time.Time) []span {
	sorted := slices.Clone(changes)
	slices.SortStableFunc(sorted, func(a, b StatusChange) int { return a.At.Compare(b.At) })
	var out []span
	var since time.Time
	waiting := false
	closeSpan := func(at time.Time) {
		s := span{later(since, start), earlier(at, end)}
		if s.end.After(s.start) {
			out = append(out, s)
		}
	}
	for _, ch := range sorted {
		switch w := Waiting(ch.Status); {
		case w && !waiting:
			since, waiting = ch.At, true
		case !w && waiting:
			closeSpan(ch.At)
			waiting = false
		}
	}
	if waiting {
		closeSpan(end)
	}
	return out
}

// waitingAt reports whether the last status change at or before t is a
// waiting status.
func waitingAt(changes []StatusChange, t time.Time) bool {
	var last *StatusChange
	for i, ch := range changes {
		if !ch.At.After(t) && (last == nil || !ch.At.Before(last.At)) {
			last = &changes[i]
		}
	}
	return last != nil && Waiting(last.Status)
}

// State is where an SLA clock stands against its policy.
type State string

// States.
const (
	StateOK       State = "ok"
	StateAtRisk   State = "at_risk"
	StateBreached State = "breached"
)

// Policy is an SLA target for one metric, in business time.
type Policy struct {
	Metric Metric
	Target time.Duration
	// AtRisk is the fraction of Target after which a running clock is at
	// risk, such as 0.75. Zero means a clock is never reported at risk.
	AtRisk float64
}

// Validate reports the first thing wrong with p as an EINVALID error.
func (p Policy) Validate() error {
	switch {
	case !p.Metric.Valid():
		return invalidf("SLA policy: unknown metric %q; want %q or %q", p.Metric, MetricFirstResponse, MetricResolution)
	case p.Target <= 0:
		return invalidf("SLA policy: target must be a positive business duration, got %s", p.Target)
	case p.AtRisk < 0 || p.AtRisk >= 1:
		return invalidf("SLA policy: at-risk fraction must be at least 0 and below 1, got %s", fmt.Sprint(p.AtRisk))
	}
	return nil
}

// Evaluation is an SLA clock held against its policy at a moment.
type Evaluation struct {
	Clock Clock
	// Due is when the target's business time runs out. While the clock is
	// paused (waiting on the citizen) Due assumes it restarts at now, so it
	// moves later for as long as the wait lasts.
	Due time.Time
	// Remaining is the business time left before Due, 0 once it has passed.
	Remaining time.Duration
	State     State
}

// Evaluate holds the conversation in tl against p at now. A stopped clock is
// ok if it stopped by its due time and breached otherwise; a running one is
// breached once now is past its due time and at risk once it has used the
// policy's at-risk fraction of the target.
func (c *Calendar) Evaluate(p Policy, tl Timeline, now time.Time) (Evaluation, error) {
	if err := p.Validate(); err != nil {
		return Evaluation{}, err
	}
	ck, err := c.Clock(tl, p.Metric, now)
	if err != nil {
		return Evaluation{}, err
	}
	ev := Evaluation{Clock: ck, Due: c.due(tl, ck, p.Target), Remaining: max(p.Target-ck.Business, 0)}
	switch {
	case ck.End.After(ev.Due):
		ev.State = StateBreached
	case !ck.Stopped && p.AtRisk > 0 && float64(ck.Business) >= p.AtRisk*float64(p.Target):
		ev.State = StateAtRisk
	default:
		ev.State = StateOK
	}
	return ev, nil
}

// due finds the instant the clock's business time reaches target: inside a
// past running span if it has already run out, else projected from End.
func (c *Calendar) due(tl Timeline, ck Clock, target time.Duration) time.Time {
	left := target
	at := ck.Start
	for _, w := range append(waitingSpans(tl.StatusChanges, ck.Start, ck.End), span{ck.End, ck.End}) {
		used := c.Between(at, w.start)
		if used >= left {
			return c.Add(at, left)
		}
		left -= used
		at = w.end
	}
	return c.Add(ck.End, left)
}
