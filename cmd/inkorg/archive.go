package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"inkorg/inbox/archive"
	"inkorg/inbox/sqlstore"
)

const archiveUsage = "usage: inkorg archive export --from DATE --to DATE --out DIR"

// archiveSchedulePoll is how often the workers role looks for a closed
// period to export.
const archiveSchedulePoll = time.Hour

// archiveCmd exports the public record.
func archiveCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return usagef(archiveUsage)
	}
	fs := newFlagSet("archive export")
	fromFlag := fs.String("from", "", "first day (YYYY-MM-DD, Swedish time) or RFC 3339 time")
	toFlag := fs.String("to", "", "last day, included (YYYY-MM-DD), or RFC 3339 end, excluded")
	out := fs.String("out", "", "directory to write; must not exist or be empty")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *fromFlag == "" || *toFlag == "" || *out == "" {
		return usagef("archive export: --from, --to and --out are required; %s", archiveUsage)
	}
	from, err := periodBound("from", *fromFlag, false)
	if err != nil {
		return err
	}
	to, err := periodBound("to", *toFlag, true)
	if err != nil {
		return err
	}
	if !from.Before(to) {
		return usagef("archive export: --to must not be before --from")
	}
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := (&archive.Exporter{Store: sqlstore.NewStore(db)}).Export(ctx, from, to, *out, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "archived %d conversations (%d messages) from %s to %s in %s\nmanifest sha256 %s\n",
		r.Manifest.Conversations, r.Manifest.Messages, from.Format(time.RFC3339), to.Format(time.RFC3339), r.Dir, r.ManifestSHA256)
	return nil
}

// periodBound parses a period bound: a date is midnight in Swedish time
// (the next midnight for an included last day), anything else RFC 3339.
func periodBound(name, raw string, end bool) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", raw, archive.Location()); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, usagef("archive export: --%s %q is not YYYY-MM-DD or an RFC 3339 time", name, raw)
	}
	return t, nil
}

// startArchiveSchedule runs the scheduled archive export in the workers
// role when INKORG_ARCHIVE_DIR is set.
func startArchiveSchedule(ctx context.Context, wg *sync.WaitGroup, e *env, store *sqlstore.Store) {
	if e.cfg.Records.ArchiveDir == "" {
		return
	}
	s := &archive.Schedule{
		Exporter: &archive.Exporter{Store: store}, Dir: e.cfg.Records.ArchiveDir, Every: e.cfg.Records.ArchiveEvery,
		Now: func() time.Time { return time.Now().UTC() }, Logger: e.logger.With(slog.String("worker", "archive")),
	}
	wg.Add(1)
	go func() { defer wg.Done(); s.Run(ctx, archiveSchedulePoll) }()
}
