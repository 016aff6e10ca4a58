package inbox

import "strconv"

// Table returns the report as CSV records: a header, then one record per
// row. Durations are seconds; empty cells mean "no value".
func (r *Report) Table() [][]string {
	switch r.Kind {
	case ReportBacklog:
		out := [][]string{{"date", "group", "label", "count"}}
		for _, d := range r.Backlog {
			out = append(out, []string{d.Date, d.Group, d.Label, strconv.Itoa(d.Count)})
		}
		return out
	case ReportHours:
		out := [][]string{{"group", "label", "weekday", "hour", "count"}}
		for _, c := range r.Hours {
			out = append(out, []string{c.Group, c.Label, strconv.Itoa(c.Weekday), strconv.Itoa(c.Hour), strconv.Itoa(c.Count)})
		}
		return out
	}
	return r.summaryTable()
}

var percentileNames = []string{
	"first_response_business", "first_response_wall", "resolution_business",
	"resolution_wall", "department_business", "department_wall",
}

func (r *Report) summaryTable() [][]string {
	head := []string{"group", "label", "conversations", "answered", "resolved", "replies", "reassignments"}
	for _, n := range percentileNames {
		head = append(head, n+"_p50_s", n+"_p90_s", n+"_p95_s")
	}
	head = append(head, "sla_evaluated", "sla_met", "sla_attainment_percent", "answer_link_percent", "routed", "routed_percent")
	out := [][]string{head}
	for _, s := range r.Summary {
		rec := []string{s.Group, s.Label, itoa(s.Conversations), itoa(s.Answered), itoa(s.Resolved), itoa(s.Replies), itoa(s.Reassignments)}
		for _, p := range []Percentiles{s.FirstResponseBusiness, s.FirstResponseWall, s.ResolutionBusiness, s.ResolutionWall, s.DepartmentBusiness, s.DepartmentWall} {
			rec = append(rec, num(p.P50), num(p.P90), num(p.P95))
		}
		rec = append(rec, itoa(s.SLAEvaluated), itoa(s.SLAMet), num(s.SLAAttainment), num(s.AnswerLinkShare), itoa(s.Routed), num(s.RoutedShare))
		out = append(out, rec)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
