package main

import (
	"strconv"
	"strings"

	"inkorg/inbox"
	"inkorg/inbox/archive"
)

// RecordsConfig is how the public record is archived and how long
// personal data is kept.
type RecordsConfig struct {
	// ArchiveDir (INKORG_ARCHIVE_DIR), when set, makes the workers role
	// export each closed period there once.
	ArchiveDir string
	// ArchiveEvery (INKORG_ARCHIVE_EVERY) is day or month; default day.
	ArchiveEvery archive.Period
	// Retention is INKORG_RETENTION_MONTHS and INKORG_RETENTION_ACTION;
	// Months is 0 when no policy is set.
	Retention inbox.RetentionPolicy
}

// parseRecordsConfig reads the archive and retention variables.
func parseRecordsConfig(dir, every, months, action string) (RecordsConfig, error) {
	rc := RecordsConfig{ArchiveDir: dir, ArchiveEvery: archive.Daily, Retention: inbox.RetentionPolicy{Action: inbox.Pseudonymise}}
	if every != "" {
		rc.ArchiveEvery = archive.Period(strings.ToLower(every))
		if !rc.ArchiveEvery.Valid() {
			return rc, configErrorf("INKORG_ARCHIVE_EVERY: %q is not day or month", every)
		}
	}
	if action != "" {
		rc.Retention.Action = inbox.PersonalDataAction(strings.ToLower(action))
		if !rc.Retention.Action.Valid() {
			return rc, configErrorf("INKORG_RETENTION_ACTION: %q is not pseudonymise or delete", action)
		}
	}
	if months != "" {
		n, err := strconv.Atoi(months)
		if err != nil || n < 1 || n > 1200 {
			return rc, configErrorf("INKORG_RETENTION_MONTHS: %q is not a number of months from 1 to 1200", months)
		}
		rc.Retention.Months = n
	}
	return rc, nil
}
