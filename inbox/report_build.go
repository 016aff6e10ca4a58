package inbox

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Report is a built report. Exactly one of Summary, Backlog and Hours is
// set, as Kind says.
type Report struct {
	Kind     ReportKind `json:"report"`
	From     string     `json:"from"` // first day, YYYY-MM-DD
	To       string     `json:"to"`   // last day, included
	GroupBy  GroupBy    `json:"group_by,omitempty"`
	TimeZone string     `json:"time_zone"`

	Summary []SummaryRow `json:"summary,omitempty"`
	Backlog []BacklogDay `json:"backlog,omitempty"`
	Hours   []HourCell   `json:"hours,omitempty"`
}

// MarshalJSON writes the report with the list its kind has always there,
// [] when it is empty (a backlog of days still to come), and the others
// left out.
func (r Report) MarshalJSON() ([]byte, error) {
	type head struct {
		Kind     ReportKind `json:"report"`
		From     string     `json:"from"`
		To       string     `json:"to"`
		GroupBy  GroupBy    `json:"group_by,omitempty"`
		TimeZone string     `json:"time_zone"`
	}
	h := head{Kind: r.Kind, From: r.From, To: r.To, GroupBy: r.GroupBy, TimeZone: r.TimeZone}
	switch r.Kind {
	case ReportSummary:
		return json.Marshal(struct {
			head
			Summary []SummaryRow `json:"summary"`
		}{h, nonNil(r.Summary)})
	case ReportBacklog:
		return json.Marshal(struct {
			head
			Backlog []BacklogDay `json:"backlog"`
		}{h, nonNil(r.Backlog)})
	case ReportHours:
		return json.Marshal(struct {
			head
			Hours []HourCell `json:"hours"`
		}{h, nonNil(r.Hours)})
	}
	type plain Report
	return json.Marshal(plain(r))
}

// nonNil returns s, or an empty slice for nil.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Percentiles of durations, in seconds, by the nearest-rank method: p50
// is the smallest value at least half of the values are at or below.
// They are nil when Count is 0.
type Percentiles struct {
	Count int      `json:"count"`
	P50   *float64 `json:"p50_seconds"`
	P90   *float64 `json:"p90_seconds"`
	P95   *float64 `json:"p95_seconds"`
}

// SummaryRow is one group of the summary report, over the conversations
// that started within the range. Shares are percentages, nil when there
// is nothing to divide by.
type SummaryRow struct {
	Group         string `json:"group"`
	Label         string `json:"label"`
	Conversations int    `json:"conversations"`
	Answered      int    `json:"answered"`
	Resolved      int    `json:"resolved"`
	Replies       int    `json:"replies"`
	Reassignments int    `json:"reassignments"`

	FirstResponseBusiness Percentiles `json:"first_response_business"`
	FirstResponseWall     Percentiles `json:"first_response_wall"`
	ResolutionBusiness    Percentiles `json:"resolution_business"`
	ResolutionWall        Percentiles `json:"resolution_wall"`

	// SLAEvaluated counts conversations with a policy whose clock stopped
	// or breached; SLAMet those that stopped in time.
	SLAEvaluated  int      `json:"sla_evaluated"`
	SLAMet        int      `json:"sla_met"`
	SLAAttainment *float64 `json:"sla_attainment_percent"`

	// AnswerLinkShare is the share of answered conversations whose reply
	// links a page of the answer bank.
	AnswerLinkShare *float64 `json:"answer_link_percent"`

	Routed             int         `json:"routed"`
	RoutedShare        *float64    `json:"routed_percent"`
	DepartmentBusiness Percentiles `json:"department_business"`
	DepartmentWall     Percentiles `json:"department_wall"`
}

