package inbox_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"inkorg/inbox"
)

// TestReportWriteCSV checks the CSV a supervisor opens in Swedish Excel
// (the default) and the one programs ask for with sep=comma.
func TestReportWriteCSV(t *testing.T) {
	pct := func(v float64) *float64 { return &v }
	rep := &inbox.Report{Kind: inbox.ReportSummary, From: "2026-11-01", To: "2026-11-30", GroupBy: inbox.GroupAgent,
		Summary: []inbox.SummaryRow{
			{Group: inbox.TotalGroup, Label: "Göteborgs Stad", Conversations: 3, SLAEvaluated: 3, SLAMet: 2, SLAAttainment: pct(200.0 / 3)},
			{Group: "7", Label: "=Åsa; Öberg", Conversations: 1, SLAEvaluated: 1, SLAAttainment: pct(0),
				FirstResponseBusiness: inbox.Percentiles{Count: 1, P50: pct(90.5), P90: pct(90.5), P95: pct(90.5)}},
		}}
	head := strings.Join(rep.Table()[0], ",")
	tests := []struct {
		name      string
		sep       string
		comma     rune
		attain, s string // the total's attainment, the agent's p50
	}{
		{"OKDefault", "", ';', "66,66666666666667", "90,5"},
		{"OKSemicolon", "semicolon", ';', "66,66666666666667", "90,5"},
		{"OKComma", "comma", ',', "66.66666666666667", "90.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := inbox.ParseCSVDialect(tc.sep)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := rep.WriteCSV(&b, d); err != nil {
				t.Fatal(err)
			}
			body, ok := strings.CutPrefix(b.String(), "\ufeff")
			if !ok {
				t.Fatalf("got %q…, want a UTF-8 byte-order mark first", b.String()[:10])
			}
			r := csv.NewReader(strings.NewReader(body))
			r.Comma = tc.comma
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := slices.Index(recs[0], "sla_attainment_percent")
			if got := strings.Join(recs[0], ","); got != head {
				t.Errorf("header: got %s, want %s", got, head)
			}
			if got := recs[1][col]; got != tc.attain {
				t.Errorf("attainment: got %q, want %q", got, tc.attain)
			}
			if got := recs[2][slices.Index(recs[0], "first_response_business_p50_s")]; got != tc.s {
				t.Errorf("p50: got %q, want %q", got, tc.s)
			}
			if got := recs[2][col]; got != "0" {
				t.Errorf("zero attainment: got %q, want 0", got)
			}
			if got := recs[2][1]; got != "'=Åsa; Öberg" {
				t.Errorf("label: got %q, want the formula quoted and the separator kept", got)
			}
		})
	}
	if got := rep.CSVFilename(); got != "inkorg-summary-agent-2026-11-01-2026-11-30.csv" {
		t.Errorf("file name: got %s", got)
	}
	if _, err := inbox.ParseCSVDialect("tab"); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("sep=tab: got %v, want EINVALID", err)
	}
}

// TestReportWriteCSVNegative: a negative number stays a number in the
// CSV, while text that starts like one and is a formula is quoted.
func TestReportWriteCSVNegative(t *testing.T) {
	pct := func(v float64) *float64 { return &v }
	rep := &inbox.Report{Kind: inbox.ReportSummary, From: "2026-11-01", To: "2026-11-30", GroupBy: inbox.GroupAgent,
		Summary: []inbox.SummaryRow{
			{Group: "7", Label: "-1+2", FirstResponseWall: inbox.Percentiles{Count: 1, P50: pct(-1.5), P90: pct(-3), P95: pct(-3)}},
			{Group: "8", Label: "-2", FirstResponseWall: inbox.Percentiles{Count: 1, P50: pct(2), P90: pct(2), P95: pct(2)}},
		}}
	for _, tc := range []struct {
		sep   string
		comma rune
		p50   string
	}{{"semicolon", ';', "-1,5"}, {"comma", ',', "-1.5"}} {
		d, err := inbox.ParseCSVDialect(tc.sep)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := rep.WriteCSV(&b, d); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
		r.Comma = tc.comma
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(recs[0], "first_response_wall_p50_s")
		if got := recs[1][col]; got != tc.p50 {
			t.Errorf("%s: negative p50: got %q, want %q", tc.sep, got, tc.p50)
		}
		if got := recs[1][col+1]; got != "-3" {
			t.Errorf("%s: negative p90: got %q, want -3", tc.sep, got)
		}
		if got := recs[1][1]; got != "'-1+2" {
			t.Errorf("%s: label: got %q, want the formula quoted", tc.sep, got)
		}
		if got := recs[2][1]; got != "-2" {
			t.Errorf("%s: label: got %q, want the number as it is", tc.sep, got)
		}
	}
}
