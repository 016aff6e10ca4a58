package businesstime

import (
	"testing"
	"time"
)

// BenchmarkBetweenYear measures business time over one year, the longest
// range a report asks for.
func BenchmarkBetweenYear(b *testing.B) {
	c := Default()
	from, to := st("2026-01-01 09:13"), st("2027-01-01 09:13")
	c.Between(from, to) // fill the holiday cache outside the timing
	b.ResetTimer()
	for b.Loop() {
		if got, want := c.Between(from, to), 251*(8*time.Hour+30*time.Minute); got != want {
			b.Fatalf("got %s, want %s", got, want)
		}
	}
}

// BenchmarkBetweenDay measures the common case: a conversation answered
// within a day or two.
func BenchmarkBetweenDay(b *testing.B) {
	c := Default()
	from, to := st("2026-11-24 15:00"), st("2026-11-25 09:30")
	for b.Loop() {
		c.Between(from, to)
	}
}

// BenchmarkAddYear measures a due time a year of business hours away.
func BenchmarkAddYear(b *testing.B) {
	c := Default()
	from := st("2026-01-01 09:13")
	for b.Loop() {
		c.Add(from, 251*(8*time.Hour+30*time.Minute))
	}
}

// BenchmarkEvaluate measures one SLA evaluation with a wait on the citizen.
func BenchmarkEvaluate(b *testing.B) {
	c := Default()
	p := Policy{Metric: MetricResolution, Target: 4 * time.Hour, AtRisk: 0.75}
	tl := Timeline{FirstInbound: st("2026-11-24 09:00"), StatusChanges: []StatusChange{
		{At: st("2026-11-24 10:00"), Status: "pending"}, {At: st("2026-11-25 10:00"), Status: "open"},
	}}
	now := st("2026-11-26 10:00")
	for b.Loop() {
		if _, err := c.Evaluate(p, tl, now); err != nil {
			b.Fatal(err)
		}
	}
}
