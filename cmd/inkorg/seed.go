package main

import (
	"context"
	"fmt"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

const seedUsage = "usage: inkorg seed [--conversations N] [--messages N] [--force]"

// seedMessagesPerConversation is how many messages each conversation gets
// when --messages is left out: --conversations 20 makes 100 messages, and
// the default 200000 conversations make 1000000, the load tests' size.
const seedMessagesPerConversation = 5

// seedCmd fills the database (PostgreSQL, or the embedded SQLite file)
// with synthetic conversations for load tests.
func seedCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("seed")
	convs := fs.Int("conversations", 200000, "conversations to make")
	msgs := fs.Int("messages", 0, fmt.Sprintf("messages to spread over them, at least one each (default: %d per conversation)", seedMessagesPerConversation))
	force := fs.Bool("force", false, "seed even when the database already holds conversations")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !flagGiven(fs, "messages") {
		*msgs = *convs * seedMessagesPerConversation
	}
	if *convs <= 0 || *msgs < *convs {
		return usagef("seed: --conversations must be positive and --messages at least as many\n%s", seedUsage)
	}
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	err = db.Seed(ctx, sqlstore.SeedOptions{Conversations: *convs, Messages: *msgs, Force: *force})
	if inbox.ErrorCode(err) == inbox.EINVALID || inbox.ErrorCode(err) == inbox.ECONFLICT {
		return usagef("seed: %s", inbox.ErrorMessage(err))
	} else if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(e.stdout, "seeded %d conversations and %d messages in %s\n", *convs, *msgs, time.Since(start).Round(time.Millisecond))
	return nil
}
