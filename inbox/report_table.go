package inbox

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Table returns the report as records: a header, then one record per
// row. Durations are seconds, decimals have a point; empty cells mean
// "no value".
func (r *Report) Table() [][]string {
	return r.table('.')
}

// table is Table with dec as the decimal mark.
func (r *Report) table(dec byte) [][]string {
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
	return r.summaryTable(dec)
}

var percentileNames = []string{
	"first_response_business", "first_response_wall", "resolution_business",
	"resolution_wall", "department_business", "department_wall",
}

func (r *Report) summaryTable(dec byte) [][]string {
	head := []string{"group", "label", "conversations", "answered", "resolved", "replies", "reassignments"}
	for _, n := range percentileNames {
		head = append(head, n+"_p50_s", n+"_p90_s", n+"_p95_s")
	}
	head = append(head, "sla_evaluated", "sla_met", "sla_attainment_percent", "answer_link_percent", "routed", "routed_percent")
	num := func(v *float64) string { return decimal(v, dec) }
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

// decimal formats v with dec as the decimal mark, "" for nil.
func decimal(v *float64, dec byte) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if dec != '.' {
		s = strings.Replace(s, ".", string(dec), 1)
	}
	return s
}

// CSVDialect is how a report is written as CSV.
type CSVDialect string

// CSV dialects.
const (
	// CSVSemicolon is what Excel with Swedish regional settings opens as
	// columns and numbers: fields separated by semicolons, decimal commas.
	CSVSemicolon CSVDialect = "semicolon"
	// CSVComma separates fields with commas and writes decimal points, for
	// programs (and Excel with English settings).
	CSVComma CSVDialect = "comma"
)

// ParseCSVDialect reads the sep parameter of a CSV download: semicolon
// (the default when sep is empty) or comma.
func ParseCSVDialect(sep string) (CSVDialect, error) {
	switch d := CSVDialect(sep); d {
	case "":
		return CSVSemicolon, nil
	case CSVSemicolon, CSVComma:
		return d, nil
	}
	return "", Errorf(EINVALID, "Ange sep=semicolon eller sep=comma, inte %q. / Use sep=semicolon or sep=comma, not %q.", sep, sep)
}

// utf8BOM starts every CSV download: without it Excel reads the file as
// Windows-1252 and shows "Göteborg" as "GÃ¶teborg".
const utf8BOM = "\ufeff"

// CSVFilename is the name a CSV download of the report is saved as.
func (r *Report) CSVFilename() string {
	name := "inkorg-" + string(r.Kind)
	if r.GroupBy != GroupNone {
		name += "-" + string(r.GroupBy)
	}
	return name + "-" + r.From + "-" + r.To + ".csv"
}

// WriteCSV writes the report's records to w in dialect d, after a UTF-8
// byte-order mark. The header names are Table's in every dialect. Text
// cells that a spreadsheet would run as a formula are prefixed with an
// apostrophe: names of agents and accounts are free text. A negative
// number is a number, not a formula, and stays one.
func (r *Report) WriteCSV(w io.Writer, d CSVDialect) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	dec := byte('.')
	if d != CSVComma {
		cw.Comma, dec = ';', ','
	}
	for _, rec := range r.table(dec) {
		for i, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !negativeNumber(cell, dec) {
				rec[i] = "'" + cell
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// negativeNumber reports whether cell is a minus sign and a decimal
// number, with dec as its decimal separator: "-3", "-1,5".
func negativeNumber(cell string, dec byte) bool {
	digits, sep := 0, false
	for i := 1; i < len(cell); i++ {
		switch c := cell[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == dec && !sep && digits > 0 && i < len(cell)-1:
			sep = true
		default:
			return false
		}
	}
	return cell[0] == '-' && digits > 0
}
