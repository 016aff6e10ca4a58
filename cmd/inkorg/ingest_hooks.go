package main

import (
	"log/slog"
	"time"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/moderation"
	"inkorg/inbox/sqlstore"
	"inkorg/routing"
	"inkorg/webhooks"
)

// addIngestHooks adds what runs after each event is stored, the same for
// the ingest workers and `deliveries reparse`, so a message the parser
// newly understands is treated as it would have been on arrival: the post
// a visitor post is, moderation flags (before triage, which may hide the
// comment, so the sender finds the flag to settle once Meta has hidden
// it), triage, and answer-bank links the city's replies sent outside
// inkorg carry. The workers add the live update after these.
func addIngestHooks(ing *webhooks.Ingester, store *sqlstore.Store, logger *slog.Logger, triager *routing.Triager, opts ...routing.HookOption) {
	ing.AddHook(inbox.PostHook(store, time.Now))
	ing.AddHook(moderation.Hook(moderation.Default(), store, logger))
	ing.AddHook(routing.Hook(triager, store, logger, opts...))
	ing.AddHook((&answers.UseRecorder{Store: store, Logger: logger}).EventHook)
}
