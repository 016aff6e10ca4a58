package businesstime

import (
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

func change(at string, s inbox.Status) StatusChange { return StatusChange{At: st(at), Status: s} }

func TestEvaluate(t *testing.T) {
	c := Default()
	first2h := Policy{Metric: MetricFirstResponse, Target: 2 * time.Hour, AtRisk: 0.75}
	resolve4h := Policy{Metric: MetricResolution, Target: 4 * time.Hour, AtRisk: 0.75}
	tuesday := Timeline{FirstInbound: st("2026-11-24 09:00")}
	answered := func(at string) Timeline { tl := tuesday; tl.FirstResponse = st(at); return tl }
	type want struct {
		state            State
		due              time.Time
		business, wall   time.Duration
		waitingBusiness  time.Duration
		remaining        time.Duration
		stopped, waiting bool
	}
	tests := []struct {
		name   string
		policy Policy
		tl     Timeline
		now    time.Time
		want   want
	}{
		{"OK/Running", first2h, tuesday, st("2026-11-24 10:00"),
			want{state: StateOK, due: st("2026-11-24 11:00"), business: time.Hour, wall: time.Hour, remaining: time.Hour}},
		{"OK/AtRisk", first2h, tuesday, st("2026-11-24 10:40"),
			want{state: StateAtRisk, due: st("2026-11-24 11:00"), business: 100 * time.Minute, wall: 100 * time.Minute, remaining: 20 * time.Minute}},
		{"OK/AtDueInstant", first2h, tuesday, st("2026-11-24 11:00"),
			want{state: StateAtRisk, due: st("2026-11-24 11:00"), business: 2 * time.Hour, wall: 2 * time.Hour}},
		{"OK/AtRiskDisabled", Policy{Metric: MetricFirstResponse, Target: 2 * time.Hour}, tuesday, st("2026-11-24 10:40"),
			want{state: StateOK, due: st("2026-11-24 11:00"), business: 100 * time.Minute, wall: 100 * time.Minute, remaining: 20 * time.Minute}},
		{"OK/Breached", first2h, tuesday, st("2026-11-24 11:30"),
			want{state: StateBreached, due: st("2026-11-24 11:00"), business: 150 * time.Minute, wall: 150 * time.Minute}},
		{"OK/DueAtClosingBreachedInEvening", first2h, Timeline{FirstInbound: st("2026-11-24 14:30")}, st("2026-11-24 18:00"),
			want{state: StateBreached, due: st("2026-11-24 16:30"), business: 2 * time.Hour, wall: 210 * time.Minute}},
		{"OK/AnsweredInTime", first2h, answered("2026-11-24 10:30"), st("2026-11-24 15:00"),
			want{state: StateOK, due: st("2026-11-24 11:00"), business: 90 * time.Minute, wall: 90 * time.Minute, remaining: 30 * time.Minute, stopped: true}},
		{"OK/AnsweredAtDue", first2h, answered("2026-11-24 11:00"), st("2026-11-24 15:00"),
			want{state: StateOK, due: st("2026-11-24 11:00"), business: 2 * time.Hour, wall: 2 * time.Hour, stopped: true}},
		{"OK/AnsweredLate", first2h, answered("2026-11-24 11:15"), st("2026-11-24 15:00"),
			want{state: StateBreached, due: st("2026-11-24 11:00"), business: 135 * time.Minute, wall: 135 * time.Minute, stopped: true}},
		{"OK/AnswerAfterNowIgnored", first2h, answered("2026-11-24 11:15"), st("2026-11-24 10:00"),
			want{state: StateOK, due: st("2026-11-24 11:00"), business: time.Hour, wall: time.Hour, remaining: time.Hour}},
		{"OK/ResolvedWithoutAnswerStopsFirstResponse", first2h, Timeline{FirstInbound: st("2026-11-24 09:00"), Resolved: st("2026-11-24 09:20")}, st("2026-11-24 15:00"),
			want{state: StateOK, due: st("2026-11-24 11:00"), business: 20 * time.Minute, wall: 20 * time.Minute, remaining: 100 * time.Minute, stopped: true}},
		{"OK/OverWeekend", first2h, Timeline{FirstInbound: st("2026-11-27 16:00")}, st("2026-11-30 08:30"),
			want{state: StateOK, due: st("2026-11-30 09:30"), business: time.Hour, wall: 64*time.Hour + 30*time.Minute, remaining: time.Hour}},
		{"OK/ArrivesOnJulafton", first2h, Timeline{FirstInbound: st("2026-12-24 10:00")}, st("2026-12-27 12:00"),
			want{state: StateOK, due: st("2026-12-28 10:00"), wall: 74 * time.Hour, remaining: 2 * time.Hour}},
		{"OK/ArrivesOnSpringForwardWeekend", first2h, Timeline{FirstInbound: st("2026-03-28 10:00")}, st("2026-03-30 08:00"),
			want{state: StateOK, due: st("2026-03-30 10:00"), wall: 45 * time.Hour, remaining: 2 * time.Hour}},
		{"OK/WaitingExcluded", resolve4h, Timeline{FirstInbound: st("2026-11-24 09:00"), StatusChanges: []StatusChange{
			change("2026-11-24 13:00", inbox.StatusOpen), change("2026-11-24 09:30", inbox.StatusPending), // out of order on purpose
		}}, st("2026-11-24 14:00"),
			want{state: StateOK, due: st("2026-11-24 16:30"), business: 90 * time.Minute, wall: 90 * time.Minute, waitingBusiness: 210 * time.Minute, remaining: 150 * time.Minute}},
		{"OK/WaitingNow", resolve4h, Timeline{FirstInbound: st("2026-11-24 09:00"), StatusChanges: []StatusChange{
			change("2026-11-24 09:05", inbox.StatusOpen), change("2026-11-24 10:00", inbox.StatusPending),
		}}, st("2026-11-25 10:00"),
			want{state: StateOK, due: st("2026-11-25 13:00"), business: time.Hour, wall: time.Hour, waitingBusiness: 8*time.Hour + 30*time.Minute, remaining: 3 * time.Hour, waiting: true}},
		{"OK/BreachedBeforeWaiting", first2h, Timeline{FirstInbound: st("2026-11-24 09:00"), StatusChanges: []StatusChange{
			change("2026-11-24 12:00", inbox.StatusPending), change("2026-11-25 09:00", inbox.StatusOpen),
		}}, st("2026-11-25 10:00"),
			want{state: StateBreached, due: st("2026-11-24 11:00"), business: 4 * time.Hour, wall: 4 * time.Hour, waitingBusiness: 5*time.Hour + 30*time.Minute}},
		{"OK/RepeatedPendingCountsOnce", resolve4h, Timeline{FirstInbound: st("2026-11-24 09:00"), StatusChanges: []StatusChange{
			change("2026-11-24 10:00", inbox.StatusPending), change("2026-11-24 10:30", inbox.StatusPending),
			change("2026-11-24 11:00", inbox.StatusRouted), change("2026-11-24 12:00", inbox.StatusPending),
			change("2026-11-24 12:15", inbox.StatusOpen),
		}, Resolved: st("2026-11-24 14:00")}, st("2026-11-25 09:00"),
			want{state: StateOK, due: st("2026-11-24 14:15"), business: 225 * time.Minute, wall: 225 * time.Minute, waitingBusiness: 75 * time.Minute, remaining: 15 * time.Minute, stopped: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := c.Evaluate(tc.policy, tc.tl, tc.now)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			w := tc.want
			if ev.State != w.state {
				t.Errorf("state: got %s, want %s", ev.State, w.state)
			}
			if !ev.Due.Equal(w.due) {
				t.Errorf("due: got %s, want %s", ev.Due, w.due)
			}
			if ev.Remaining != w.remaining {
				t.Errorf("remaining: got %s, want %s", ev.Remaining, w.remaining)
			}
			ck := ev.Clock
			if ck.Business != w.business || ck.Wall != w.wall || ck.WaitingBusiness != w.waitingBusiness {
				t.Errorf("business, wall, waiting business: got %s, %s, %s, want %s, %s, %s",
					ck.Business, ck.Wall, ck.WaitingBusiness, w.business, w.wall, w.waitingBusiness)
			}
			if ck.Stopped != w.stopped || ck.Waiting != w.waiting {
				t.Errorf("stopped, waiting: got %v, %v, want %v, %v", ck.Stopped, ck.Waiting, w.stopped, w.waiting)
			}
			if raw := ck.End.Sub(ck.Start); ck.Wall+ck.WaitingWall != raw {
				t.Errorf("wall + waiting wall: got %s, want elapsed %s", ck.Wall+ck.WaitingWall, raw)
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	c := Default()
	ok := Policy{Metric: MetricFirstResponse, Target: time.Hour, AtRisk: 0.5}
	inbound := st("2026-11-24 09:00")
	tests := []struct {
		name   string
		policy Policy
		tl     Timeline
		want   string
	}{
		{"ErrMetric", Policy{Metric: "reply", Target: time.Hour}, Timeline{FirstInbound: inbound}, `unknown metric "reply"`},
		{"ErrTargetZero", Policy{Metric: MetricResolution}, Timeline{FirstInbound: inbound}, "target must be a positive"},
		{"ErrAtRiskOne", Policy{Metric: MetricResolution, Target: time.Hour, AtRisk: 1}, Timeline{FirstInbound: inbound}, "at-risk fraction"},
		{"ErrAtRiskNegative", Policy{Metric: MetricResolution, Target: time.Hour, AtRisk: -0.1}, Timeline{FirstInbound: inbound}, "at-risk fraction"},
		{"ErrNoInbound", ok, Timeline{}, "first inbound time is required"},
		{"ErrResponseBeforeInbound", ok, Timeline{FirstInbound: inbound, FirstResponse: inbound.Add(-time.Minute)}, "first response"},
		{"ErrResolvedBeforeInbound", ok, Timeline{FirstInbound: inbound, Resolved: inbound.Add(-time.Minute)}, "resolution"},
		{"ErrStatus", ok, Timeline{FirstInbound: inbound, StatusChanges: []StatusChange{{At: inbound, Status: "sleeping"}}}, `unknown status "sleeping"`},
		{"ErrStatusTime", ok, Timeline{FirstInbound: inbound, StatusChanges: []StatusChange{{Status: inbox.StatusPending}}}, "status change 0 has no time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Evaluate(tc.policy, tc.tl, inbound.Add(time.Hour))
			if got, want := inbox.ErrorCode(err), inbox.EINVALID; got != want {
				t.Fatalf("code: got %q (%v), want %q", got, err, want)
			}
			if got := inbox.ErrorMessage(err); !strings.Contains(got, tc.want) {
				t.Errorf("message: got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestClockBeforeInbound(t *testing.T) {
	ck, err := Default().Clock(Timeline{FirstInbound: st("2026-11-24 09:00")}, MetricResolution, st("2026-11-24 08:00"))
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if ck.Wall != 0 || ck.Business != 0 {
		t.Errorf("wall, business: got %s, %s, want 0, 0", ck.Wall, ck.Business)
	}
}
