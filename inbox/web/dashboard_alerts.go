package web

import (
	"context"
	"net/url"

	"inkorg/inbox"
)

// dashboardAlerts is how many of the newest alerts the dashboard lists.
const dashboardAlerts = 10

// alertRow is one crisis alert on the dashboard, with a link to the
// inbox showing the conversations it tagged.
type alertRow struct {
	A   *inbox.Alert
	URL string
}

// recentAlerts returns the newest spike and crisis alerts, each linking to
// every conversation carrying its tag, whatever the queue.
func (ui *UI) recentAlerts(ctx context.Context, u *inbox.User) ([]alertRow, error) {
	alerts, err := inbox.ListAlerts(ctx, ui.cfg.Store, u, dashboardAlerts)
	if err != nil {
		return nil, err
	}
	rows := make([]alertRow, 0, len(alerts))
	for _, a := range alerts {
		tag := a.Tag
		if tag == "" {
			tag = inbox.CrisisTagPrefix + a.Topic
		}
		rows = append(rows, alertRow{A: a, URL: "/?" + url.Values{"queue": {""}, "tag": {tag}}.Encode()})
	}
	return rows, nil
}
