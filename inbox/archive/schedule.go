package archive

import (
	"context"
	"log/slog"
	"path/filepath"
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
type Schedule struct {
	Exporter *Exporter
	Dir      string
	Every    Period
	Now      inbox.Clock
	Logger   *slog.Logger
}

// RunOnce exports the closed periods not exported yet and returns how
// many it exported. It starts after the last period exported, or at the
// first conversation.
func (s *Schedule) RunOnce(ctx context.Context) (int, error) {
	loc := Location()
	now := s.Now()
	start, err := s.firstPeriod(ctx, now, loc)
	if err != nil || start.IsZero() {
		return 0, err
	}
	done, err := s.exported(ctx, start, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for p := start; !s.Every.next(p).After(now); p = s.Every.next(p) {
		if done[p.UTC()] {
			continue
		}
		dir := filepath.Join(s.Dir, s.Every.name(p))
		r, err := s.Exporter.Export(ctx, p, s.Every.next(p), dir, true)
		if inbox.ErrorCode(err) == inbox.ECONFLICT {
			// Another instance is writing or wrote this period.
			s.Logger.Warn("scheduled archive export skipped: directory not empty", "dir", dir)
			continue
		} else if err != nil {
			return n, err
		}
		n++
		s.Logger.Info("archive exported", "dir", dir, "conversations", r.Manifest.Conversations,
			"manifest_sha256", r.ManifestSHA256)
	}
	return n, nil
}

// beginning is before anything inkorg keeps.
var beginning = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// firstPeriod returns the start of the first period to look at: the end
// of the last complete scheduled export, or the period of the first
// conversation; zero when there is nothing to export.
func (s *Schedule) firstPeriod(ctx context.Context, now time.Time, loc *time.Location) (time.Time, error) {
	exps, err := s.Exporter.Store.FindArchiveExports(ctx, beginning, now)
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, e := range exps {
		if e.Scheduled && e.To.After(last) {
			last = e.To
		}
	}
	if !last.IsZero() {
		return s.Every.start(last, loc), nil
	}
	convs, err := s.Exporter.Store.FindConversationsActive(ctx, beginning, now, 0, 1)
	if err != nil || len(convs) == 0 {
		return time.Time{}, err
	}
	return s.Every.start(convs[0].FirstMessageAt, loc), nil
}

// exported returns the starts of the periods already exported exactly.
func (s *Schedule) exported(ctx context.Context, from, to time.Time) (map[time.Time]bool, error) {
	exps, err := s.Exporter.Store.FindArchiveExports(ctx, from, to)
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
