package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// dashboardDays is the period the dashboard shows when none is chosen:
// the last 14 days, today included.
const dashboardDays = 14

// dayStats is one day of the dashboard's charts and table.
type dayStats struct {
	Day      time.Time
	Volume   int
	Answered int
	// P50 and P90 are first-response times in business minutes, charted.
	P50, P90 float64
}

// summaryView is one row of the summary report as the dashboard shows
// it: durations and shares formatted, "–" where there is no value.
type summaryView struct {
	Label                    string
	Conversations, Answered  int
	Resolved                 int
	FirstBusiness, FirstWall [3]string // p50, p90, p95
	SLAEvaluated, SLAMet     int
	Attainment               string
	ResolutionBusinessP50    string
	Routed                   int
}

// slaNow is how many open conversations with a running clock are in
// one SLA state.
type slaNow struct {
	State string
	Count int
	URL   string
}

// period is the dashboard's date range, both days included.
type period struct {
	From, To string // YYYY-MM-DD
	req      inbox.ReportRequest
}

// dashData is what the supervisor dashboard shows.
type dashData struct {
	Counts   []queueTab
	SLANow   []slaNow
	Alerts   []alertRow
	Period   period
	Total    summaryView
	Days     []dayStats
	DayRows  []summaryView
	Admins   []summaryView
	Agents   []summaryView
	Volume   chart
	Response chart
	// CSV links the report downloads for the period.
	CSVAdmins, CSVAgents string
	// PeriodError says why the period asked for is refused; Period then
	// holds it as entered.
	PeriodError string
}

// Dashboard serves GET /dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD: backlog
// and SLA state now, and for the period (the last 14 days by default)
// the summary report's first-response percentiles, SLA attainment,
// volumes per day as charts, and tables per administration and per agent.
// A period that is refused (a date written wrongly, one that ends before
// it starts, too long) is shown in the form as entered with what is
// wrong, the figures of now above it, and no figures for a period.
func (ui *UI) Dashboard(c echo.Context) error {
	u := currentUser(c)
	from, to := c.QueryParam("from"), c.QueryParam("to")
	per, perr := ui.dashboardPeriod(from, to)
	if perr != nil && inbox.ErrorCode(perr) != inbox.EINVALID {
		return ui.fail(c, perr)
	}
	ctx := c.Request().Context()
	var d *dashData
	var err error
	if perr == nil {
		// The reports refuse a period too long for a day by day table.
		if d, err = ui.dashboard(ctx, u, per, langOf(c)); inbox.ErrorCode(err) == inbox.EINVALID {
			perr = err
		}
	}
	if perr != nil {
		d, err = ui.dashboardNowOnly(ctx, u)
	}
	if err != nil {
		return ui.fail(c, err)
	}
	if d.Alerts, err = ui.recentAlerts(ctx, u); err != nil {
		return ui.fail(c, err)
	}
	p := ui.newPage(c, "dash.title", "dashboard")
	status := http.StatusOK
	if perr != nil {
		d.Period, d.PeriodError, status = ui.enteredPeriod(from, to), errorText(p.Lang, perr), http.StatusBadRequest
	} else {
		d.Volume = barChart(d.Days, p.T("dash.volume"))
		d.Response = lineChart(d.Days, p.T("dash.response"))
	}
	p.Data = d
	return ui.render(c, status, "dashboard", p)
}

