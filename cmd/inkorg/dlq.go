package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"inkorg/inbox"
)

const dlqUsage = "usage: inkorg dlq list [--queue Q] [--after ID] [--limit N] | show [--queue Q] ID | replay [--queue Q] (ID… | --all) | drop [--queue Q] ID"

// dlqPage is how many dead letters replay --all reads at a time.
const dlqPage = 500

// dlqQueues are the queues inkorg dead-letters on.
var dlqQueues = []string{inbox.QueueDeliveries, inbox.QueueOutbound}

// dlqCmd runs `inkorg dlq list|show|replay|drop` on the configured queue:
// the dead-letter table of the SQL queue, or the dead-letter streams on
// Redis.
func dlqCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef(dlqUsage)
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet("dlq " + sub)
	queue := fs.String("queue", inbox.QueueDeliveries, "queue whose dead letters to use")
	var run func(dl inbox.DeadLetters, ids []string) error
	switch sub {
	case "list":
		after := fs.String("after", "", "list the dead letters after this id")
		limit := fs.Int("limit", 100, "list at most this many")
		run = func(dl inbox.DeadLetters, ids []string) error {
			if len(ids) > 0 {
				return usagef("dlq list: unexpected argument %q; %s", ids[0], dlqUsage)
			}
			if *limit < 1 {
				return usagef("dlq list: --limit must be positive, not %d", *limit)
			}
			return dlqList(ctx, e, dl, *queue, *after, *limit)
		}
	case "show":
		run = func(dl inbox.DeadLetters, ids []string) error {
			if len(ids) != 1 {
				return usagef("usage: inkorg dlq show [--queue Q] ID")
			}
			return dlqShow(ctx, e, dl, *queue, ids[0])
		}
	case "replay":
		all := fs.Bool("all", false, "replay every dead letter of the queue")
		run = func(dl inbox.DeadLetters, ids []string) error {
			if *all == (len(ids) > 0) {
				return usagef("usage: inkorg dlq replay [--queue Q] (ID… | --all)")
			}
			return dlqReplay(ctx, e, dl, *queue, ids, *all)
		}
	case "drop":
		run = func(dl inbox.DeadLetters, ids []string) error {
			if len(ids) != 1 {
				return usagef("usage: inkorg dlq drop [--queue Q] ID")
			}
			if err := dl.Drop(ctx, *queue, ids[0]); err != nil {
				return dlqError(e, "dlq drop", err)
			}
			fmt.Fprintf(e.stdout, "dropped %s\n", ids[0])
			return nil
		}
	default:
		return usagef(dlqUsage)
	}
	ids, err := parseInterspersed(fs, rest)
	if err != nil {
		return err
	}
	if !slices.Contains(dlqQueues, *queue) {
		return usagef("dlq %s: unknown queue %q; the queues are %s", sub, *queue, strings.Join(dlqQueues, ", "))
	}
	b, err := openBackends(ctx, e)
	if err != nil {
		return err
	}
	defer b.close(e.logger)
	dl, ok := b.queue.(inbox.DeadLetters)
	if !ok {
		return fmt.Errorf("the %s keeps no dead letters", b.queueKind)
	}
	return run(dl, ids)
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlagArgs(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// dlqList prints one line per dead letter: id, attempts, when it failed,
// its message id on the queue and the error.
func dlqList(ctx context.Context, e *env, dl inbox.DeadLetters, queue, after string, limit int) error {
	list, err := dl.DeadLetters(ctx, queue, after, limit)
	if err != nil {
		return dlqError(e, "dlq list", err)
	}
	for _, d := range list {
		fmt.Fprintf(e.stdout, "%s\tattempts=%d\tfailed_at=%s\tmessage_id=%s\terror=%s\n",
			d.ID, d.Attempts, d.FailedAt.Format(time.RFC3339), d.MessageID, oneLine(d.Error))
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "no dead letters on queue %s\n", queue)
	}
	return nil
}

// deadLetterJSON is what dlq show prints.
type deadLetterJSON struct {
	ID          string            `json:"id"`
	Queue       string            `json:"queue"`
	MessageID   string            `json:"message_id"`
	Key         string            `json:"key,omitempty"`
	Attempts    int               `json:"attempts"`
	Error       string            `json:"error"`
	PublishedAt time.Time         `json:"published_at"`
	FailedAt    time.Time         `json:"failed_at"`
	Headers     map[string]string `json:"headers,omitempty"`
	// Body is the raw message as text when it is UTF-8, as every Meta
	// delivery is; BodyBytes holds anything else, base64-encoded.
	Body      string `json:"body,omitempty"`
	BodyBytes []byte `json:"body_bytes,omitempty"`
}

// dlqShow prints one dead letter as indented JSON, with its body.
func dlqShow(ctx context.Context, e *env, dl inbox.DeadLetters, queue, id string) error {
	d, err := dl.DeadLetter(ctx, queue, id)
	if err != nil {
		return dlqError(e, "dlq show", err)
	}
	out := deadLetterJSON{
		ID: d.ID, Queue: d.Queue, MessageID: d.MessageID, Key: d.Key, Attempts: d.Attempts,
		Error: d.Error, PublishedAt: d.PublishedAt, FailedAt: d.FailedAt, Headers: d.Headers,
	}
	if utf8.Valid(d.Body) {
		out.Body = string(d.Body)
	} else {
		out.BodyBytes = d.Body
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// dlqReplay replays the given dead letters, or all of them: those there
// when it starts, so that a message failing again at once is not replayed
// in a loop.
func dlqReplay(ctx context.Context, e *env, dl inbox.DeadLetters, queue string, ids []string, all bool) error {
	if all {
		var err error
		if ids, err = allDeadIDs(ctx, dl, queue); err != nil {
			return dlqError(e, "dlq replay", err)
		}
	}
	for i, id := range ids {
		newID, err := dl.Replay(ctx, queue, id)
		if err != nil {
			return dlqError(e, fmt.Sprintf("dlq replay %s (%d of %d replayed)", id, i, len(ids)), err)
		}
		fmt.Fprintf(e.stdout, "replayed %s as message %s\n", id, newID)
	}
	fmt.Fprintf(e.stdout, "%d dead letters replayed on queue %s\n", len(ids), queue)
	return nil
}

// allDeadIDs returns the ids of every dead letter of queue.
func allDeadIDs(ctx context.Context, dl inbox.DeadLetters, queue string) ([]string, error) {
	var ids []string
	after := ""
	for {
		page, err := dl.DeadLetters(ctx, queue, after, dlqPage)
		if err != nil {
			return nil, err
		}
		for _, d := range page {
			ids = append(ids, d.ID)
		}
		if len(page) < dlqPage {
			return ids, nil
		}
		after = page[len(page)-1].ID
	}
}

// dlqError turns an error of the queue into what the operator reads: the
// message of an inbox error, without its code, after what failed; its
// cause, such as the database's error, goes to the log. An invalid id is
// bad usage.
func dlqError(e *env, what string, err error) error {
	var ie *inbox.Error
	switch {
	case !errors.As(err, &ie):
		return fmt.Errorf("%s: %w", what, err)
	case ie.Code == inbox.EINVALID:
		return usagef("%s: %s", what, ie.Message)
	case ie.Err != nil:
		e.logger.Error(what+" failed", "code", ie.Code, "err", ie.Err)
	}
	return fmt.Errorf("%s: %s", what, ie.Message)
}

// oneLine keeps an error text on its line of the listing.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
