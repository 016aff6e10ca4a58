package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/routing"
	"inkorg/webhooks"
)

const deliveriesUsage = "usage: inkorg deliveries reparse --since TIME [--until TIME] [--json]"

// deliveriesCmd works on the raw webhook deliveries the ingest worker
// keeps.
func deliveriesCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "reparse" {
		return usagef(deliveriesUsage)
	}
	return deliveriesReparse(ctx, e, args[1:])
}

// deliveriesReparse parses the deliveries received in a time range again
// and applies what they yield; applying is idempotent, so only what the
// parser newly understands changes anything.
func deliveriesReparse(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("deliveries reparse")
	sinceFlag := fs.String("since", "", "first receive time, RFC 3339 or YYYY-MM-DD (UTC)")
	untilFlag := fs.String("until", "", "end of the range, exclusive; default now")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *sinceFlag == "" {
		return usagef("deliveries reparse: --since is required; %s", deliveriesUsage)
	}
	since, err := parseTimeFlag("since", *sinceFlag)
	if err != nil {
		return err
	}
	var until time.Time
	if *untilFlag != "" {
		if until, err = parseTimeFlag("until", *untilFlag); err != nil {
			return err
		}
		if !until.After(since) {
			return usagef("deliveries reparse: --until must be after --since")
		}
	}
	// The same triage as the ingest worker's, so that a message the parser
	// newly understands is triaged like any other: the configured targets,
	// the stored routing rules and the classifier retrained on people's
	// corrections. Link suggestions are left out (the embedded answer
	// index belongs to the running server, and agents get them live from
	// /conversations/{id}/suggestions), and so is automatic hiding, which
	// needs the server's outbound queue. The other hooks are the workers'
	// (addIngestHooks): a threat found now is flagged for moderation.
	triager, err := newTriager(e.cfg.Routing.TargetsFile, nil)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	store := sqlstore.NewStore(db)
	if err := useStoredRouting(ctx, triager, store); err != nil {
		return err
	}
	ing := webhooks.NewIngester(store, e.logger, nil)
	ing.SetPretriage(routing.Pretriager(triager))
	addIngestHooks(ing, store, e.logger, triager)
	res, err := ing.Reparse(ctx, since, until)
	if err != nil {
		return fmt.Errorf("deliveries reparse: stopped after %d deliveries: %s", res.Deliveries, inbox.ErrorMessage(err))
	}
	return printReparse(e, res, *asJSON)
}

// useStoredRouting gives t what the workers' triager reads from the
// store: the admin-defined routing rules and people's corrections.
func useStoredRouting(ctx context.Context, t *routing.Triager, store inbox.Store) error {
	if err := t.RefreshRules(ctx, store); err != nil {
		return fmt.Errorf("deliveries reparse: %w", err)
	}
	if _, err := t.RetrainFrom(ctx, store); err != nil {
		return fmt.Errorf("deliveries reparse: %w", err)
	}
	return nil
}

func printReparse(e *env, res webhooks.ReparseResult, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(e.stdout).Encode(res)
	}
	_, err := fmt.Fprintf(e.stdout,
		"reparsed %d deliveries (%d still unreadable): %d events, %d applied now, %d already applied, %d refused\n",
		res.Deliveries, res.Malformed, res.Events, res.Created, res.Duplicates, res.Dropped)
	return err
}

// parseTimeFlag reads an RFC 3339 time or a UTC date.
func parseTimeFlag(name, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("deliveries reparse: --%s %q is not an RFC 3339 time or a YYYY-MM-DD date", name, v)
}
