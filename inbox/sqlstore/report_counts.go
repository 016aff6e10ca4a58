package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// bucketSQL writes the SQL of inbox.BucketQuery's buckets, with the
// arguments its placeholders take, in the order they are written.
type bucketSQL struct {
	q       inbox.BucketQuery
	dialect string
	args    []any
}

// local returns the expression of the local bucket of the time column
// expression t: seconds since the epoch plus the offset in force, divided
// by the bucket size (whole seconds and integer division; times are after
// 1970, so truncating is flooring).
func (b *bucketSQL) local(t string) string {
	epoch := "unixepoch(" + t + ")"
	if b.dialect == DialectPostgres {
		epoch = "CAST(floor(date_part('epoch', " + t + ")) AS BIGINT)"
	}
	offs := b.q.Offsets
	off := strconv.FormatInt(offs[len(offs)-1].Seconds, 10)
	if len(offs) > 1 {
		var sb strings.Builder
		sb.WriteString("CASE")
		for i, o := range offs[1:] {
			sb.WriteString(" WHEN " + t + " < ? THEN " + strconv.FormatInt(offs[i].Seconds, 10))
			b.args = append(b.args, toDBTime(o.Start))
		}
		sb.WriteString(" ELSE " + off + " END")
		off = sb.String()
	}
	return "((" + epoch + " + " + off + ") / " + strconv.FormatInt(b.q.Size, 10) + ")"
}

// bucket returns the expression of inbox.BucketQuery.Bucket of t.
func (b *bucketSQL) bucket(t string) string {
	b.args = append(b.args, toDBTime(b.q.Until), toDBTime(b.q.From))
	return "CASE WHEN " + t + " >= ? THEN " + strconv.FormatInt(inbox.BucketAfter, 10) +
		" WHEN " + t + " < ? THEN " + strconv.FormatInt(inbox.BucketBefore, 10) + " ELSE " + b.local(t) + " END"
}

// countRows runs a grouped count whose first column, unless the grouping
// is none, is the grouping's column, and scans each row's remaining
// columns into dest. On PostgreSQL it runs without JIT compilation, which
// for a year of rows costs more than it saves.
func (s *Store) countRows(ctx context.Context, g inbox.GroupBy, query string, args []any, dest []any, each func(group *inbox.ReportRow)) error {
	names, err := s.reportNames(ctx, g)
	if err != nil {
		return err
	}
	var sr scannedRow
	if col, ok := reportGroupColumns[g]; ok {
		dest = append([]any{col.dest(&sr)}, dest...)
	}
	fill := newRowFiller(g, names)
	type groupValue struct {
		text string
		id   int64
	}
	shared := map[groupValue]*inbox.ReportRow{}
	run := func(tx *gorm.DB) error {
		rows, err := tx.Raw(query, args...).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sr = scannedRow{}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			// One column is set, whichever the grouping reads.
			v := groupValue{sr.admin + sr.channel + sr.lang + sr.tags, sr.accountID.Int64 + sr.assigneeID.Int64}
			group := shared[v]
			if group == nil {
				r := fill.row(&sr)
				group = &inbox.ReportRow{Channel: r.Channel, AccountID: r.AccountID, AccountName: r.AccountName,
					AdministrationID: r.AdministrationID, AssigneeID: r.AssigneeID, AssigneeName: r.AssigneeName,
					Language: r.Language, Tags: r.Tags}
				shared[v] = group
			}
			each(group)
		}
		return rows.Err()
	}
	if s.db.Dialect() == DialectPostgres {
		// SET LOCAL needs a transaction; on SQLite one would take the
		// write lock, so the query runs on its own there.
		err = s.inTx(ctx, func(tx *gorm.DB) error {
			if err := tx.Exec("SET LOCAL jit = off").Error; err != nil {
				return err
			}
			return run(tx)
		})
	} else {
		err = run(s.conn(ctx))
	}
	return translate(err, "Conversation metrics")
}

// groupSelect returns the grouping's column, qualified by alias, as the
// start of a select list and of a GROUP BY, or nothing for no grouping.
func groupSelect(g inbox.GroupBy, alias string) string {
	if col, ok := reportGroupColumns[g]; ok {
		return alias + col.name + ", "
	}
	return ""
}

// positions returns the select list positions "1, 2, …" of the group
// column, if any, and the n columns after it.
func positions(group string, n int) string {
	if group != "" {
		n++
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i + 1)
	}
	return strings.Join(out, ", ")
}

// CountBacklog implements inbox.ReportStore.
func (s *Store) CountBacklog(ctx context.Context, q inbox.BucketQuery) ([]inbox.BacklogCount, error) {
	b := &bucketSQL{q: q, dialect: s.db.Dialect()}
	// A conversation starts when the citizen first writes; one where only
	// the city has written (NULL) is not waiting for anything.
	started := b.bucket("first_inbound_at")
	// Resolved at the first resolution, which is no earlier than started:
	// resolving a reopened conversation again leaves past days as they
	// were.
	resolved := "CASE WHEN first_resolved_at IS NULL THEN " + strconv.FormatInt(inbox.BucketNone, 10) + " ELSE " +
		b.bucket("first_resolved_at") + " END"
	group := groupSelect(q.GroupBy, "")
	query := "SELECT " + group + started + ", " + resolved + ", COUNT(*) FROM conversation_metrics" +
		" WHERE first_inbound_at < ? AND (first_resolved_at IS NULL OR first_resolved_at >= ?) AND status <> 'spam'" +
		" GROUP BY " + positions(group, 2)
	args := append(b.args, toDBTime(q.To), toDBTime(q.From))
	var out []inbox.BacklogCount
	var c inbox.BacklogCount
	err := s.countRows(ctx, q.GroupBy, query, args, []any{&c.Started, &c.Resolved, &c.Conversations}, func(g *inbox.ReportRow) {
		c.Group = g
		out = append(out, c)
	})
	return out, err
}

// CountInboundMessages implements inbox.ReportStore. The messages come
// from the partial index of inbound messages by time; a conversation
// where only the city has written has none.
func (s *Store) CountInboundMessages(ctx context.Context, q inbox.BucketQuery) ([]inbox.HourCount, error) {
	if q.Size != 60*60 {
		return nil, inbox.Errorf(inbox.EINVALID, "Inbound messages are counted by the hour, not by %d s.", q.Size)
	}
	b := &bucketSQL{q: q, dialect: s.db.Dialect()}
	// The hour of the week, Monday 00:00 first: local hour 0 since the
	// epoch was the first of a Thursday, 72 hours into its week.
	hour := "((" + b.local("m.sent_at") + " + 72) % 168)"
	group := groupSelect(q.GroupBy, "c.")
	query := "SELECT " + group + hour + ", COUNT(*) FROM messages m JOIN conversation_metrics c ON c.conversation_id = m.conversation_id" +
		" WHERE m.direction = 'inbound' AND m.sent_at >= ? AND m.sent_at < ? AND c.status <> 'spam' GROUP BY " + positions(group, 1)
	args := append(b.args, toDBTime(q.From), toDBTime(q.To))
	var out []inbox.HourCount
	var c inbox.HourCount
	err := s.countRows(ctx, q.GroupBy, query, args, []any{&c.Hour, &c.Messages}, func(g *inbox.ReportRow) {
		c.Group = g
		out = append(out, c)
	})
	return out, err
}
