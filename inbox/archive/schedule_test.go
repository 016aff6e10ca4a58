package archive_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// flakyStore fails reading a record once, as a database blip or a restart
// in the middle of a scheduled export would.
type flakyStore struct {
	inbox.RecordStore
	failed bool
}

func (f *flakyStore) FindConversationRecord(ctx context.Context, id int64) (*inbox.ConversationRecord, error) {
	if !f.failed {
		f.failed = true
		return nil, inbox.Errorf(inbox.EUNAVAILABLE, "database went away")
	}
	return f.RecordStore.FindConversationRecord(ctx, id)
}

// newSchedule returns a daily schedule into dir on store, two days after
// the scene: 2026-03-02 and 2026-03-03 are closed.
func newSchedule(store inbox.RecordStore, dir string) *archive.Schedule {
	now := recordtest.T0.Add(50 * time.Hour)
	return &archive.Schedule{Exporter: &archive.Exporter{Store: store}, Dir: dir, Every: archive.Daily,
		Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)}
}

// scheduledDays returns the days complete scheduled exports hold, and
// checks that each is recorded where its directory is.
func scheduledDays(t *testing.T, s *recordtest.Scene, dir string) []string {
	t.Helper()
	exps, err := s.Store.FindArchiveExports(context.Background(), recordtest.T0.Add(-48*time.Hour), recordtest.T0.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, e := range exps {
		if !e.Scheduled {
			continue
		}
		day := e.From.In(archive.Location()).Format("2006-01-02")
		days = append(days, day)
		if want := filepath.Join(dir, day); e.Location != want {
			t.Errorf("export of %s: got location %q, want %q", day, e.Location, want)
		}
		if _, err := os.Stat(filepath.Join(dir, day, archive.ManifestFile)); err != nil {
			t.Errorf("export of %s: %v", day, err)
		}
	}
	return days
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}

// A scheduled export that fails leaves nothing behind and is tried again
// on the next round, also after a later day was exported.
func TestScheduleRetriesFailedPeriod(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	ctx := context.Background()
	dir := t.TempDir()
	sch := newSchedule(&flakyStore{RecordStore: s.Store}, dir)
	n, err := sch.RunOnce(ctx)
	if err == nil || !strings.Contains(err.Error(), "2026-03-02") || n != 1 {
		t.Fatalf("first round: got %d exports, %v; want 2026-03-03 exported and 2026-03-02 failing", n, err)
	}
	if got := strings.Join(entries(t, dir), " "); got != "2026-03-03" {
		t.Errorf("after the failure: got %q in the directory, want only the day exported", got)
	}
	if n, err := sch.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("second round: got %d exports, %v; want the failed day", n, err)
	}
	if got := strings.Join(scheduledDays(t, s, dir), " "); got != "2026-03-02 2026-03-03" {
		t.Errorf("scheduled exports: got %q, want both days", got)
	}
	if n, err := sch.RunOnce(ctx); err != nil || n != 0 {
		t.Errorf("third round: got %d exports, %v; want none", n, err)
	}
}

// A staging directory another instance writes to leaves the day to it;
// one nothing wrote to for long was left by an instance that stopped, and
// is removed and the day exported. So is a period directory holding an
// unfinished export; other files there are never touched.
func TestScheduleStagingLeftovers(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	ctx := context.Background()
	dir := t.TempDir()
	write := func(path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{}\n"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, ".2026-03-02.partial-1234", archive.RecordsFile))
	write(filepath.Join(dir, "2026-03-03", "README.txt"))
	sch := newSchedule(s.Store, dir)
	if n, err := sch.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("with another instance writing 2026-03-02 and someone's file in 2026-03-03: got %d exports, %v; want none", n, err)
	}
	if got := strings.Join(entries(t, dir), " "); got != ".2026-03-02.partial-1234 2026-03-03" {
		t.Errorf("got %q in the directory, want both kept", got)
	}

	old := time.Now().Add(-2 * time.Hour)
	os.Remove(filepath.Join(dir, "2026-03-03", "README.txt"))
	write(filepath.Join(dir, "2026-03-03", archive.RecordsFile))
	for _, p := range []string{".2026-03-02.partial-1234", ".2026-03-02.partial-1234/" + archive.RecordsFile, "2026-03-03", "2026-03-03/" + archive.RecordsFile} {
		if err := os.Chtimes(filepath.Join(dir, p), old, old); err != nil {
			t.Fatal(err)
		}
	}
	sch.StaleAfter = time.Hour
	if n, err := sch.RunOnce(ctx); err != nil || n != 2 {
		t.Fatalf("with both left unfinished an hour ago: got %d exports, %v; want both days", n, err)
	}
	if got := strings.Join(entries(t, dir), " "); got != "2026-03-02 2026-03-03" {
		t.Errorf("got %q in the directory, want the two days only", got)
	}
	scheduledDays(t, s, dir)
}
