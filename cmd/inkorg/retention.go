package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/logredact"
	"inkorg/inbox/sqlstore"
)

const retentionUsage = "usage: inkorg retention run [--dry-run] [--months N] [--action pseudonymise|delete]"

// newPrivacy returns the privacy service on store, on the wall clock.
func newPrivacy(store *sqlstore.Store) *inbox.Privacy {
	now := func() time.Time { return time.Now().UTC() }
	return &inbox.Privacy{
		Records: store, Data: store, Audit: store, Now: now,
		Scrub: func(text string) string { return logredact.Redact(text, now()) },
	}
}

// retentionCmd applies the retention policy: personal data in closed,
// archived conversations older than the policy's months is pseudonymised
// or deleted. Every run, dry or not, is audited. The raw webhook
// deliveries and the deliveries queue's dead letters, which hold the same
// bodies, go at the same cut-off.
func retentionCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return usagef(retentionUsage)
	}
	policy := e.cfg.Records.Retention
	fs := newFlagSet("retention run")
	dry := fs.Bool("dry-run", false, "print what would be touched, change nothing")
	fs.IntVar(&policy.Months, "months", policy.Months, "keep personal data this many months after the last message (INKORG_RETENTION_MONTHS)")
	action := fs.String("action", string(policy.Action), "pseudonymise or delete (INKORG_RETENTION_ACTION)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	policy.Action = inbox.PersonalDataAction(strings.ToLower(*action))
	// INKORG_RETENTION_ACTION was checked at start: a wrong action is
	// --action's, and is said as such even when no months are set.
	if !policy.Action.Valid() {
		return usagef("retention run: --action %q is not pseudonymise or delete", *action)
	}
	// Only a period nobody gave is missing; --months 0 is refused below.
	if policy.Months == 0 && !flagGiven(fs, "months") {
		return usagef("retention run: no policy; set INKORG_RETENTION_MONTHS or --months")
	}
	if err := policy.Validate(); err != nil {
		return usagef("retention run: %s", inbox.ErrorMessage(err))
	}
	b, err := openBackends(ctx, e)
	if err != nil {
		return err
	}
	defer b.close(e.logger)
	verb := map[inbox.PersonalDataAction]string{inbox.Pseudonymise: "pseudonymised", inbox.DeleteData: "deleted"}[policy.Action]
	if *dry {
		verb = "would be " + verb
	}
	rep, err := newPrivacy(b.store).RunRetention(ctx, policy, *dry, func(it inbox.RetentionItem) {
		fmt.Fprintf(e.stdout, "conversation %d\t%s\t%s\t%s\tlast message %s\t%d messages\t%s\n", it.ConversationID,
			it.Channel, it.Status, orDash(it.AdministrationID), it.LastMessageAt.Format(time.RFC3339), it.Messages, verb)
	})
	if err != nil {
		return err
	}
	rawVerb := "deleted"
	if *dry {
		rawVerb = "would be deleted"
	}
	fmt.Fprintf(e.stdout, "%d conversations %s (last message before %s); %d raw webhook deliveries %s\n",
		rep.Conversations, verb, rep.Cutoff.Format(time.RFC3339), rep.RawDeliveries, rawVerb)
	dl, ok := b.queue.(inbox.DeadLetters)
	if !ok {
		fmt.Fprintln(e.stdout, "dead letters not checked (the queue keeps none)")
		return nil
	}
	n, err := inbox.DropDeadLettersBefore(ctx, dl, inbox.QueueDeliveries, rep.Cutoff, *dry)
	if err != nil {
		return fmt.Errorf("dead letters of the %s queue (%d %s before the failure): %w", inbox.QueueDeliveries, n, rawVerb, err)
	}
	fmt.Fprintf(e.stdout, "%d dead letters of the %s queue %s\n", n, inbox.QueueDeliveries, rawVerb)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