// BacklogDay is the number of unresolved conversations of one group at the
// end of one day (or now, for today).
type BacklogDay struct {
	Date  string `json:"date"`
	Group string `json:"group"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// HourCell counts the inbound citizen messages of one group's
// conversations sent in one hour of one weekday (1 Monday … 7 Sunday) in
// the calendar's zone.
type HourCell struct {
	Group   string `json:"group"`
	Label   string `json:"label"`
	Weekday int    `json:"weekday"`
	Hour    int    `json:"hour"`
	Count   int    `json:"count"`
}

// TotalGroup is the group key of the row that sums all groups.
const TotalGroup = "*"

// groupKey is one group a row belongs to.
type groupKey struct{ key, label string }

// appendGroups appends the groups row belongs to under g to dst: one, or
// one per tag.
func appendGroups(dst []groupKey, r *ReportRow, g GroupBy) []groupKey {
	switch g {
	case GroupAdministration:
		return append(dst, orNone(r.AdministrationID, r.AdministrationID))
	case GroupChannel:
		return append(dst, groupKey{string(r.Channel), string(r.Channel)})
	case GroupAccount:
		if r.AccountID == 0 {
			return append(dst, groupKey{"0", "(okänt konto / unknown account)"})
		}
		return append(dst, groupKey{strconv.FormatInt(r.AccountID, 10), r.AccountName})
	case GroupAgent:
		if r.AssigneeID == 0 {
			return append(dst, groupKey{"0", "(ej tilldelad / unassigned)"})
		}
		return append(dst, groupKey{strconv.FormatInt(r.AssigneeID, 10), r.AssigneeName})
	case GroupLanguage:
		return append(dst, orNone(r.Language, r.Language))
	case GroupTag:
		if len(r.Tags) == 0 {
			return append(dst, orNone("", ""))
		}
		for _, t := range r.Tags {
			dst = append(dst, orNone(t, t))
		}
		return dst
	}
	return append(dst, groupKey{TotalGroup, "Totalt / Total"})
}

func orNone(key, label string) groupKey {
	if key == "" {
		return groupKey{"", "(ingen / none)"}
	}
	return groupKey{key, label}
}

// BuildReport computes the summary or backlog report req asks for from
// rows (as FindReportRows returns them) in zone loc at now, holding every
// row in memory. ReportService computes the same figures from what the
// store counts; the hours report counts messages, which rows do not
// carry, so only ReportService builds it.
func BuildReport(rows []ReportRow, req ReportRequest, loc *time.Location, now time.Time) *Report {
	rep := newReport(req, loc)
	switch req.Kind {
	case ReportSummary:
		rep.Summary = buildSummary(rows, req)
	case ReportBacklog:
		rep.Backlog = buildBacklog(rows, req, loc, now)
	}
	return rep
}

// newReport returns the report req asks for without its figures.
func newReport(req ReportRequest, loc *time.Location) *Report {
	return &Report{
		Kind: req.Kind, GroupBy: req.GroupBy, TimeZone: loc.String(),
		From: req.From.In(loc).Format(time.DateOnly),
		To:   req.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly),
	}
}

// inRange reports whether the conversation started within the request's range.
func (r ReportRequest) inRange(row *ReportRow) bool {
	return !row.FirstMessageAt.Before(r.From) && row.FirstMessageAt.Before(r.To)
}

// summaryAcc collects one group's figures.
type summaryAcc struct {
	row                    SummaryRow
	frB, frW, resB, resW   []time.Duration
	depB, depW             []time.Duration
	answeredWithLink, seen int
}

func (a *summaryAcc) add(r *ReportRow) {
	a.row.Conversations++
	a.row.Replies += r.Replies
	a.row.Reassignments += r.Reassignments
	if r.FirstResponseBusiness != nil {
		a.row.Answered++
		a.frB, a.frW = append(a.frB, *r.FirstResponseBusiness), append(a.frW, *r.FirstResponseWall)
		if r.AnswerLink {
			a.answeredWithLink++
		}
	}
	if r.ResolutionBusiness != nil {
		a.row.Resolved++
		a.resB, a.resW = append(a.resB, *r.ResolutionBusiness), append(a.resW, *r.ResolutionWall)
	}
	if r.SLA != SLANotCounted {
		a.row.SLAEvaluated++
		if r.SLA == SLAMet {
			a.row.SLAMet++
		}
	}
	if r.Routed {
		a.row.Routed++
		a.depB, a.depW = append(a.depB, r.DepartmentBusiness), append(a.depW, r.DepartmentWall)
	}
}

func (a *summaryAcc) finish() SummaryRow {
	row := a.row
	row.FirstResponseBusiness, row.FirstResponseWall = percentiles(a.frB), percentiles(a.frW)
	row.ResolutionBusiness, row.ResolutionWall = percentiles(a.resB), percentiles(a.resW)
	row.DepartmentBusiness, row.DepartmentWall = percentiles(a.depB), percentiles(a.depW)
	row.SLAAttainment = percent(row.SLAMet, row.SLAEvaluated)
	row.AnswerLinkShare = percent(a.answeredWithLink, row.Answered)
	row.RoutedShare = percent(row.Routed, row.Conversations)
	return row
}

func buildSummary(rows []ReportRow, req ReportRequest) []SummaryRow {
	sum := newSummarizer(req.GroupBy)
	for i := range rows {
		if req.inRange(&rows[i]) {
			sum.add(&rows[i])
		}
	}
	return sum.finish()
}

// summarizer collects the summary's groups one row at a time.
type summarizer struct {
	by     GroupBy
	total  *summaryAcc
	groups map[string]*summaryAcc
	keys   []groupKey
}

func newSummarizer(by GroupBy) *summarizer {
	return &summarizer{by: by, total: &summaryAcc{row: SummaryRow{Group: TotalGroup, Label: "Totalt / Total"}}, groups: map[string]*summaryAcc{}}
}

func (s *summarizer) add(r *ReportRow) {
	s.total.add(r)
	if s.by == GroupNone {
		return
	}
	s.keys = appendGroups(s.keys[:0], r, s.by)
	for _, g := range s.keys {
		acc := s.groups[g.key]
		if acc == nil {
			acc = &summaryAcc{row: SummaryRow{Group: g.key, Label: g.label}}
			s.groups[g.key] = acc
		}
		acc.add(r)
	}
}

// finish returns the total, then the groups by size, largest first.
func (s *summarizer) finish() []SummaryRow {
	out := []SummaryRow{s.total.finish()}
	for _, acc := range s.groups {
		out = append(out, acc.finish())
	}
	slices.SortFunc(out[1:], func(a, b SummaryRow) int {
		return cmp.Or(cmp.Compare(b.Conversations, a.Conversations), cmp.Compare(a.Group, b.Group))
	})
	return out
}

// percentiles returns the nearest-rank p50, p90 and p95 of ds in seconds,
// reordering ds.
func percentiles(ds []time.Duration) Percentiles {
	p := Percentiles{Count: len(ds)}
	if len(ds) == 0 {
		return p
	}
	// The ranks from the highest down: each selection leaves the smaller
	// values before it, where the next one looks.
	rank := func(q float64, within []time.Duration) (*float64, []time.Duration) {
		i := max(int(math.Ceil(q*float64(len(ds))))-1, 0)
		selectNth(within, i)
		v := math.Round(within[i].Seconds()*1000) / 1000
		return &v, within[:i+1]
	}
	var rest []time.Duration
	p.P95, rest = rank(0.95, ds)
	p.P90, rest = rank(0.90, rest)
	p.P50, _ = rank(0.50, rest)
	return p
}

// percent returns n of d as a percentage rounded to one decimal, nil for d 0.
func percent(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := math.Round(1000*float64(n)/float64(d)) / 10
	return &v
}

// buildBacklog counts, for each day, the conversations that had started
// and were not resolved at the day's end; for today, at now.
func buildBacklog(rows []ReportRow, req ReportRequest, loc *time.Location, now time.Time) []BacklogDay {
	type times struct {
		label            string
		starts, resolved []time.Time
	}
	groups := map[string]*times{}
	var keys []groupKey
	for i := range rows {
		r := &rows[i]
		keys = appendGroups(keys[:0], r, req.GroupBy)
		for _, g := range keys {
			t := groups[g.key]
			if t == nil {
				t = &times{label: g.label}
				groups[g.key] = t
			}
			t.starts = append(t.starts, r.FirstMessageAt)
			if r.ResolvedAt != nil {
				t.resolved = append(t.resolved, later(*r.ResolvedAt, r.FirstMessageAt))
			}
		}
	}
	names := make([]string, 0, len(groups))
	for k, t := range groups {
		names = append(names, k)
		slices.SortFunc(t.starts, time.Time.Compare)
		slices.SortFunc(t.resolved, time.Time.Compare)
	}
	slices.Sort(names)
	var out []BacklogDay
	for day := req.From.In(loc); day.Before(req.To); day = nextDay(day, loc) {
		end := nextDay(day, loc)
		if day.After(now) {
			break
		}
		if end.After(now) {
			end = now
		}
		for _, k := range names {
			t := groups[k]
			n := countBefore(t.starts, end) - countBefore(t.resolved, end)
			out = append(out, BacklogDay{Date: day.Format(time.DateOnly), Group: k, Label: t.label, Count: n})
		}
	}
	return out
}

// nextDay returns midnight of the day after day in loc, across DST changes.
func nextDay(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// countBefore returns how many of the sorted times are before t.
func countBefore(sorted []time.Time, t time.Time) int {
	return sort.Search(len(sorted), func(i int) bool { return !sorted[i].Before(t) })
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
