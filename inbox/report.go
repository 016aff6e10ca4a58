package inbox

import (
	"context"
	"time"
)

// ReportKind names a report.
type ReportKind string

// Reports.
const (
	// ReportSummary: volumes, response and resolution percentiles, SLA
	// attainment, answer-bank links and department routing per group.
	ReportSummary ReportKind = "summary"
	// ReportBacklog: conversations at the end of each day that the citizen
	// had written in and that had not yet been first resolved.
	ReportBacklog ReportKind = "backlog"
	// ReportHours: inbound citizen messages by weekday and hour.
	ReportHours ReportKind = "hours"
)

// GroupBy is what a report's rows are grouped by.
type GroupBy string

// Groupings; GroupNone puts everything in one group.
const (
	GroupNone           GroupBy = ""
	GroupAdministration GroupBy = "administration"
	GroupChannel        GroupBy = "channel"
	GroupAccount        GroupBy = "account"
	GroupAgent          GroupBy = "agent"
	GroupTag            GroupBy = "tag"
	GroupLanguage       GroupBy = "language"
)

// Valid reports whether g is a known grouping.
func (g GroupBy) Valid() bool {
	switch g {
	case GroupNone, GroupAdministration, GroupChannel, GroupAccount, GroupAgent, GroupTag, GroupLanguage:
		return true
	}
	return false
}

// MaxReportDays is the longest date range a report covers.
const MaxReportDays = 400

// ReportRequest asks for one report over the days From to To, both
// included, in the calendar's time zone.
type ReportRequest struct {
	Kind    ReportKind
	From    time.Time // midnight of the first day
	To      time.Time // midnight of the day after the last day
	GroupBy GroupBy
}

// ReportRow is one conversation's metrics as reports read them.
type ReportRow struct {
	ConversationID   int64
	Channel          Channel
	AccountID        int64
	AccountName      string
	AdministrationID string
	AssigneeID       int64
	AssigneeName     string
	Language         string
	Tags             []string
	Status           Status
	FirstMessageAt   time.Time
	// ResolvedAt is the first resolution at or after FirstMessageAt (see
	// ConversationMetrics.FirstResolvedAt): the backlog counts the
	// conversation open until then, and not again when it is reopened,
	// so a past day's backlog stays as it was.
	ResolvedAt *time.Time

	FirstResponseWall, FirstResponseBusiness *time.Duration
	ResolutionWall, ResolutionBusiness       *time.Duration

	Routed                             bool
	DepartmentWall, DepartmentBusiness time.Duration
	Replies, Reassignments             int
	AnswerLink                         bool

	SLA SLAOutcome
}

// SLAOutcome is how a conversation counts in SLA attainment.
type SLAOutcome int

// SLA outcomes.
const (
	// SLANotCounted: no policy applies, or its clock still runs in time.
	SLANotCounted SLAOutcome = iota
	// SLAMet: the clock stopped by its due time.
	SLAMet
	// SLAMissed: the clock passed its due time, stopped or not.
	SLAMissed
)

// ReportStore reads what reports are computed from.
type ReportStore interface {
	// FindReportRows returns the metrics of every conversation that started
	// before req.To and was not first resolved before req.From, spam
	// excluded.
	// Only the fields req's report and grouping need are set; rows may
	// share strings and tag lists, which callers must not change.
	FindReportRows(ctx context.Context, req ReportRequest) ([]ReportRow, error)
	// ScanReportRows calls fn with the metrics of every conversation whose
	// first message is within req's range, spam excluded, with that
	// message's time and the fields the summary and req's grouping need.
	// The row and what it points to
	// are only valid during the call; an error from fn stops the scan and
	// is returned.
	ScanReportRows(ctx context.Context, req ReportRequest, fn func(*ReportRow) error) error
	// CountBacklog counts, per group and pair of local days, the
	// conversations FindReportRows returns: the day each started and the
	// day of its ResolvedAt, its first resolution.
	CountBacklog(ctx context.Context, q BucketQuery) ([]BacklogCount, error)
	// CountInboundMessages counts, per group and hour of the week in local
	// time (q.Size is 3600), the inbound messages sent within the range in
	// conversations that are not spam.
	CountInboundMessages(ctx context.Context, q BucketQuery) ([]HourCount, error)
}

// ReportService answers report requests for supervisors and admins.
type ReportService struct {
	Store ReportStore
	// Location is the calendar's zone: days and hours are counted in it.
	Location *time.Location
	// Now is the clock; the backlog of today counts until now.
	Now func() time.Time
}

// CanReadReports reports whether u may read reports: supervisors and admins.
func (u *User) CanReadReports() bool {
	return u.Role == RoleSupervisor || u.Role == RoleAdmin
}

// Report builds the report req asks for.
func (s *ReportService) Report(ctx context.Context, u *User, req ReportRequest) (*Report, error) {
	if err := CheckReportAccess(u); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	rep := newReport(req, s.Location)
	var err error
	switch req.Kind {
	case ReportSummary:
		rep.Summary, err = s.summary(ctx, req)
	case ReportBacklog:
		rep.Backlog, err = s.backlog(ctx, req, s.Now())
	case ReportHours:
		rep.Hours, err = s.hours(ctx, req)
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// CheckReportAccess returns the error that refuses u reports, or nil
// when u may read them. An edge checks it before it reads a request, so a
// user who may not read reports is told so, not what is wrong with the
// request.
func CheckReportAccess(u *User) error {
	if u == nil || !u.CanReadReports() {
		return errReportsForbidden
	}
	return nil
}

// errReportsForbidden refuses reports to all but supervisors and admins.
var errReportsForbidden = ruleError(EFORBIDDEN, "Bara arbetsledare och administratörer kan läsa rapporter.",
	"Only supervisors and admins can read reports.")

// Validate reports the first thing wrong with r as EINVALID.
func (r ReportRequest) Validate() error {
	switch {
	case r.Kind != ReportSummary && r.Kind != ReportBacklog && r.Kind != ReportHours:
		return ruleError(EINVALID, "Okänd rapport %q; välj summary, backlog eller hours.", "Unknown report %q; use summary, backlog or hours.", r.Kind)
	case !r.GroupBy.Valid():
		return ruleError(EINVALID, "Okänd gruppering group_by %q; välj administration, channel, account, agent, tag eller language.",
			"Unknown group_by %q; use administration, channel, account, agent, tag or language.", r.GroupBy)
	case r.From.IsZero() || r.To.IsZero():
		return ruleError(EINVALID, "Ange perioden som from=ÅÅÅÅ-MM-DD och to=ÅÅÅÅ-MM-DD.", "Give the date range as from=YYYY-MM-DD and to=YYYY-MM-DD.")
	case !r.To.After(r.From):
		return ruleError(EINVALID, "Perioden slutar innan den börjar.", "The date range ends before it starts.")
	case calendarDays(r.From, r.To) > MaxReportDays:
		n := calendarDays(r.From, r.To)
		return ruleError(EINVALID, "En rapport omfattar högst %d dagar, båda datumen medräknade; perioden har %d.",
			"A report covers at most %d days, both dates included; this range has %d.", MaxReportDays, n)
	}
	return nil
}
