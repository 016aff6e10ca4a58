package businesstime

import "time"

// Between returns the business time from from to to: the real time elapsed
// between them that falls within opening hours. It is 0 when to is not after
// from.
func (c *Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	var total time.Duration
	var buf [4]span
	last := c.dateOf(to)
	for d := c.dateOf(from); !last.before(d); d = d.next() {
		for _, s := range c.spansOn(buf[:0], d) {
			total += overlap(s, from, to)
		}
	}
	return total
}

// overlap returns how long s and [from, to) have in common.
func overlap(s span, from, to time.Time) time.Duration {
	start, end := later(s.start, from), earlier(s.end, to)
	if !end.After(start) {
		return 0
	}
	return end.Sub(start)
}

// Add returns the instant at which d of business time has passed since t:
// the due time of something that must be done within d business time. When
// the time runs out exactly at closing, the result is the closing time, not
// the next opening. A d of 0 or less returns t.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 || !c.anyOpen {
		return t
	}
	var buf [4]span
	for day := c.dateOf(t); ; day = day.next() {
		for _, s := range c.spansOn(buf[:0], day) {
			if !s.end.After(t) {
				continue
			}
			start := later(s.start, t)
			avail := s.end.Sub(start)
			if avail >= d {
				return start.Add(d).In(c.loc)
			}
			d -= avail
		}
	}
}

// NextOpen returns t if the calendar is open at t, else the next opening
// time after t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if !c.anyOpen {
		return t
	}
	var buf [4]span
	for day := c.dateOf(t); ; day = day.next() {
		for _, s := range c.spansOn(buf[:0], day) {
			if s.end.After(t) {
				return later(s.start, t).In(c.loc)
			}
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
