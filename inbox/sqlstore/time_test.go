package sqlstore

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// The PostgreSQL driver takes a TIMESTAMPTZ parameter from
// TimestamptzValue when a type has it: it must say the same instant as
// Value, NULL included.
func TestDBTimeTimestamptzValue(t *testing.T) {
	var _ pgtype.TimestamptzValuer = dbTime{}
	zero, err := dbTime{}.TimestamptzValue()
	if err != nil || zero.Valid {
		t.Fatalf("zero time = %+v, %v; want NULL", zero, err)
	}
	at := time.Date(2026, 3, 29, 3, 4, 5, 123456789, time.FixedZone("CEST", 2*3600))
	got, err := dbTime(at).TimestamptzValue()
	if err != nil || !got.Valid {
		t.Fatalf("TimestamptzValue = %+v, %v", got, err)
	}
	want := time.Date(2026, 3, 29, 1, 4, 5, 123456000, time.UTC)
	if !got.Time.Equal(want) || got.Time.Location() != time.UTC {
		t.Errorf("TimestamptzValue = %v, want %v in UTC", got.Time, want)
	}
	text, _ := dbTime(at).Value()
	if text != want.Format(timeLayout) {
		t.Errorf("Value = %v, want %v", text, want.Format(timeLayout))
	}
}
