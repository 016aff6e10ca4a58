package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// DecisionInput is the body of POST /api/v1/moderation/{message id}.
type DecisionInput struct {
	Decision inbox.ModerationDecision `json:"decision"`
	Category inbox.ModerationCategory `json:"category"`
	Reason   string                   `json:"reason"`
}

// moderation serves the moderation queue, decisions and report.
type moderation struct {
	svc *inbox.Moderation
	// messages is where a decided message is looked up when the body
	// cannot be read (messageFirst).
	messages inbox.MessageVisibilityStore
}

// queue serves GET /api/v1/moderation[?state=open|hidden|kept|deleted]
// [&administration=a,b][&after=ID][&limit=N]: flagged comments, oldest
// first; next is the after of the next page.
func (m *moderation) queue(c echo.Context) error {
	f := inbox.ModerationFilter{State: inbox.ModerationState(c.QueryParam("state")), AdministrationID: splitList(c.QueryParam("administration"))}
	var err error
	if f.Limit, err = parseLimit(c.QueryParam("limit")); err != nil {
		return err
	}
	if raw := c.QueryParam("after"); raw != "" {
		if f.AfterMessageID, err = strconv.ParseInt(raw, 10, 64); err != nil || f.AfterMessageID < 0 {
			return inbox.Errorf(inbox.EINVALID, "after ska vara ett meddelande-id. / after must be a message id.")
		}
	}
	flags, err := m.svc.Queue(c.Request().Context(), currentUser(c), f)
	if err != nil {
		return err
	}
	next := ""
	if len(flags) > 0 && (f.Limit == 0 && len(flags) == inbox.DefaultPageSize || len(flags) == f.Limit) {
		next = strconv.FormatInt(flags[len(flags)-1].MessageID, 10)
	}
	return c.JSON(http.StatusOK, map[string]any{"flags": flags, "next": next})
}

// decide serves POST /api/v1/moderation/{message id}: hide, delete,
// restore or keep a comment, with a category and a reason. Hiding,
// deleting and restoring are queued for the platform.
func (m *moderation) decide(c echo.Context) error {
	id, err := pathID(c, "Message")
	if err != nil {
		return err
	}
	var in DecisionInput
	if err := messageFirst(c, m.messages, id, bind(c, &in, "decision, category and reason")); err != nil {
		return err
	}
	e, err := m.svc.Decide(c.Request().Context(), currentUser(c), id, in.Decision, in.Category, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

// report serves GET /api/v1/moderation/report?from=T&to=T[&by=day|month]:
// the number of decisions per period, decision and category. A bound is a
// date, a day in the report's zone (Stockholm) with both ends included as
// in the other reports, or an RFC 3339 time (to not included); the
// default period is the last 30 days.
func (m *moderation) report(c echo.Context) error {
	if err := inbox.CheckModerationReportAccess(currentUser(c)); err != nil {
		return err
	}
	loc := m.svc.Location
	if loc == nil {
		loc = time.UTC
	}
	to, err := reportBound(c.QueryParam("to"), "to", time.Now().UTC(), true, loc)
	if err != nil {
		return err
	}
	from, err := reportBound(c.QueryParam("from"), "from", to.AddDate(0, 0, -30), false, loc)
	if err != nil {
		return err
	}
	by := c.QueryParam("by")
	if by == "" {
		by = inbox.ReportByDay
	}
	rows, err := m.svc.Report(c.Request().Context(), currentUser(c), from, to, by)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"from": from, "to": to, "by": by, "rows": rows})
}

// reportBound parses a report bound, def when raw is empty: a date is the
// start of that day in loc, or for the end of the period (end) the start
// of the next, so the day is included.
func reportBound(raw, name string, def time.Time, end bool, loc *time.Location) (time.Time, error) {
	if raw == "" {
		return def, nil
	}
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t.UTC(), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, raw, loc)
	if err != nil {
		return time.Time{}, inbox.Errorf(inbox.EINVALID, "%s ska vara ett datum (2026-12-01) eller en tidpunkt enligt RFC 3339, inte %q. / "+
			"%s must be a date (2026-12-01) or an RFC 3339 time; got %q.", name, raw, name, raw)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), nil
}
