package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
)

// slaFixture stores conversations with measured clocks: three that
// started yesterday and were answered (two in time, one late), and two
// that started today and wait, one at risk and one breached.
type slaFixture struct {
	answered         []int64
	atRisk, breached int64
}

func (s *site) slaFixture(t *testing.T, assignee *inbox.User) slaFixture {
	t.Helper()
	ctx := t.Context()
	loc := businesstime.Default().Location()
	now := time.Now()
	y, m, d := now.In(loc).Date()
	yesterday := time.Date(y, m, d-1, 10, 0, 0, 0, loc)
	var fx slaFixture
	save := func(id int64, mut func(*inbox.ConversationMetrics)) {
		c := s.conv(t, id)
		mt := &inbox.ConversationMetrics{ConversationID: id, Channel: c.Channel, Status: c.Status, FirstMessageAt: c.FirstMessageAt,
			FirstInboundAt: &c.FirstMessageAt, SourceUpdatedAt: c.UpdatedAt}
		mut(mt)
		if err := s.store.SaveMetrics(ctx, []*inbox.ConversationMetrics{mt}); err != nil {
			t.Fatal(err)
		}
	}
	for i, tc := range []struct {
		admin          string
		business, wall time.Duration
		late           bool
	}{
		{"stadsmiljoforvaltningen", 10 * time.Minute, 10 * time.Minute, false},
		{"stadsmiljoforvaltningen", 30 * time.Minute, 40 * time.Minute, false},
		{"kulturforvaltningen", 2 * time.Hour, 20 * time.Hour, true},
	} {
		id := s.message(t, fmt.Sprintf("psid_dash_%d", i), yesterday.Add(time.Duration(i)*time.Hour))
		fx.answered = append(fx.answered, id)
		save(id, func(mt *inbox.ConversationMetrics) {
			mt.AdministrationID, mt.AssigneeID = tc.admin, assignee.ID
			at := mt.FirstMessageAt.Add(tc.wall)
			mt.FirstResponseAt, mt.FirstResponseBusiness, mt.FirstResponseWall = &at, &tc.business, &tc.wall
			mt.Replies = 1
			state := inbox.SLAOK
			if tc.late {
				state = inbox.SLABreached
			}
			mt.SLA = &inbox.SLAStatus{Policy: "private_messages", DueAt: mt.FirstMessageAt.Add(time.Hour), State: state}
		})
	}
	fx.atRisk = s.message(t, "psid_dash_risk", now.Add(-2*time.Hour))
	save(fx.atRisk, func(mt *inbox.ConversationMetrics) {
		risk := now.Add(-time.Minute)
		mt.SLA = &inbox.SLAStatus{Policy: "private_messages", DueAt: now.Add(time.Hour), AtRiskAt: &risk, State: inbox.SLAAtRisk, Running: true}
	})
	fx.breached = s.message(t, "psid_dash_late", now.Add(-3*time.Hour))
	save(fx.breached, func(mt *inbox.ConversationMetrics) {
		risk := now.Add(-2 * time.Hour)
		mt.SLA = &inbox.SLAStatus{Policy: "private_messages", DueAt: now.Add(-time.Hour), AtRiskAt: &risk, State: inbox.SLABreached, Running: true}
	})
	return fx
}

func TestAtRiskQueue(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	fx := s.slaFixture(t, anna)
	browser := s.signedIn(t, "anna")
	_, body, _ := get(t, browser, s.url+"/?queue=at_risk")
	if !regexp.MustCompile(`I riskzonen <span class="count">2</span>`).MatchString(body) {
		t.Error("the at-risk tab does not show 2")
	}
	for _, id := range []int64{fx.atRisk, fx.breached} {
		if !strings.Contains(body, fmt.Sprintf(`href="/conversations/%d"`, id)) {
			t.Errorf("conversation %d is not in the at-risk queue", id)
		}
	}
	for _, id := range fx.answered {
		if strings.Contains(body, fmt.Sprintf(`href="/conversations/%d"`, id)) {
			t.Errorf("answered conversation %d is in the at-risk queue", id)
		}
	}
	_, raw, _ := get(t, browser, s.url+"/api/v1/queues")
	var counts struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(raw), &counts); err != nil || counts.Counts["at_risk"] != 2 {
		t.Errorf("GET /api/v1/queues: got %s, %v; want at_risk 2", raw, err)
	}
}

