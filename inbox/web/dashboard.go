package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// Dashboard limits: the days shown and the most conversations read for
// them.
const (
	dashboardDays  = 14
	dashboardLimit = 5000
)

// dayStats is one day of the dashboard.
type dayStats struct {
	Day      time.Time
	Volume   int
	Answered int
	// P50 and P90 are first-response times in minutes, wall clock.
	P50, P90 float64
}

// adminStats is one administration's row.
type adminStats struct {
	ID, Name   string
	Open       int
	Routed     int
	Volume     int
	P50Minutes float64
}

// dashData is what the supervisor dashboard shows.
type dashData struct {
	Counts    []queueTab
	Days      []dayStats
	Admins    []adminStats
	Volume    chart
	Response  chart
	Truncated bool
	Alerts    []alertRow
}

// Dashboard serves GET /dashboard: backlog now, volumes and first-response
// percentiles per day as charts, and a table per administration.
func (ui *UI) Dashboard(c echo.Context) error {
	d, err := ui.dashboard(c.Request().Context(), currentUser(c))
	if err != nil {
		return ui.fail(c, err)
	}
	if d.Alerts, err = ui.recentAlerts(c.Request().Context(), currentUser(c)); err != nil {
		return ui.fail(c, err)
	}
	p := ui.newPage(c, "dash.title", "dashboard")
	d.Volume = barChart(d.Days, p.T("dash.volume"))
	d.Response = lineChart(d.Days, p.T("dash.response"))
	p.Data = d
	return ui.render(c, http.StatusOK, "dashboard", p)
}

// DashboardCSV serves GET /dashboard.csv: the per-day figures.
func (ui *UI) DashboardCSV(c echo.Context) error {
	d, err := ui.dashboard(c.Request().Context(), currentUser(c))
	if err != nil {
		return ui.fail(c, err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="inkorg-dashboard.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"day", "conversations", "answered", "first_response_p50_minutes", "first_response_p90_minutes"})
	for _, s := range d.Days {
		_ = w.Write([]string{s.Day.Format("2006-01-02"), strconv.Itoa(s.Volume), strconv.Itoa(s.Answered),
			fmt.Sprintf("%.1f", s.P50), fmt.Sprintf("%.1f", s.P90)})
	}
	w.Flush()
	return w.Error()
}

// dashboard gathers the figures; only supervisors and admins may see them.
func (ui *UI) dashboard(ctx context.Context, u *inbox.User) (*dashData, error) {
	if u.Role != inbox.RoleSupervisor && u.Role != inbox.RoleAdmin {
		return nil, inbox.Errorf(inbox.EFORBIDDEN, "The dashboard is for supervisors and admins.")
	}
	now := ui.cfg.Now()
	f := inbox.ConversationFilter{Limit: inbox.MaxPageSize}
	f.Now = now
	if err := u.Scope(&f); err != nil {
		return nil, err
	}
	counts, err := ui.cfg.Store.CountQueues(ctx, f)
	if err != nil {
		return nil, err
	}
	d := &dashData{}
	for _, q := range inbox.WorkQueues {
		d.Counts = append(d.Counts, queueTab{Queue: string(q), Key: "queue." + string(q), Count: counts[q]})
	}
	start := now.Truncate(24*time.Hour).AddDate(0, 0, -(dashboardDays - 1))
	f.Since = start
	var convs []*inbox.Conversation
	for len(convs) < dashboardLimit {
		page, err := ui.cfg.Store.FindConversations(ctx, f)
		if err != nil {
			return nil, err
		}
		convs = append(convs, page.Conversations...)
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	d.Truncated = len(convs) >= dashboardLimit
	d.Days = perDay(convs, start)
	d.Admins = ui.perAdministration(convs)
	return d, nil
}

// perDay counts the conversations begun on each day from start and their
// first-response percentiles.
func perDay(convs []*inbox.Conversation, start time.Time) []dayStats {
	days := make([]dayStats, dashboardDays)
	waits := make([][]float64, dashboardDays)
	for i := range days {
		days[i].Day = start.AddDate(0, 0, i)
	}
	for _, c := range convs {
		i := int(c.FirstMessageAt.Sub(start) / (24 * time.Hour))
		if i < 0 || i >= dashboardDays {
			continue
		}
		days[i].Volume++
		if c.FirstResponseAt != nil {
			days[i].Answered++
			waits[i] = append(waits[i], c.FirstResponseAt.Sub(c.FirstMessageAt).Minutes())
		}
	}
	for i := range days {
		days[i].P50, days[i].P90 = percentile(waits[i], 0.5), percentile(waits[i], 0.9)
	}
	return days
}

// percentile returns the nearest-rank percentile of xs, 0 for none.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	i := int(p*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func (ui *UI) perAdministration(convs []*inbox.Conversation) []adminStats {
	by := map[string]*adminStats{}
	waits := map[string][]float64{}
	for _, c := range convs {
		id := c.AdministrationID
		if id == "" && c.Triage != nil {
			id = c.Triage.Administration
		}
		a, ok := by[id]
		if !ok {
			a = &adminStats{ID: id, Name: ui.adminName(id)}
			by[id] = a
		}
		a.Volume++
		switch c.Status {
		case inbox.StatusNew, inbox.StatusOpen, inbox.StatusPending:
			a.Open++
		case inbox.StatusRouted:
			a.Routed++
		}
		if c.FirstResponseAt != nil {
			waits[id] = append(waits[id], c.FirstResponseAt.Sub(c.FirstMessageAt).Minutes())
		}
	}
	out := make([]adminStats, 0, len(by))
	for id, a := range by {
		a.P50Minutes = percentile(waits[id], 0.5)
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Volume > out[j].Volume || (out[i].Volume == out[j].Volume && out[i].ID < out[j].ID)
	})
	return out
}
