package inbox

import (
	"context"
	"slices"
	"time"
)

// BucketQuery asks a store to count a report's events in buckets of local
// time. The local time of an instant t is t plus the offset in force at t;
// its bucket is the number of whole Size-second spans between 1970-01-01
// 00:00 local time and it. Buckets of 86,400 s are local days, of 3,600 s
// local hours, across daylight-saving changes.
type BucketQuery struct {
	ReportRequest
	// Offsets are the zone's offsets over the range, oldest first; the
	// first is also in force before its Start.
	Offsets []ZoneOffset
	// Size is the length of a bucket in seconds.
	Size int64
	// Until: events at or after it go to BucketAfter.
	Until time.Time
}

// ZoneOffset is a time zone's offset east of UTC, in seconds, from Start on.
type ZoneOffset struct {
	Start   time.Time
	Seconds int64
}

// Buckets that are not a span of local time.
const (
	// BucketBefore holds events before the range.
	BucketBefore int64 = -1
	// BucketAfter holds events at or after the query's Until.
	BucketAfter int64 = -2
	// BucketNone stands for an event that did not happen (not resolved).
	BucketNone int64 = -3
)

// BacklogCount is the number of conversations of one group that started
// in one bucket and were resolved in another (BucketNone when they were
// not).
type BacklogCount struct {
	// Group holds the fields the grouping reads: Channel, AccountID and
	// AccountName, AdministrationID, AssigneeID and AssigneeName, Language
	// or Tags. Counts of one group may share it.
	Group             *ReportRow
	Started, Resolved int64
	Conversations     int
}

// HourCount is the number of inbound messages of one group sent within
// one hour of the week in local time: Hour 0 is Monday 00:00–01:00, 167
// Sunday 23:00–24:00.
type HourCount struct {
	Group    *ReportRow // as in BacklogCount
	Hour     int64
	Messages int
}

// zoneOffsets returns the offsets of loc over [from, to).
func zoneOffsets(loc *time.Location, from, to time.Time) []ZoneOffset {
	var out []ZoneOffset
	for t := from.In(loc); ; {
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		out = append(out, ZoneOffset{Start: start, Seconds: int64(off)})
		if end.IsZero() || !end.Before(to) {
			return out
		}
		t = end.In(loc)
	}
}

// Local returns the bucket of local time t falls in, before or after the
// range or not.
func (q BucketQuery) Local(t time.Time) int64 {
	off := q.Offsets[0].Seconds
	for _, o := range q.Offsets[1:] {
		if t.Before(o.Start) {
			break
		}
		off = o.Seconds
	}
	return floorDiv(t.Unix()+off, q.Size)
}

// Bucket returns the bucket an event at t is counted in.
func (q BucketQuery) Bucket(t time.Time) int64 {
	switch {
	case !t.Before(q.Until):
		return BucketAfter
	case t.Before(q.From):
		return BucketBefore
	}
	return q.Local(t)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (s *ReportService) bucketQuery(req ReportRequest, size int64, until time.Time) BucketQuery {
	return BucketQuery{ReportRequest: req, Offsets: zoneOffsets(s.Location, req.From, req.To), Size: size, Until: until}
}

// summary computes the summary from the conversations the store scans.
func (s *ReportService) summary(ctx context.Context, req ReportRequest) ([]SummaryRow, error) {
	sum := newSummarizer(req.GroupBy)
	err := s.Store.ScanReportRows(ctx, req, func(r *ReportRow) error {
		sum.add(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum.finish(), nil
}

// backlog computes the backlog at the end of each day (at now for today)
// from conversations counted by the days they started and were first
// resolved.
func (s *ReportService) backlog(ctx context.Context, req ReportRequest, now time.Time) ([]BacklogDay, error) {
	q := s.bucketQuery(req, 24*60*60, minTime(req.To, now))
	counts, err := s.Store.CountBacklog(ctx, q)
	if err != nil {
		return nil, err
	}
	type group struct {
		label string
		open  int           // started before the range and still open at its start
		net   map[int64]int // started less resolved, by day
	}
	groups := map[string]*group{}
	var keys []groupKey
	for i := range counts {
		c := &counts[i]
		keys = appendGroups(keys[:0], c.Group, req.GroupBy)
		for _, k := range keys {
			g := groups[k.key]
			if g == nil {
				g = &group{label: k.label, net: map[int64]int{}}
				groups[k.key] = g
			}
			for _, ev := range [2]struct {
				bucket int64
				n      int
			}{{c.Started, c.Conversations}, {c.Resolved, -c.Conversations}} {
				switch ev.bucket {
				case BucketBefore:
					g.open += ev.n
				case BucketAfter, BucketNone:
				default:
					g.net[ev.bucket] += ev.n
				}
			}
		}
	}
	names := make([]string, 0, len(groups))
	for k := range groups {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []BacklogDay
	for day := req.From.In(s.Location); day.Before(req.To) && !day.After(now); day = nextDay(day, s.Location) {
		d := q.Local(day)
		for _, k := range names {
			g := groups[k]
			g.open += g.net[d]
			out = append(out, BacklogDay{Date: day.Format(time.DateOnly), Group: k, Label: g.label, Count: g.open})
		}
	}
	return out, nil
}

// hours lays out the inbound messages the store counts by local hour as
// weekday × hour cells per group.
func (s *ReportService) hours(ctx context.Context, req ReportRequest) ([]HourCell, error) {
	counts, err := s.Store.CountInboundMessages(ctx, s.bucketQuery(req, 60*60, req.To))
	if err != nil {
		return nil, err
	}
	type cells struct {
		label string
		n     [7][24]int
	}
	groups := map[string]*cells{}
	var keys []groupKey
	for i := range counts {
		c := &counts[i]
		if c.Hour < 0 || c.Hour >= 7*24 {
			return nil, Errorf(EINTERNAL, "The store counted messages in hour %d of the week.", c.Hour)
		}
		wd, h := c.Hour/24, c.Hour%24
		keys = appendGroups(keys[:0], c.Group, req.GroupBy)
		for _, k := range keys {
			g := groups[k.key]
			if g == nil {
				g = &cells{label: k.label}
				groups[k.key] = g
			}
			g.n[wd][h] += c.Messages
		}
	}
	names := make([]string, 0, len(groups))
	for k := range groups {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]HourCell, 0, 7*24*len(names))
	for _, k := range names {
		g := groups[k]
		for wd := range 7 {
			for h := range 24 {
				out = append(out, HourCell{Group: k, Label: g.label, Weekday: wd + 1, Hour: h, Count: g.n[wd][h]})
			}
		}
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
