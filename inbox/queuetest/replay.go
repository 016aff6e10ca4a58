package queuetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"inkorg/inbox"
)

// bury publishes the bodies and dead-letters each with a permanent error,
// then returns the dead letters, oldest first.
func bury(t *testing.T, q inbox.Queue, bodies ...string) []*inbox.DeadLetter {
	t.Helper()
	for _, b := range bodies {
		publish(t, q, queueName, inbox.OutgoingMessage{Key: "k-" + b, Body: []byte(b), Headers: map[string]string{"h": b}})
	}
	got := deliveries()
	r := consume(t, q, queueName, 1, failing(got, inbox.Permanent(errors.New("rejected")), bodies...))
	list := waitDead(t, q, queueName, len(bodies))
	r.stop(t)
	return list
}

// testReplay checks that a replayed dead letter is delivered again as it
// was published, from attempt 1, and leaves the dead letters.
func testReplay(t *testing.T, open func() inbox.Queue) {
	q := open()
	dead := bury(t, q, "first", "second")
	ctx := context.Background()
	newID, err := deadLetters(t, q).Replay(ctx, queueName, dead[0].ID)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if left := listDead(t, q, queueName); len(left) != 1 || left[0].ID != dead[1].ID {
		t.Errorf("dead letters after the replay: got %d, want only %s", len(left), dead[1].ID)
	}
	got := deliveries()
	consume(t, q, queueName, 1, collect(got, nil))
	want := inbox.OutgoingMessage{Key: "k-first", Body: []byte("first"), Headers: map[string]string{"h": "first"}}
	checkDelivery(t, receive(t, got), newID, queueName, want, 1)
	nothing(t, "after the replayed message was handled", got)
}

// testShow checks that one dead letter can be read by its id.
func testShow(t *testing.T, open func() inbox.Queue) {
	q := open()
	dead := bury(t, q, "one", "two")
	got, err := deadLetters(t, q).DeadLetter(context.Background(), queueName, dead[1].ID)
	if err != nil {
		t.Fatalf("DeadLetter: %v", err)
	}
	want := inbox.OutgoingMessage{Key: "k-two", Body: []byte("two"), Headers: map[string]string{"h": "two"}}
	checkDead(t, got, dead[1].MessageID, want, 1, "rejected")
	if got.ID != dead[1].ID {
		t.Errorf("ID: got %q, want %q", got.ID, dead[1].ID)
	}
}

// testListPages checks that a listing goes on after the given id.
func testListPages(t *testing.T, open func() inbox.Queue) {
	q := open()
	all := bury(t, q, "a", "b", "c")
	page, err := deadLetters(t, q).DeadLetters(context.Background(), queueName, all[0].ID, 1)
	if err != nil {
		t.Fatalf("DeadLetters: %v", err)
	}
	if len(page) != 1 || page[0].ID != all[1].ID {
		t.Errorf("page after %s: got %v, want [%s]", all[0].ID, ids(page), all[1].ID)
	}
	if other := listDead(t, q, "other"); len(other) != 0 {
		t.Errorf("dead letters of another queue: got %v, want none", ids(other))
	}
}

// testDrop checks that a dropped dead letter is gone for every operation.
func testDrop(t *testing.T, open func() inbox.Queue) {
	q := open()
	dead := bury(t, q, "drop me")
	dl, ctx, id := deadLetters(t, q), context.Background(), dead[0].ID
	if err := dl.Drop(ctx, queueName, id); err != nil {
		t.Fatalf("Drop: %v", err)
	}
	if left := listDead(t, q, queueName); len(left) != 0 {
		t.Errorf("dead letters after the drop: got %v, want none", ids(left))
	}
	_, showErr := dl.DeadLetter(ctx, queueName, id)
	_, replayErr := dl.Replay(ctx, queueName, id)
	for name, err := range map[string]error{
		"DeadLetter": showErr, "Replay": replayErr, "Drop": dl.Drop(ctx, queueName, id),
	} {
		if code := inbox.ErrorCode(err); code != inbox.ENOTFOUND {
			t.Errorf("%s of a dropped dead letter: got code %q (%v), want %q", name, code, err, inbox.ENOTFOUND)
		}
	}
	if _, err := dl.DeadLetter(ctx, queueName, "not an id"); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("DeadLetter(%q): got %v, want code %q", "not an id", err, inbox.EINVALID)
	}
}

// testDropMatching checks that the dead letters naming a platform id, as
// a data-subject erasure finds them, are dropped and the others kept, and
// that a listing goes on after a dropped id.
func testDropMatching(t *testing.T, open func() inbox.Queue) {
	q := open()
	dead := bury(t, q, `{"sender":{"id":"4711"}}`, `{"sender":{"id":"47110"}}`, `{"from":{"id":4711}}`)
	ctx := context.Background()
	n, err := inbox.DropDeadLettersMatching(ctx, deadLetters(t, q), queueName,
		func(body []byte) bool { return inbox.MentionsPlatformID(body, "4711") })
	if err != nil || n != 2 {
		t.Fatalf("DropDeadLettersMatching: got %d, %v; want 2, nil", n, err)
	}
	if left := listDead(t, q, queueName); len(left) != 1 || left[0].ID != dead[1].ID {
		t.Errorf("dead letters left: got %v, want [%s]", ids(left), dead[1].ID)
	}
	page, err := deadLetters(t, q).DeadLetters(ctx, queueName, dead[0].ID, 10)
	if err != nil || len(page) != 1 || page[0].ID != dead[1].ID {
		t.Errorf("page after the dropped %s: got %v, %v; want [%s]", dead[0].ID, ids(page), err, dead[1].ID)
	}
}

// testStats checks the counts a queue reports for metrics.
func testStats(t *testing.T, open func() inbox.Queue) {
	q := open()
	sr, ok := q.(inbox.StatsReporter)
	if !ok {
		t.Fatalf("%T does not implement inbox.StatsReporter", q)
	}
	bury(t, q, "dead")
	publish(t, q, queueName, body("waiting 1"))
	publish(t, q, queueName, body("waiting 2"))
	s, err := sr.QueueStats(context.Background(), queueName)
	if err != nil {
		t.Fatalf("QueueStats: %v", err)
	}
	if s.Length != 2 || s.Pending != 0 || s.DeadLetters != 1 || s.OldestAge < 0 {
		t.Errorf("QueueStats: got %+v, want length 2, pending 0, 1 dead letter, an age", s)
	}
	empty, err := sr.QueueStats(context.Background(), "empty")
	if err != nil || empty != (inbox.QueueStats{}) {
		t.Errorf("QueueStats of an unused queue: got %+v (%v), want zero", empty, err)
	}
}

func ids(list []*inbox.DeadLetter) []string {
	out := make([]string, len(list))
	for i, dl := range list {
		out[i] = fmt.Sprint(dl.ID)
	}
	return out
}
