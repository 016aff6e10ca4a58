// Command inkorg is Göteborgs Stad's social inbox: it receives Facebook and
// Instagram comments and messages through Meta webhooks, queues them
// durably, and serves the shared inbox that kontaktcenter agents answer
// from. See README.md for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