// DashboardCSV serves GET /dashboard.csv?from=…&to=…&group_by=…&sep=…:
// the summary report of the period, grouped by administration (the
// default) or agent, as the reports API writes it.
func (ui *UI) DashboardCSV(c echo.Context) error {
	u := currentUser(c)
	per, err := ui.dashboardPeriod(c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		return ui.fail(c, err)
	}
	req := per.req
	switch g := inbox.GroupBy(c.QueryParam("group_by")); g {
	case "", inbox.GroupAdministration:
		req.GroupBy = inbox.GroupAdministration
	case inbox.GroupAgent:
		req.GroupBy = g
	default:
		return ui.fail(c, inbox.Errorf(inbox.EINVALID, "Gruppera per administration eller agent. / Group by administration or agent."))
	}
	sep, err := inbox.ParseCSVDialect(c.QueryParam("sep"))
	if err != nil {
		return ui.fail(c, err)
	}
	rep, err := ui.cfg.Reports.Report(c.Request().Context(), u, req)
	if err != nil {
		return ui.fail(c, err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+rep.CSVFilename()+`"`)
	c.Response().WriteHeader(http.StatusOK)
	return rep.WriteCSV(c.Response(), sep)
}

// today is the start of today in the UI's zone.
func (ui *UI) today() time.Time {
	y, m, d := ui.cfg.Now().In(ui.cfg.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, ui.cfg.Location)
}

// firstDefaultDay is the first day of the default period ending today.
func firstDefaultDay(today time.Time) time.Time { return today.AddDate(0, 0, -(dashboardDays - 1)) }

// enteredPeriod is the period as entered, a date left out shown as the
// default the dashboard took for it.
func (ui *UI) enteredPeriod(from, to string) period {
	if from == "" {
		from = firstDefaultDay(ui.today()).Format(time.DateOnly)
	}
	if to == "" {
		to = ui.today().Format(time.DateOnly)
	}
	return period{From: from, To: to}
}

// dashboardPeriod reads the date range, by default the last
// dashboardDays days up to today in the UI's zone.
func (ui *UI) dashboardPeriod(from, to string) (period, error) {
	loc := ui.cfg.Location
	today := ui.today()
	parse := func(v string, def time.Time) (time.Time, error) {
		if v == "" {
			return def, nil
		}
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return t, inbox.Errorf(inbox.EINVALID, "Ange datum som ÅÅÅÅ-MM-DD, inte %q. / Give dates as YYYY-MM-DD, not %q.", v, v)
		}
		return t, nil
	}
	start, err := parse(from, firstDefaultDay(today))
	if err != nil {
		return period{}, err
	}
	end, err := parse(to, today)
	if err != nil {
		return period{}, err
	}
	if end.Before(start) {
		return period{}, inbox.Errorf(inbox.EINVALID, "Perioden slutar innan den börjar. / The period ends before it starts.")
	}
	req := inbox.ReportRequest{Kind: inbox.ReportSummary, From: start, To: time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, loc)}
	if err := req.Validate(); err != nil {
		return period{}, err
	}
	return period{From: start.Format(time.DateOnly), To: end.Format(time.DateOnly), req: req}, nil
}

// dashboardNowOnly gathers the figures of now; only supervisors and
// admins may see them.
func (ui *UI) dashboardNowOnly(ctx context.Context, u *inbox.User) (*dashData, error) {
	if !u.CanReadReports() {
		return nil, inbox.Errorf(inbox.EFORBIDDEN, "Översikten är till för arbetsledare och administratörer. / The dashboard is for supervisors and admins.")
	}
	d := &dashData{}
	if err := ui.dashboardNow(ctx, u, d); err != nil {
		return nil, err
	}
	return d, nil
}

