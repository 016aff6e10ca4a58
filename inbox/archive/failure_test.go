package archive_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// failingRecords is a store whose database goes away while the record of
// one conversation is read.
type failingRecords struct {
	inbox.RecordStore
	failOn int64
}

func (f failingRecords) FindConversationRecord(ctx context.Context, id int64) (*inbox.ConversationRecord, error) {
	if id == f.failOn {
		return nil, inbox.Errorf(inbox.EUNAVAILABLE, "The database does not answer.")
	}
	return f.RecordStore.FindConversationRecord(ctx, id)
}

// TestExportErrLeavesNothing checks that an export that fails halfway
// leaves no part of itself in the directory, so nobody takes it for an
// archive and the same command can be run again.
func TestExportErrLeavesNothing(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		existing bool
	}{{"NewDir", false}, {"EmptyDir", true}} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "arkiv")
			if c.existing {
				if err := os.Mkdir(dir, 0o750); err != nil {
					t.Fatal(err)
				}
			}
			x := &archive.Exporter{Store: failingRecords{RecordStore: s.Store, failOn: s.Private}}
			if _, err := x.Export(ctx, from, to, dir, false); inbox.ErrorCode(err) != inbox.EUNAVAILABLE {
				t.Fatalf("got %v, want the store's EUNAVAILABLE", err)
			}
			checkLeftNothing(t, dir, c.existing)
			if _, err := (&archive.Exporter{Store: s.Store}).Export(ctx, from, to, dir, false); err != nil {
				t.Errorf("export again into %s: got %v, want it to work", dir, err)
			}
		})
	}
}

// TestExportSubjectErrLeavesNothing checks the same of a subject-access
// export, which holds a person's data.
func TestExportSubjectErrLeavesNothing(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	ctx := context.Background()
	p := privacy(s)
	p.Records = failingRecords{RecordStore: s.Store, failOn: s.Private}
	contact, err := s.Store.FindContact(ctx, s.PrivateContact)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "utdrag")
	if _, err := archive.ExportSubject(ctx, p, 0, []*inbox.Contact{contact}, dir); inbox.ErrorCode(err) != inbox.EUNAVAILABLE {
		t.Fatalf("got %v, want the store's EUNAVAILABLE", err)
	}
	checkLeftNothing(t, dir, false)
}

// checkLeftNothing checks that dir is gone, or empty when it was there
// before the export.
func checkLeftNothing(t *testing.T, dir string, existing bool) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	switch {
	case existing && err != nil:
		t.Errorf("got %v, want the directory that was there kept", err)
	case existing && len(entries) > 0:
		t.Errorf("got %d entries left in %s (%s…), want none", len(entries), dir, entries[0].Name())
	case !existing && !errors.Is(err, os.ErrNotExist):
		t.Errorf("got %s left (%v), want it removed", dir, err)
	}
}
