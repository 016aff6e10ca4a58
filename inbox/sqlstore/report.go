package sqlstore

import (
	"context"
	"strings"
	"time"

	"inkorg/inbox"
)

var _ inbox.ReportStore = (*Store)(nil)

// reportColumn is a column a report may read, and where its value goes.
type reportColumn struct {
	name string
	dest func(sr *scannedRow) any
}

// scannedRow receives one row; nullable numbers scan into nullInt, which
// does not allocate.
type scannedRow struct {
	m                          metricsRow
	frWall, frBus, resW, resB  nullInt
	accountID, assigneeID      nullInt
	admin, channel, lang, tags string
	slaOutcome                 int
}

// slaOutcomeSQL is the inbox.SLAOutcome of a metrics row as of now (the
// arguments: true, now, true, true): a running clock past its due time
// has missed it, whatever state was stored when it was last measured.
// Once a later question has the clock, the row counts its first
// question's outcome: reports place a conversation by the citizen's first
// message.
const slaOutcomeSQL = `CASE WHEN first_sla_outcome IS NOT NULL THEN first_sla_outcome
	WHEN sla_policy = '' THEN 0
	WHEN sla_state = 'breached' THEN 2
	WHEN sla_running = ? AND sla_due_at < ? THEN 2
	WHEN sla_running = ? OR sla_paused = ? THEN 0
	ELSE 1 END`

// summaryAgentColumn is the agent the summary counts a conversation for:
// who sent the first reply to the citizen's first question (the figures
// are about answering), or, while no one in inkorg has, its assignee (0
// for none). The backlog and the hours, which are about the work, count
// it for its assignee, who holds it.
var summaryAgentColumn = reportColumn{"COALESCE(first_responder_id, assignee_id)", func(r *scannedRow) any { return &r.assigneeID }}

// Columns by what needs them: the range filter, each grouping, and the
// summary's figures. Backlog and hours read only the times and the group.
// A row's FirstMessageAt is the citizen's first message, which places it.
var (
	reportTimeColumns = []reportColumn{
		{"first_inbound_at", func(r *scannedRow) any { return &r.m.FirstMessageAt }},
		// The backlog's: the first resolution after the first message.
		{"first_resolved_at", func(r *scannedRow) any { return &r.m.ResolvedAt }},
	}
	reportGroupColumns = map[inbox.GroupBy]reportColumn{
		inbox.GroupAdministration: {"administration_id", func(r *scannedRow) any { return &r.admin }},
		inbox.GroupChannel:        {"channel", func(r *scannedRow) any { return &r.channel }},
		inbox.GroupAccount:        {"account_id", func(r *scannedRow) any { return &r.accountID }},
		inbox.GroupAgent:          {"assignee_id", func(r *scannedRow) any { return &r.assigneeID }},
		inbox.GroupLanguage:       {"language", func(r *scannedRow) any { return &r.lang }},
		inbox.GroupTag:            {"tags", func(r *scannedRow) any { return &r.tags }},
	}
	reportSummaryColumns = []reportColumn{
		{"first_response_wall_ms", func(r *scannedRow) any { return &r.frWall }},
		{"first_response_business_ms", func(r *scannedRow) any { return &r.frBus }},
		{"resolution_wall_ms", func(r *scannedRow) any { return &r.resW }},
		{"resolution_business_ms", func(r *scannedRow) any { return &r.resB }},
		{"routed", func(r *scannedRow) any { return &r.m.Routed }},
		{"department_wall_ms", func(r *scannedRow) any { return &r.m.DepartmentWallMS }},
		{"department_business_ms", func(r *scannedRow) any { return &r.m.DepartmentBusinessMS }},
		{"replies", func(r *scannedRow) any { return &r.m.Replies }},
		{"reassignments", func(r *scannedRow) any { return &r.m.Reassignments }},
		{"answer_link", func(r *scannedRow) any { return &r.m.AnswerLink }},
		{slaOutcomeSQL, func(r *scannedRow) any { return &r.slaOutcome }},
	}
)

// groupColumn returns the column req's rows are grouped by, if any.
func groupColumn(req inbox.ReportRequest) (reportColumn, bool) {
	if req.GroupBy == inbox.GroupAgent && req.Kind == inbox.ReportSummary {
		return summaryAgentColumn, true
	}
	g, ok := reportGroupColumns[req.GroupBy]
	return g, ok
}

// reportColumns returns the columns req needs.
func reportColumns(req inbox.ReportRequest) []reportColumn {
	cols := append([]reportColumn(nil), reportTimeColumns...)
	if g, ok := groupColumn(req); ok {
		cols = append(cols, g)
	}
	if req.Kind == inbox.ReportSummary {
		cols = append(cols, reportSummaryColumns...)
	}
	return cols
}

