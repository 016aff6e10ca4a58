package queuetest

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
)

// testRewrite checks that a rewritten dead letter keeps everything but its
// body and headers, that a replay publishes the new body, and that a dead
// letter that is gone is not found.
func testRewrite(t *testing.T, open func() inbox.Queue) {
	q := open()
	dead := bury(t, q, "secret and kept")
	dl, ctx := deadLetters(t, q), context.Background()
	newID, err := dl.Rewrite(ctx, queueName, dead[0].ID, []byte("kept"), map[string]string{"h": "new"})
	if err != nil {
		t.Fatalf("Rewrite: %v", err)
	}
	left := listDead(t, q, queueName)
	if len(left) != 1 || left[0].ID != newID {
		t.Fatalf("dead letters after the rewrite: got %v, want [%s]", ids(left), newID)
	}
	got, want := left[0], dead[0]
	if string(got.Body) != "kept" || got.Headers["h"] != "new" {
		t.Errorf("rewritten dead letter: got body %q, headers %v; want %q, h=new", got.Body, got.Headers, "kept")
	}
	if got.MessageID != want.MessageID || got.Key != want.Key || got.Attempts != want.Attempts || got.Error != want.Error ||
		!got.PublishedAt.Equal(want.PublishedAt) || !got.FailedAt.Equal(want.FailedAt) {
		t.Errorf("rewritten dead letter: got %+v, want the fields of %+v but body and headers", got, want)
	}
	if _, err := dl.Rewrite(ctx, queueName, newID, []byte("no headers"), nil); err != nil {
		t.Fatalf("Rewrite without headers: %v", err)
	}
	left = listDead(t, q, queueName)
	if len(left) != 1 {
		t.Fatalf("after a rewrite without headers: got %v, want one dead letter", ids(left))
	}
	if left[0].Headers != nil {
		t.Errorf("after a rewrite without headers: got headers %v, want none", left[0].Headers)
	}
	replayed, err := dl.Replay(ctx, queueName, left[0].ID)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	ch := deliveries()
	consume(t, q, queueName, 1, collect(ch, nil))
	checkDelivery(t, receive(t, ch), replayed, queueName, inbox.OutgoingMessage{Key: want.Key, Body: []byte("no headers")}, 1)
	if _, err := dl.Rewrite(ctx, queueName, left[0].ID, []byte("x"), nil); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("Rewrite of a replayed dead letter: got %v, want code %q", err, inbox.ENOTFOUND)
	}
}

// testDropBefore checks that retention drops the dead letters published
// before its cut-off, and that a dry run only counts them.
func testDropBefore(t *testing.T, open func() inbox.Queue) {
	q := open()
	dead := bury(t, q, "old", "older")
	dl, ctx := deadLetters(t, q), context.Background()
	cutoff := time.Now().Add(-time.Hour)
	if n, err := inbox.DropDeadLettersBefore(ctx, dl, queueName, cutoff, false); err != nil || n != 0 {
		t.Fatalf("DropDeadLettersBefore an hour ago: got %d, %v; want 0, nil", n, err)
	}
	cutoff = dead[0].PublishedAt
	if dead[1].PublishedAt.After(cutoff) {
		cutoff = dead[1].PublishedAt
	}
	cutoff = cutoff.Add(time.Millisecond)
	if n, err := inbox.DropDeadLettersBefore(ctx, dl, queueName, cutoff, true); err != nil || n != 2 {
		t.Fatalf("dry run: got %d, %v; want 2, nil", n, err)
	}
	if left := listDead(t, q, queueName); len(left) != 2 {
		t.Fatalf("after the dry run: got %v, want both kept", ids(left))
	}
	if n, err := inbox.DropDeadLettersBefore(ctx, dl, queueName, cutoff, false); err != nil || n != 2 {
		t.Fatalf("DropDeadLettersBefore: got %d, %v; want 2, nil", n, err)
	}
	if left := listDead(t, q, queueName); len(left) != 0 {
		t.Errorf("after the drop: got %v, want none", ids(left))
	}
}