// dashboard gathers the figures of now and of the period; only
// supervisors and admins may see them.
func (ui *UI) dashboard(ctx context.Context, u *inbox.User, per period, lang string) (*dashData, error) {
	d, err := ui.dashboardNowOnly(ctx, u)
	if err != nil {
		return nil, err
	}
	d.Period = per
	reports := ui.cfg.Reports
	days, err := reports.SummaryByDay(ctx, u, per.req)
	if err != nil {
		return nil, err
	}
	for _, day := range days {
		s := day.Summary
		d.Days = append(d.Days, dayStats{Day: day.Date, Volume: s.Conversations, Answered: s.Answered,
			P50: minutesOf(s.FirstResponseBusiness.P50), P90: minutesOf(s.FirstResponseBusiness.P90)})
		d.DayRows = append(d.DayRows, viewOf(s, day.Date.Format(time.DateOnly)))
	}
	byAdmin := per.req
	byAdmin.GroupBy = inbox.GroupAdministration
	rep, err := reports.Report(ctx, u, byAdmin)
	if err != nil {
		return nil, err
	}
	d.Total = viewOf(rep.Summary[0], "")
	for _, s := range rep.Summary[1:] {
		label := translate(lang, "dash.notrouted")
		if s.Group != "" {
			label = ui.adminName(s.Group)
		}
		d.Admins = append(d.Admins, viewOf(s, label))
	}
	byAgent := per.req
	byAgent.GroupBy = inbox.GroupAgent
	if rep, err = reports.Report(ctx, u, byAgent); err != nil {
		return nil, err
	}
	for _, s := range rep.Summary[1:] {
		label := s.Label
		if s.Group == "0" {
			label = translate(lang, "dash.unassigned")
		}
		d.Agents = append(d.Agents, viewOf(s, label))
	}
	if lang == "sv" {
		// Swedish writes a decimal comma (the CSV export does too).
		for _, rows := range [][]summaryView{d.DayRows, d.Admins, d.Agents} {
			for i := range rows {
				rows[i].Attainment = strings.Replace(rows[i].Attainment, ".", ",", 1)
			}
		}
		d.Total.Attainment = strings.Replace(d.Total.Attainment, ".", ",", 1)
	}
	q := url.Values{"from": {per.From}, "to": {per.To}}
	d.CSVAdmins = "/dashboard.csv?" + q.Encode()
	q.Set("group_by", string(inbox.GroupAgent))
	d.CSVAgents = "/dashboard.csv?" + q.Encode()
	return d, nil
}

// dashboardNow sets the backlog per queue and the SLA state of open
// conversations now.
func (ui *UI) dashboardNow(ctx context.Context, u *inbox.User, d *dashData) error {
	f := inbox.ConversationFilter{}
	f.Now = ui.cfg.Now()
	if err := u.Scope(&f); err != nil {
		return err
	}
	counts, err := ui.cfg.Store.CountQueues(ctx, f)
	if err != nil {
		return err
	}
	for _, q := range inbox.WorkQueues {
		d.Counts = append(d.Counts, queueTab{Queue: string(q), Key: "queue." + string(q), Count: counts[q],
			URL: "/?" + url.Values{"queue": {string(q)}}.Encode()})
	}
	states, err := ui.cfg.Store.CountSLAStates(ctx, f)
	if err != nil {
		return err
	}
	for _, st := range []inbox.SLAState{inbox.SLAOK, inbox.SLAAtRisk, inbox.SLABreached} {
		row := slaNow{State: string(st), Count: states[st]}
		if st != inbox.SLAOK {
			row.URL = "/?" + url.Values{"queue": {string(inbox.QueueAtRisk)}}.Encode()
		}
		d.SLANow = append(d.SLANow, row)
	}
	return nil
}

// viewOf formats a summary row under label.
func viewOf(s inbox.SummaryRow, label string) summaryView {
	v := summaryView{Label: label, Conversations: s.Conversations, Answered: s.Answered, Resolved: s.Resolved,
		SLAEvaluated: s.SLAEvaluated, SLAMet: s.SLAMet, Attainment: percentText(s.SLAAttainment),
		ResolutionBusinessP50: secondsText(s.ResolutionBusiness.P50), Routed: s.Routed}
	for i, p := range []*float64{s.FirstResponseBusiness.P50, s.FirstResponseBusiness.P90, s.FirstResponseBusiness.P95} {
		v.FirstBusiness[i] = secondsText(p)
	}
	for i, p := range []*float64{s.FirstResponseWall.P50, s.FirstResponseWall.P90, s.FirstResponseWall.P95} {
		v.FirstWall[i] = secondsText(p)
	}
	return v
}

// noValue is shown where a figure has no value (nothing to measure).
const noValue = "–"

// secondsText shows a duration of seconds: under a minute in seconds,
// else as humanDuration does.
func secondsText(s *float64) string {
	switch {
	case s == nil:
		return noValue
	case *s < 60:
		return fmt.Sprintf("%.0f s", *s)
	}
	return humanDuration(time.Duration(*s * float64(time.Second)))
}

func percentText(p *float64) string {
	if p == nil {
		return noValue
	}
	return fmt.Sprintf("%.1f %%", *p)
}

func minutesOf(s *float64) float64 {
	if s == nil {
		return 0
	}
	return *s / 60
}
