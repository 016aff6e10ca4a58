// Command inkorg is Göteborgs Stad's social inbox: it receives Facebook and
// Instagram comments and messages through Meta webhooks, queues them
// durably, and serves the shared inbox that kontaktcenter agents answer
// from. See README.md for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// gcPercent is the garbage collector's target when GOGC is not set. inkorg
// keeps little memory live (the routing model, the answer index, a few
// hundred megabytes at most) but allocates for every delivery and request;
// letting the heap grow to three times the live memory before a collection,
// instead of Go's two, halves the collector's share of the CPU (about 8 %
// of an ingest worker's at 100). GOGC, and GOMEMLIMIT, still rule.
const gcPercent = 200

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