// FindReportRows returns the metrics of every conversation a citizen
// first wrote in before req.To that was not first resolved before
// req.From, spam excluded, with the fields req's report and grouping
// need.
func (s *Store) FindReportRows(ctx context.Context, req inbox.ReportRequest) ([]inbox.ReportRow, error) {
	cols := reportColumns(req)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	// SQLite would walk the first_inbound_at index and fetch every row
	// from the table one page read at a time; a report covers most of the
	// table, which one sequential scan reads far faster.
	from := "conversation_metrics"
	if s.db.Dialect() == DialectSQLite {
		from += " NOT INDEXED"
	}
	where := " WHERE first_inbound_at < ? AND (first_resolved_at IS NULL OR first_resolved_at >= ?) AND status <> 'spam'"
	args := []any{toDBTime(req.To), toDBTime(req.From)}
	var n int64
	if err := s.conn(ctx).Raw("SELECT COUNT(*) FROM "+from+where, args...).Scan(&n).Error; err != nil {
		return nil, translate(err, "Conversation metrics")
	}
	now := s.db.Now()
	if req.Kind == inbox.ReportSummary {
		args = append([]any{true, toDBTime(now), true, true}, args...)
	}
	rows, err := s.conn(ctx).Raw("SELECT "+strings.Join(names, ", ")+" FROM "+from+where, args...).Rows()
	if err != nil {
		return nil, translate(err, "Conversation metrics")
	}
	defer rows.Close()
	sc := newReportScanner(int(n))
	var sr scannedRow
	dest := make([]any, len(cols))
	for i, c := range cols {
		dest[i] = c.dest(&sr)
	}
	for rows.Next() {
		sr = scannedRow{}
		if err := rows.Scan(dest...); err != nil {
			return nil, translate(err, "Conversation metrics")
		}
		sc.out = append(sc.out, sc.row(&sr))
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err, "Conversation metrics")
	}
	return sc.out, s.nameReportRows(ctx, req.GroupBy, sc.out)
}

// reportScanner turns scanned rows into ReportRows with few allocations:
// a year is hundreds of thousands of rows, so the durations and times they
// point to come from a few large slices, and equal strings and tag lists
// are shared (callers must not change them).
type reportScanner struct {
	out     []inbox.ReportRow
	durs    []time.Duration
	times   []time.Time
	tags    map[string][]string
	strings map[string]string
}

func newReportScanner(n int) *reportScanner {
	return &reportScanner{
		out: make([]inbox.ReportRow, 0, n), durs: make([]time.Duration, 0, 2*n), times: make([]time.Time, 0, n),
		tags: map[string][]string{}, strings: map[string]string{},
	}
}

func (sc *reportScanner) row(sr *scannedRow) inbox.ReportRow {
	m := &sr.m
	r := inbox.ReportRow{
		Channel: inbox.Channel(sc.intern(sr.channel)), AccountID: sr.accountID.Int64,
		AdministrationID: sc.intern(sr.admin), AssigneeID: sr.assigneeID.Int64, Language: sc.intern(sr.lang),
		Tags: sc.decodeTags(sr.tags), FirstMessageAt: m.FirstMessageAt.Time(), ResolvedAt: sc.time(m.ResolvedAt),
		FirstResponseWall: sc.dur(sr.frWall), FirstResponseBusiness: sc.dur(sr.frBus),
		ResolutionWall: sc.dur(sr.resW), ResolutionBusiness: sc.dur(sr.resB),
		Routed: m.Routed, DepartmentWall: time.Duration(m.DepartmentWallMS) * time.Millisecond,
		DepartmentBusiness: time.Duration(m.DepartmentBusinessMS) * time.Millisecond,
		Replies:            m.Replies, Reassignments: m.Reassignments, AnswerLink: m.AnswerLink, SLA: inbox.SLAOutcome(sr.slaOutcome),
	}
	return r
}

// dur returns a pointer to the duration of ms milliseconds, nil for NULL.
func (sc *reportScanner) dur(ms nullInt) *time.Duration {
	if !ms.Valid {
		return nil
	}
	if len(sc.durs) == cap(sc.durs) {
		sc.durs = make([]time.Duration, 0, 1024)
	}
	sc.durs = append(sc.durs, time.Duration(ms.Int64)*time.Millisecond)
	return &sc.durs[len(sc.durs)-1]
}

// time returns a pointer to t, nil for NULL.
func (sc *reportScanner) time(t dbTime) *time.Time {
	if time.Time(t).IsZero() {
		return nil
	}
	if len(sc.times) == cap(sc.times) {
		sc.times = make([]time.Time, 0, 1024)
	}
	sc.times = append(sc.times, t.Time())
	return &sc.times[len(sc.times)-1]
}

func (sc *reportScanner) intern(s string) string {
	if v, ok := sc.strings[s]; ok {
		return v
	}
	sc.strings[s] = s
	return s
}

func (sc *reportScanner) decodeTags(s string) []string {
	tags, ok := sc.tags[s]
	if !ok {
		tags = decodeTags(s)
		sc.tags[s] = tags
	}
	return tags
}

// nameReportRows sets the account or assignee names of rows grouped by them.
func (s *Store) nameReportRows(ctx context.Context, g inbox.GroupBy, rows []inbox.ReportRow) error {
	names, err := s.reportNames(ctx, g)
	if err != nil || names == nil {
		return err
	}
	for i := range rows {
		nameReportRow(&rows[i], g, names)
	}
	return nil
}

// reportNames returns the names of the accounts or users, by id, for a
// report grouped by them; nil for other groupings.
func (s *Store) reportNames(ctx context.Context, g inbox.GroupBy) (map[int64]string, error) {
	table := map[inbox.GroupBy]string{inbox.GroupAccount: "accounts", inbox.GroupAgent: "users"}[g]
	if table == "" {
		return nil, nil
	}
	var named []struct {
		ID   int64  `gorm:"column:id"`
		Name string `gorm:"column:name"`
	}
	if err := s.conn(ctx).Table(table).Select("id, name").Scan(&named).Error; err != nil {
		return nil, translate(err, "Report names")
	}
	names := make(map[int64]string, len(named))
	for _, n := range named {
		names[n.ID] = n.Name
	}
	return names, nil
}

// nameReportRow sets the account or assignee name of r grouped by g.
func nameReportRow(r *inbox.ReportRow, g inbox.GroupBy, names map[int64]string) {
	switch g {
	case inbox.GroupAccount:
		r.AccountName = names[r.AccountID]
	case inbox.GroupAgent:
		r.AssigneeName = names[r.AssigneeID]
	}
}
