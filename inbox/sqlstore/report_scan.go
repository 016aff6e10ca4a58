package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"inkorg/inbox"
)

// summaryFrom is the table and filter of the conversations a summary
// covers, by the citizen's first message (a conversation where only the
// city has written has none); its arguments are the range's start and
// end.
func (s *Store) summaryFrom() string {
	from := "conversation_metrics"
	if s.db.Dialect() == DialectSQLite {
		// As in FindReportRows: a year is most of the table, which one
		// sequential scan reads faster than the index does.
		from += " NOT INDEXED"
	}
	return " FROM " + from + " WHERE first_inbound_at >= ? AND first_inbound_at < ? AND status <> 'spam'"
}

// ScanReportRows implements inbox.ReportStore: one pass over the metrics
// rows of the range, each handed to fn as it arrives rather than kept.
func (s *Store) ScanReportRows(ctx context.Context, req inbox.ReportRequest, fn func(*inbox.ReportRow) error) error {
	names, err := s.reportNames(ctx, req.GroupBy)
	if err != nil {
		return err
	}
	// The citizen's first message, then the group and the figures.
	cols := []reportColumn{reportTimeColumns[0]}
	if g, ok := groupColumn(req); ok {
		cols = append(cols, g)
	}
	cols = append(cols, reportSummaryColumns...)
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = c.name
	}
	var sr scannedRow
	dest := make([]any, len(cols))
	for i, c := range cols {
		dest[i] = c.dest(&sr)
	}
	fill := newRowFiller(req.GroupBy, names)
	query := "SELECT " + strings.Join(sel, ", ") + s.summaryFrom()
	args := []any{true, toDBTime(s.db.Now()), true, true, toDBTime(req.From), toDBTime(req.To)}
	each := func(scan func(dest ...any) error) error {
		sr = scannedRow{}
		if err := scan(dest...); err != nil {
			return translate(err, "Conversation metrics")
		}
		return fn(fill.row(&sr))
	}
	if s.db.Dialect() == DialectPostgres {
		return s.scanPostgres(ctx, query, args, each)
	}
	rows, err := s.conn(ctx).Raw(query, args...).Rows()
	if err != nil {
		return translate(err, "Conversation metrics")
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return translate(rows.Err(), "Conversation metrics")
}

// scanPostgres runs query (placeholders ?) on a pgx connection of the
// pool and calls each for every row. pgx scans binary columns straight
// into the destinations, where database/sql would box every value first:
// for a year of rows, most of the time a report takes.
func (s *Store) scanPostgres(ctx context.Context, query string, args []any, each func(scan func(dest ...any) error) error) error {
	conn, err := s.db.sql.Conn(ctx)
	if err != nil {
		return translate(err, "Conversation metrics")
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return inbox.Errorf(inbox.EINTERNAL, "The PostgreSQL connection is a %T, not pgx.", driverConn)
		}
		rows, err := pc.Conn().Query(ctx, dollarPlaceholders(query), args...)
		if err != nil {
			return translate(err, "Conversation metrics")
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows.Scan); err != nil {
				return err
			}
		}
		return translate(rows.Err(), "Conversation metrics")
	})
}

// dollarPlaceholders numbers the ? placeholders of query $1, $2, … for
// pgx; the report queries have no ? in literals.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nullInt is a nullable integer column. It scans without allocating from
// database/sql (sql.Scanner) and from pgx (pgtype.Int64Scanner).
type nullInt struct {
	Int64 int64
	Valid bool
}

// Scan implements sql.Scanner.
func (n *nullInt) Scan(src any) error {
	var v sql.NullInt64
	err := v.Scan(src)
	n.Int64, n.Valid = v.Int64, v.Valid
	return err
}

// ScanInt64 implements pgtype.Int64Scanner.
func (n *nullInt) ScanInt64(v pgtype.Int8) error {
	n.Int64, n.Valid = v.Int64, v.Valid
	return nil
}

// rowFiller turns scanned rows into one reused ReportRow.
type rowFiller struct {
	by    inbox.GroupBy
	names map[int64]string
	tags  map[string][]string
	r     inbox.ReportRow
	durs  [4]time.Duration
}

func newRowFiller(by inbox.GroupBy, names map[int64]string) *rowFiller {
	return &rowFiller{by: by, names: names, tags: map[string][]string{}}
}

func (f *rowFiller) row(sr *scannedRow) *inbox.ReportRow {
	m := &sr.m
	f.r = inbox.ReportRow{
		Channel: inbox.Channel(sr.channel), AccountID: sr.accountID.Int64, AdministrationID: sr.admin,
		AssigneeID: sr.assigneeID.Int64, Language: sr.lang, Tags: f.decodeTags(sr.tags),
		FirstMessageAt:    m.FirstMessageAt.Time(),
		FirstResponseWall: f.dur(0, sr.frWall), FirstResponseBusiness: f.dur(1, sr.frBus),
		ResolutionWall: f.dur(2, sr.resW), ResolutionBusiness: f.dur(3, sr.resB),
		Routed: m.Routed, DepartmentWall: time.Duration(m.DepartmentWallMS) * time.Millisecond,
		DepartmentBusiness: time.Duration(m.DepartmentBusinessMS) * time.Millisecond,
		Replies:            m.Replies, Reassignments: m.Reassignments, AnswerLink: m.AnswerLink, SLA: inbox.SLAOutcome(sr.slaOutcome),
	}
	nameReportRow(&f.r, f.by, f.names)
	return &f.r
}

// dur returns a pointer to slot i holding ms milliseconds, nil for NULL.
func (f *rowFiller) dur(i int, ms nullInt) *time.Duration {
	if !ms.Valid {
		return nil
	}
	f.durs[i] = time.Duration(ms.Int64) * time.Millisecond
	return &f.durs[i]
}

// decodeTags decodes each distinct tag list once.
func (f *rowFiller) decodeTags(s string) []string {
	if f.by != inbox.GroupTag {
		return nil
	}
	tags, ok := f.tags[s]
	if !ok {
		tags = decodeTags(s)
		f.tags[s] = tags
	}
	return tags
}
