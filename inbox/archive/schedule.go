package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"inkorg/inbox"
)

// Period is how much a scheduled export covers.
type Period string

// Periods of scheduled exports, in Swedish time.
const (
	Daily   Period = "day"
	Monthly Period = "month"
)

// Valid reports whether p is a known period.
func (p Period) Valid() bool { return p == Daily || p == Monthly }

// start returns the start of the period t falls in.
func (p Period) start(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	if p == Monthly {
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// next returns the start of the period after the one starting at t.
func (p Period) next(t time.Time) time.Time {
	if p == Monthly {
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// name is the directory name of the period starting at t.
func (p Period) name(t time.Time) string {
	if p == Monthly {
		return t.Format("2006-01")
	}
	return t.Format("2006-01-02")
}

// Schedule exports every closed period once, each into its own
// directory under Dir, named by the period (2026-03-02 or 2026-03).
//
// An export is written into a staging directory of its own beside it
// (.2026-03-02.partial-<random>) and renamed into place once complete, so
// a period's directory only ever holds a complete export. A failed
// attempt removes its staging directory and the period is tried again on
// the next round. Several instances may run a Schedule on the same Dir: a
// staging directory written to within StaleAfter is another instance's
// export in progress, and the period is left to it; an older one was left
// by an instance that stopped mid-export and is removed.
type Schedule struct {
	Exporter *Exporter
	Dir      string
	Every    Period
	Now      inbox.Clock
	Logger   *slog.Logger
	// StaleAfter is how long an unchanged staging directory is taken to
	// be another instance's export in progress; DefaultStaleAfter when 0.
	StaleAfter time.Duration
}

// DefaultStaleAfter is the StaleAfter of a Schedule that sets none: far
// longer than an export writes nothing for.
const DefaultStaleAfter = 6 * time.Hour

// stagingMark separates a period's name from the random part in the name
// of its staging directory.
const stagingMark = ".partial-"

// RunOnce exports the closed periods not exported yet, from the earliest,
// and returns how many it exported. A period that fails does not hold
// back the later ones; the failures are returned together.
func (s *Schedule) RunOnce(ctx context.Context) (int, error) {
	loc := Location()
	now := s.Now()
	done, err := s.exported(ctx, now)
	if err != nil {
		return 0, err
	}
	start, err := s.firstPeriod(ctx, now, loc)
	if err != nil || start.IsZero() {
		return 0, err
	}
	busy, err := s.staging(done, loc)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for p := start; !s.Every.next(p).After(now) && ctx.Err() == nil; p = s.Every.next(p) {
		switch {
		case done[p.UTC()]:
			continue
		case busy[p.UTC()]:
			s.Logger.Info("scheduled archive export skipped: another instance is writing it", "period", s.Every.name(p))
			continue
		}
		ok, err := s.exportPeriod(ctx, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("archive export of %s: %w", s.Every.name(p), err))
		}
		if ok {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// exportPeriod exports the period starting at p into a staging directory
// and renames it into place, and reports whether it did.
func (s *Schedule) exportPeriod(ctx context.Context, p time.Time) (bool, error) {
	dir := filepath.Join(s.Dir, s.Every.name(p))
	if ok, err := s.clear(dir); !ok || err != nil {
		return false, err
	}
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return false, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot create %s.", s.Dir)
	}
	staging, err := os.MkdirTemp(s.Dir, "."+s.Every.name(p)+stagingMark)
	if err != nil {
		return false, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot create a directory in %s.", s.Dir)
	}
	x := &Exporter{Store: locatedStore{RecordStore: s.Exporter.Store, location: dir}}
	r, err := x.Export(ctx, p, s.Every.next(p), staging, true)
	if err != nil {
		if rerr := os.RemoveAll(staging); rerr != nil {
			s.Logger.Warn("failed archive export not removed", "dir", staging, "err", rerr)
		}
		return false, err
	}
	if err := s.moveInPlace(staging, dir); err != nil {
		return false, err
	}
	s.Logger.Info("archive exported", "dir", dir, "conversations", r.Manifest.Conversations,
		"manifest_sha256", r.ManifestSHA256)
	return true, nil
}

// clear reports whether a period's directory, which no complete scheduled
// export is in, can take one: it does not exist, is empty, or holds an
// export without a manifest that nothing wrote to within StaleAfter, left
// by an instance that stopped or failed mid-export before exports were
// staged, which it removes. Other files are not touched.
func (s *Schedule) clear(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return true, nil
	}
	_, manifest := os.Stat(filepath.Join(dir, ManifestFile))
	_, records := os.Stat(filepath.Join(dir, RecordsFile))
	if manifest == nil || records != nil || s.writing(dir) {
		s.Logger.Warn("scheduled archive export skipped: directory not empty", "dir", dir)
		return false, nil
	}
	s.Logger.Warn("removing an unfinished archive export", "dir", dir)
	if err := os.RemoveAll(dir); err != nil {
		return false, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot remove %s.", dir)
	}
	return true, nil
}

// moveInPlace renames a complete export's staging directory to dir. When
// another instance put the same period there first, the copy is removed:
// both are complete exports of the period, and dir is where the store
// says they are.
func (s *Schedule) moveInPlace(staging, dir string) error {
	err := os.Rename(staging, dir)
	if err == nil {
		return nil
	}
	if entries, rerr := os.ReadDir(dir); rerr == nil && len(entries) > 0 {
		s.Logger.Warn("scheduled archive export written twice; keeping the one in place", "dir", dir)
		return os.RemoveAll(staging)
	}
	return inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot move the export to %s; it is complete in %s.", dir, staging)
}

// staging looks at the staging directories under Dir. It returns the
// periods another instance is exporting now, removes what an instance
// that stopped mid-export left, and moves into place a complete export
// (one the store records) that an instance stopped before renaming.
func (s *Schedule) staging(done map[time.Time]bool, loc *time.Location) (map[time.Time]bool, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot read %s.", s.Dir)
	}
	busy := map[time.Time]bool{}
	for _, e := range entries {
		p, ok := s.stagingPeriod(e, loc)
		if !ok {
			continue
		}
		path := filepath.Join(s.Dir, e.Name())
		dir := filepath.Join(s.Dir, s.Every.name(p))
		_, manifest := os.Stat(filepath.Join(path, ManifestFile))
		switch {
		case done[p.UTC()] && manifest == nil:
			if err := s.moveInPlace(path, dir); err != nil {
				return nil, err
			}
		case s.writing(path):
			busy[p.UTC()] = true
		default:
			s.Logger.Warn("removing an unfinished archive export", "dir", path)
			if err := os.RemoveAll(path); err != nil {
				return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot remove %s.", path)
			}
		}
	}
	return busy, nil
}

// stagingPeriod returns the start of the period a staging directory is
// for, and whether e is one.
func (s *Schedule) stagingPeriod(e os.DirEntry, loc *time.Location) (time.Time, bool) {
	name, _, ok := strings.Cut(strings.TrimPrefix(e.Name(), "."), stagingMark)
	if !ok || !e.IsDir() || !strings.HasPrefix(e.Name(), ".") {
		return time.Time{}, false
	}
	layout := "2006-01-02"
	if s.Every == Monthly {
		layout = "2006-01"
	}
	p, err := time.ParseInLocation(layout, name, loc)
	return p, err == nil
}

// writing reports whether dir or anything in it was written to within
// StaleAfter: an export in progress. File times are the wall clock's, so
// this is too.
func (s *Schedule) writing(dir string) bool {
	return time.Since(lastWrite(dir)) < s.staleAfter()
}

// lastWrite is the latest modification time of dir or anything in it.
func lastWrite(dir string) time.Time {
	var last time.Time
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().After(last) {
			last = info.ModTime()
		}
		return nil
	})
	return last
}

func (s *Schedule) staleAfter() time.Duration {
	if s.StaleAfter > 0 {
		return s.StaleAfter
	}
	return DefaultStaleAfter
}

// locatedStore records an export at location, where it is moved to once
// complete, rather than at the staging directory it is written into.
type locatedStore struct {
	inbox.RecordStore
	location string
}

func (l locatedStore) CreateArchiveExport(ctx context.Context, e *inbox.ArchiveExport) error {
	e.Location = l.location
	return l.RecordStore.CreateArchiveExport(ctx, e)
}

// beginning is before anything inkorg keeps.
var beginning = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// firstPeriod returns the start of the first period to look at: the
// period of the first conversation; zero when there is nothing to export.
// Every period from there that no complete scheduled export holds is
// exported, so one that failed is never passed over.
func (s *Schedule) firstPeriod(ctx context.Context, now time.Time, loc *time.Location) (time.Time, error) {
	convs, err := s.Exporter.Store.FindConversationsActive(ctx, beginning, now, 0, 1)
	if err != nil || len(convs) == 0 {
		return time.Time{}, err
	}
	return s.Every.start(convs[0].FirstMessageAt, loc), nil
}

// exported returns the starts of the periods a complete scheduled export
// holds.
func (s *Schedule) exported(ctx context.Context, now time.Time) (map[time.Time]bool, error) {
	exps, err := s.Exporter.Store.FindArchiveExports(ctx, beginning, now)
	if err != nil {
		return nil, err
	}
	done := map[time.Time]bool{}
	for _, e := range exps {
		if e.Scheduled {
			done[e.From.UTC()] = true
		}
	}
	return done, nil
}

// Run runs RunOnce now and then every interval until ctx ends, logging
// failures; a failed period is tried again on the next round.
func (s *Schedule) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Error("scheduled archive export failed; it is tried again", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
