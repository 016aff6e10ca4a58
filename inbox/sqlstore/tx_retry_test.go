package sqlstore

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// TestInTxRetry runs again a transaction PostgreSQL aborted as a deadlock
// or serialization failure, at most txAttempts times, and no other.
func TestInTxRetry(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "inkorg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := NewStore(db)
	other := errors.New("not a transaction conflict")
	for _, tc := range []struct {
		name      string
		failures  []error // what the first runs return; nil after them
		wantRuns  int
		wantError error
	}{
		{"DeadlockOnce", []error{&pgconn.PgError{Code: "40P01"}}, 2, nil},
		{"SerializationTwice", []error{&pgconn.PgError{Code: "40001"}, &pgconn.PgError{Code: "40001"}}, 3, nil},
		{"DeadlockEveryTime", []error{&pgconn.PgError{Code: "40P01"}, &pgconn.PgError{Code: "40P01"}, &pgconn.PgError{Code: "40P01"}, &pgconn.PgError{Code: "40P01"}}, txAttempts, &pgconn.PgError{}},
		{"OtherError", []error{other}, 1, other},
		{"UniqueViolation", []error{&pgconn.PgError{Code: "23505"}}, 1, &pgconn.PgError{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := 0
			err := s.inTxRetry(t.Context(), func(tx *gorm.DB) error {
				runs++
				if runs <= len(tc.failures) {
					return tc.failures[runs-1]
				}
				return nil
			})
			if runs != tc.wantRuns {
				t.Errorf("ran %d times, want %d", runs, tc.wantRuns)
			}
			var pgErr *pgconn.PgError
			switch want := tc.wantError.(type) {
			case nil:
				if err != nil {
					t.Errorf("got %v, want success", err)
				}
			case *pgconn.PgError:
				if !errors.As(err, &pgErr) {
					t.Errorf("got %v, want the PostgreSQL error", err)
				}
			default:
				if !errors.Is(err, want) {
					t.Errorf("got %v, want %v", err, want)
				}
			}
		})
	}
}
