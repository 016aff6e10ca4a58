package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// timeLayout is how times are written: UTC, microseconds, fixed width. On
// SQLite, which has no time type, the fixed width makes text order time
// order, so ORDER BY, MIN, MAX and comparisons work on the stored text.
// PostgreSQL parses the same text into a TIMESTAMPTZ, whose precision is
// also the microsecond, so both dialects keep exactly the same instant.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// dbTime is a time as a column holds it. The zero time is NULL, so one type
// serves both nullable and required columns.
type dbTime time.Time

// toDBTime returns t as stored: in UTC, truncated to the microsecond.
func toDBTime(t time.Time) dbTime {
	if t.IsZero() {
		return dbTime{}
	}
	return dbTime(t.UTC().Truncate(time.Microsecond))
}

// Time returns the time in UTC; the zero time for NULL.
func (t dbTime) Time() time.Time {
	if time.Time(t).IsZero() {
		return time.Time{}
	}
	return time.Time(t).UTC()
}

// Ptr returns the time, or nil for NULL.
func (t dbTime) Ptr() *time.Time {
	if time.Time(t).IsZero() {
		return nil
	}
	v := t.Time()
	return &v
}

// Value implements driver.Valuer.
func (t dbTime) Value() (driver.Value, error) {
	if time.Time(t).IsZero() {
		return nil, nil
	}
	return time.Time(t).UTC().Truncate(time.Microsecond).Format(timeLayout), nil
}

// TimestamptzValue implements pgtype.TimestamptzValuer, which the
// PostgreSQL driver prefers to Value for a TIMESTAMPTZ parameter: it
// sends the time in binary, where the text from Value would first fail to
// encode as a time, with an error built and dropped, and then be parsed
// back into one, for every time of every statement.
func (t dbTime) TimestamptzValue() (pgtype.Timestamptz, error) {
	if time.Time(t).IsZero() {
		return pgtype.Timestamptz{}, nil
	}
	return pgtype.Timestamptz{Time: time.Time(t).UTC().Truncate(time.Microsecond), Valid: true}, nil
}

// Scan implements sql.Scanner. PostgreSQL hands over a time.Time; SQLite
// hands over text, or a time.Time when it recognises a column type.
func (t *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = dbTime{}
	case time.Time:
		*t = dbTime(v.UTC())
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	return nil
}

func (t *dbTime) parse(s string) error {
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00"} {
		if v, err := time.Parse(layout, s); err == nil {
			*t = dbTime(v.UTC())
			return nil
		}
	}
	return fmt.Errorf("sqlstore: cannot parse %q as a time", s)
}

// ptrTime returns *p as a dbTime, NULL for nil.
func ptrTime(p *time.Time) dbTime {
	if p == nil {
		return dbTime{}
	}
	return toDBTime(*p)
}
