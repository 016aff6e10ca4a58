package main

import (
	"context"
	"fmt"

	"inkorg/inbox/sqlstore"
	"inkorg/routing"
)

// useStoredRules makes t try the admin-defined routing rules stored in the
// configured database (DATABASE_URL, or the embedded SQLite in the data
// dir) before the classifier, as the workers do, and returns how many of
// them are enabled.
func useStoredRules(ctx context.Context, e *env, t *routing.Triager) (int, error) {
	db, err := openDatabase(ctx, e)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rules, err := sqlstore.NewStore(db).FindRules(ctx)
	if err != nil {
		return 0, fmt.Errorf("triage: read the routing rules: %w", err)
	}
	if err := t.SetRules(rules); err != nil {
		return 0, fmt.Errorf("triage: %w (--no-rules skips the rules)", err)
	}
	enabled := 0
	for _, r := range rules {
		if r.Enabled {
			enabled++
		}
	}
	return enabled, nil
}