// secondsText formats seconds as the dashboard shows them.
func secondsText(v *float64) string {
	if v == nil {
		return "–"
	}
	d := time.Duration(*v * float64(time.Second))
	switch {
	case *v < 60:
		return fmt.Sprintf("%.0f s", *v)
	case d >= time.Hour:
		return fmt.Sprintf("%d h %d min", d/time.Hour, (d%time.Hour)/time.Minute)
	}
	return fmt.Sprintf("%d min", d/time.Minute)
}

func TestDashboard(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	anna, err := s.store.FindUserByName(ctx, "anna")
	if err != nil {
		t.Fatal(err)
	}
	lena := s.addUser(t, "lena", inbox.RoleSupervisor, "")
	s.slaFixture(t, anna)
	loc := businesstime.Default().Location()
	y, m, d := time.Now().In(loc).Date()
	from, to := time.Date(y, m, d-2, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	reports := &inbox.ReportService{Store: s.store, Location: loc, Now: time.Now}
	rep, err := reports.Report(ctx, lena, inbox.ReportRequest{Kind: inbox.ReportSummary, From: from, To: to, GroupBy: inbox.GroupAdministration})
	if err != nil {
		t.Fatal(err)
	}
	total := rep.Summary[0]
	if total.Conversations != 5 || total.SLAEvaluated != 4 {
		t.Fatalf("the report sees %d conversations, %d evaluated; want 5 and 4", total.Conversations, total.SLAEvaluated)
	}
	browser := s.signedIn(t, "lena")
	query := fmt.Sprintf("?from=%s&to=%s", from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly))

	t.Run("OKFiguresOfTheReport", func(t *testing.T) {
		code, body, _ := get(t, browser, s.url+"/dashboard"+query)
		if code != http.StatusOK {
			t.Fatalf("got %d, want 200", code)
		}
		body = html.UnescapeString(body)
		want := map[string]string{
			"conversations":  fmt.Sprint(total.Conversations),
			"answered":       fmt.Sprint(total.Answered),
			"attainment":     strings.Replace(fmt.Sprintf("%.1f %% (%d av %d)", *total.SLAAttainment, total.SLAMet, total.SLAEvaluated), ".", ",", 1),
			"first-business": fmt.Sprintf("p50 %s, p90 %s, p95 %s", secondsText(total.FirstResponseBusiness.P50), secondsText(total.FirstResponseBusiness.P90), secondsText(total.FirstResponseBusiness.P95)),
			"first-wall":     fmt.Sprintf("p50 %s, p90 %s, p95 %s", secondsText(total.FirstResponseWall.P50), secondsText(total.FirstResponseWall.P90), secondsText(total.FirstResponseWall.P95)),
		}
		for name, v := range want {
			if !strings.Contains(body, fmt.Sprintf(`data-figure="%s">%s<`, name, v)) {
				t.Errorf("figure %s: the page does not show %q", name, v)
			}
		}
		if want := "p50 30 min, p90 2 h 0 min"; !strings.Contains(body, want) {
			t.Errorf("business-time percentiles: the page does not show %q", want)
		}
		for _, row := range rep.Summary[1:] {
			label := row.Group // these ids have no display names here
			if label == "" {
				label = "(ingen förvaltning)" // not routed
			}
			cells := fmt.Sprintf(`<th scope="row" dir="auto">%s</th><td>%d</td><td>%d</td>`, label, row.Conversations, row.Answered)
			if !strings.Contains(body, cells) {
				t.Errorf("administration %q: the table has no row %q", row.Group, cells)
			}
		}
		if !strings.Contains(body, `<th scope="row" dir="auto">anna</th><td>3</td><td>3</td>`) {
			t.Error("the per-agent table has no row for anna with 3 answered")
		}
		days, err := reports.SummaryByDay(ctx, lena, inbox.ReportRequest{From: from, To: to})
		if err != nil || len(days) != 3 {
			t.Fatalf("SummaryByDay: got %d days, %v; want 3", len(days), err)
		}
		sum := 0
		for _, day := range days {
			sum += day.Summary.Conversations
			row := fmt.Sprintf(`<th scope="row" dir="auto">%s</th><td>%d</td>`, day.Date.Format(time.DateOnly), day.Summary.Conversations)
			if !strings.Contains(body, row) {
				t.Errorf("the per-day table has no row %q", row)
			}
		}
		if sum != total.Conversations {
			t.Errorf("the days add up to %d conversations, the period's total is %d", sum, total.Conversations)
		}
		for state, n := range map[string]int{"ok": 0, "at_risk": 1, "breached": 1} {
			if !regexp.MustCompile(fmt.Sprintf(`class="sla-%s"><span class="tile-n">%d</span>`, state, n)).MatchString(body) {
				t.Errorf("SLA now: the page does not show %d %s", n, state)
			}
		}
	})
	t.Run("OKCSVIsTheReport", func(t *testing.T) {
		// Swedish Excel by default: semicolons and decimal commas; sep=comma
		// for programs. Both start with a byte-order mark and agree with
		// the reports API.
		for sep, comma := range map[string]rune{"": ';', "comma": ','} {
			q := query
			if sep != "" {
				q += "&sep=" + sep
			}
			code, body, hdr := getCSV(t, browser, s.url+"/dashboard.csv"+q)
			if code != http.StatusOK || hdr.Get("Content-Type") != "text/csv; charset=utf-8" ||
				hdr.Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="inkorg-summary-administration-%s-%s.csv"`, rep.From, rep.To) {
				t.Errorf("sep=%s: got %d %v, want 200 with a CSV download", sep, code, hdr)
			}
			text, ok := strings.CutPrefix(body, "\ufeff")
			if !ok {
				t.Errorf("sep=%s: got %.20q…, want a UTF-8 byte-order mark first", sep, body)
			}
			r := csv.NewReader(strings.NewReader(text))
			r.Comma = comma
			got, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := rep.Table()
			if len(got) != len(want) {
				t.Fatalf("sep=%s: got %d records, want %d", sep, len(got), len(want))
			}
			for i := range want {
				if comma == ';' {
					want[i] = decimalCommas(want[i])
				}
				if !slices.Equal(got[i], want[i]) {
					t.Errorf("sep=%s: record %d: got %v, want %v", sep, i, got[i], want[i])
				}
			}
			_, api, _ := getCSV(t, browser, s.url+"/api/v1/reports/summary.csv"+q+"&group_by=administration")
			if api != body {
				t.Errorf("sep=%s: the dashboard's CSV is\n%s\nthe API's\n%s", sep, body, api)
			}
		}
	})
	t.Run("ErrPeriod", func(t *testing.T) {
		for path, want := range map[string]string{
			"/dashboard?from=ig%C3%A5r":                "Ange datum som ÅÅÅÅ-MM-DD",
			"/dashboard?from=2026-03-10&to=2026-03-01": "Perioden slutar innan den börjar",
			"/dashboard?from=2024-01-01&to=2026-01-01": "En rapport omfattar högst 400 dagar, båda datumen medräknade; perioden har 732.",
			"/dashboard?from=2026-01-01&to=2026-06-30": "Välj högst 93 dagar",
			"/dashboard?from=2026-01-01&to=2026-04-04": "Välj högst 93 dagar för en uppdelning per dag, båda datumen medräknade; perioden har 94",
			"/dashboard?from=2025-01-01&to=2026-02-05": "En rapport omfattar högst 400 dagar, båda datumen medräknade; perioden har 401.",
			"/dashboard.csv?sep=tab":                   "Ange sep=semicolon eller sep=comma",
			"/dashboard.csv?group_by=kanal":            "Gruppera per administration eller agent",
		} {
			code, body, _ := get(t, browser, s.url+path)
			if code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("%s: got %d, want 400 saying %q", path, code, want)
			}
		}
	})
	t.Run("ErrAgent", func(t *testing.T) {
		code, body, _ := get(t, s.signedIn(t, "anna"), s.url+"/dashboard")
		if want := "Översikten är till för arbetsledare och administratörer."; code != http.StatusForbidden || !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("got %d, want 403 saying %q", code, want)
		}
	})
}

// getCSV returns the status, body and header of a download.
func getCSV(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// decimalCommas writes the decimal numbers of rec with a comma, as Swedish
// Excel reads them.
func decimalCommas(rec []string) []string {
	out := slices.Clone(rec)
	for i, cell := range out {
		if _, err := strconv.ParseFloat(cell, 64); err == nil {
			out[i] = strings.Replace(cell, ".", ",", 1)
		}
	}
	return out
}

// TestDashboardPeriodKept: a period the dashboard refuses is shown in its
// form as entered, with the error next to it, on the dashboard with the
// figures of now, instead of an error page that leaves the dashboard.
func TestDashboardPeriodKept(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "lena", inbox.RoleSupervisor, "")
	lena := s.signedIn(t, "lena")
	for _, tc := range []struct{ name, from, to, want string }{
		{"ErrEndsBeforeStart", "2026-03-10", "2026-03-01", "Perioden slutar innan den börjar."},
		{"ErrTooLong", "2026-01-01", "2026-06-30", "Välj högst 93 dagar"},
		{"ErrNotADate", "igår", "2026-03-01", "Ange datum som ÅÅÅÅ-MM-DD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := get(t, lena, s.url+"/dashboard?"+url.Values{"from": {tc.from}, "to": {tc.to}}.Encode())
			if code != http.StatusBadRequest {
				t.Errorf("got %d, want 400", code)
			}
			body = html.UnescapeString(body)
			if !strings.Contains(body, `<p id="dash-period-error" class="bad" role="alert">Det gick inte: `+tc.want) {
				t.Errorf("the page does not say %q next to the period", tc.want)
			}
			for _, input := range []string{
				`<input id="dash-from" name="from" type="date" value="` + tc.from + `" required aria-invalid="true" aria-describedby="dash-period-error">`,
				`<input id="dash-to" name="to" type="date" value="` + tc.to + `" required aria-invalid="true" aria-describedby="dash-period-error">`,
			} {
				if !strings.Contains(body, input) {
					t.Errorf("the form does not hold %s", input)
				}
			}
			if !strings.Contains(body, `<h2 id="backlog-heading">`) {
				t.Error("the page is not the dashboard with the backlog now")
			}
			if strings.Contains(body, "/dashboard.csv") || strings.Contains(body, `id="dash-total"`) {
				t.Error("the page shows figures for a period it refused")
			}
		})
	}
	t.Run("ErrEndOnly", func(t *testing.T) {
		// The start left out is the default's, shown so that "ends
		// before it starts" makes sense.
		y, m, d := time.Now().In(businesstime.Default().Location()).Date()
		from := time.Date(y, m, d-13, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		code, body, _ := get(t, lena, s.url+"/dashboard?to=2020-01-01")
		if code != http.StatusBadRequest {
			t.Errorf("got %d, want 400", code)
		}
		if want := `<input id="dash-from" name="from" type="date" value="` + from + `"`; !strings.Contains(body, want) {
			t.Errorf("the form does not show the default start: want %s", want)
		}
	})
}
