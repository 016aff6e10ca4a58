package inbox

import (
	"cmp"
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

// HourCell counts the conversations of one group that started in one
// hour of one weekday (1 Monday … 7 Sunday) in the calendar's zone.
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

// groupsOf returns the groups row belongs to under g: one, or one per tag.
func groupsOf(r *ReportRow, g GroupBy) []groupKey {
	switch g {
	case GroupAdministration:
		return []groupKey{orNone(r.AdministrationID, r.AdministrationID)}
	case GroupChannel:
		return []groupKey{{string(r.Channel), string(r.Channel)}}
	case GroupAccount:
		if r.AccountID == 0 {
			return []groupKey{{"0", "(okänt konto / unknown account)"}}
		}
		return []groupKey{{strconv.FormatInt(r.AccountID, 10), r.AccountName}}
	case GroupAgent:
		if r.AssigneeID == 0 {
			return []groupKey{{"0", "(ej tilldelad / unassigned)"}}
		}
		return []groupKey{{strconv.FormatInt(r.AssigneeID, 10), r.AssigneeName}}
	case GroupLanguage:
		return []groupKey{orNone(r.Language, r.Language)}
	case GroupTag:
		if len(r.Tags) == 0 {
			return []groupKey{orNone("", "")}
		}
		out := make([]groupKey, len(r.Tags))
		for i, t := range r.Tags {
			out[i] = groupKey{t, t}
		}
		return out
	}
	return []groupKey{{TotalGroup, "Totalt / Total"}}
}

func orNone(key, label string) groupKey {
	if key == "" {
		return groupKey{"", "(ingen / none)"}
	}
	return groupKey{key, label}
}

// BuildReport computes the report req asks for from rows (as
// FindReportRows returns them) in zone loc at now.
func BuildReport(rows []ReportRow, req ReportRequest, loc *time.Location, now time.Time) *Report {
	rep := &Report{
		Kind: req.Kind, GroupBy: req.GroupBy, TimeZone: loc.String(),
		From: req.From.In(loc).Format(time.DateOnly),
		To:   req.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly),
	}
	switch req.Kind {
	case ReportSummary:
		rep.Summary = buildSummary(rows, req)
	case ReportBacklog:
		rep.Backlog = buildBacklog(rows, req, loc, now)
	case ReportHours:
		rep.Hours = buildHours(rows, req, loc)
	}
	return rep
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
	total := &summaryAcc{row: SummaryRow{Group: TotalGroup, Label: "Totalt / Total"}}
	groups := map[string]*summaryAcc{}
	for i := range rows {
		r := &rows[i]
		if !req.inRange(r) {
			continue
		}
		total.add(r)
		if req.GroupBy == GroupNone {
			continue
		}
		for _, g := range groupsOf(r, req.GroupBy) {
			acc := groups[g.key]
			if acc == nil {
				acc = &summaryAcc{row: SummaryRow{Group: g.key, Label: g.label}}
				groups[g.key] = acc
			}
			acc.add(r)
		}
	}
	out := []SummaryRow{total.finish()}
	for _, acc := range groups {
		out = append(out, acc.finish())
	}
	slices.SortFunc(out[1:], func(a, b SummaryRow) int {
		return cmp.Or(cmp.Compare(b.Conversations, a.Conversations), cmp.Compare(a.Group, b.Group))
	})
	return out
}

// percentiles returns the nearest-rank p50, p90 and p95 of ds in seconds.
func percentiles(ds []time.Duration) Percentiles {
	p := Percentiles{Count: len(ds)}
	if len(ds) == 0 {
		return p
	}
	slices.Sort(ds)
	rank := func(q float64) *float64 {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		v := math.Round(ds[max(i, 0)].Seconds()*1000) / 1000
		return &v
	}
	p.P50, p.P90, p.P95 = rank(0.50), rank(0.90), rank(0.95)
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
	for i := range rows {
		r := &rows[i]
		for _, g := range groupsOf(r, req.GroupBy) {
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
	keys := make([]string, 0, len(groups))
	for k, t := range groups {
		keys = append(keys, k)
		slices.SortFunc(t.starts, time.Time.Compare)
		slices.SortFunc(t.resolved, time.Time.Compare)
	}
	slices.Sort(keys)
	var out []BacklogDay
	for day := req.From.In(loc); day.Before(req.To); day = nextDay(day, loc) {
		end := nextDay(day, loc)
		if day.After(now) {
			break
		}
		if end.After(now) {
			end = now
		}
		for _, k := range keys {
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

// buildHours counts new conversations by weekday and hour per group.
func buildHours(rows []ReportRow, req ReportRequest, loc *time.Location) []HourCell {
	type cells struct {
		label string
		n     [7][24]int
	}
	groups := map[string]*cells{}
	for i := range rows {
		r := &rows[i]
		if !req.inRange(r) {
			continue
		}
		at := r.FirstMessageAt.In(loc)
		wd := (int(at.Weekday()) + 6) % 7 // Monday 0
		for _, g := range groupsOf(r, req.GroupBy) {
			c := groups[g.key]
			if c == nil {
				c = &cells{label: g.label}
				groups[g.key] = c
			}
			c.n[wd][at.Hour()]++
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []HourCell
	for _, k := range keys {
		c := groups[k]
		for wd := range 7 {
			for h := range 24 {
				out = append(out, HourCell{Group: k, Label: c.label, Weekday: wd + 1, Hour: h, Count: c.n[wd][h]})
			}
		}
	}
	return out
}
