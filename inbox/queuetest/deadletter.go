package queuetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

// Policy is the retry policy that queues under test must be configured
// with: few attempts and short delays, so that a message reaches the dead
// letters within a second, yet long enough (at least 100 ms with jitter)
// that a retried message cannot overtake those behind it on a busy host.
var Policy = queueworker.Policy{MaxAttempts: 3, MinDelay: 200 * time.Millisecond, MaxDelay: 400 * time.Millisecond}

// deadLetters returns q's dead letters, failing the test when q has none.
func deadLetters(t *testing.T, q inbox.Queue) inbox.DeadLetters {
	t.Helper()
	dl, ok := q.(inbox.DeadLetters)
	if !ok {
		t.Fatalf("%T does not implement inbox.DeadLetters", q)
	}
	return dl
}

// listDead returns every dead letter of the queue.
func listDead(t *testing.T, q inbox.Queue, queue string) []*inbox.DeadLetter {
	t.Helper()
	list, err := deadLetters(t, q).DeadLetters(context.Background(), queue, "", 1000)
	if err != nil {
		t.Fatalf("DeadLetters: %v", err)
	}
	return list
}

// waitDead waits until the queue has n dead letters and returns them.
func waitDead(t *testing.T, q inbox.Queue, queue string, n int) []*inbox.DeadLetter {
	t.Helper()
	var list []*inbox.DeadLetter
	eventually(t, fmt.Sprintf("%d dead letters", n), func() bool {
		list = listDead(t, q, queue)
		return len(list) >= n
	})
	if len(list) != n {
		t.Fatalf("dead letters: got %d, want %d", len(list), n)
	}
	return list
}

// checkDead compares a dead letter with the message that failed.
func checkDead(t *testing.T, dl *inbox.DeadLetter, id string, msg inbox.OutgoingMessage, attempts int, errText string) {
	t.Helper()
	if dl.ID == "" {
		t.Error("dead letter ID: got empty, want an id")
	}
	if dl.Queue != queueName || dl.MessageID != id || dl.Key != msg.Key || !bytes.Equal(dl.Body, msg.Body) {
		t.Errorf("dead letter: got queue %q, message %q, key %q, body %q; want %q, %q, %q, %q",
			dl.Queue, dl.MessageID, dl.Key, dl.Body, queueName, id, msg.Key, msg.Body)
	}
	if !maps.Equal(dl.Headers, msg.Headers) {
		t.Errorf("dead letter headers: got %v, want %v", dl.Headers, msg.Headers)
	}
	if dl.Attempts != attempts {
		t.Errorf("dead letter attempts: got %d, want %d", dl.Attempts, attempts)
	}
	if dl.Error != errText {
		t.Errorf("dead letter error: got %q, want %q", dl.Error, errText)
	}
	if dl.PublishedAt.IsZero() || dl.FailedAt.Before(dl.PublishedAt.Add(-time.Minute)) {
		t.Errorf("dead letter times: got published %v, failed %v; want failed after published", dl.PublishedAt, dl.FailedAt)
	}
}

// failing is a handler that reports each delivery on ch and fails with err
// for the bodies in poison, succeeding for the rest.
func failing(ch chan<- inbox.Delivery, err error, poison ...string) inbox.Handler {
	return collect(ch, func(d *inbox.Delivery) error {
		for _, p := range poison {
			if string(d.Body) == p {
				return err
			}
		}
		return nil
	})
}

// testDeadLettered checks that a message whose handler always fails is
// tried Policy.MaxAttempts times, then moved to the dead letters with its
// error, and not delivered again.
func testDeadLettered(t *testing.T, open func() inbox.Queue) {
	q := open()
	msg := inbox.OutgoingMessage{Key: "k", Body: []byte("always fails"), Headers: map[string]string{"h": "v"}}
	id := publish(t, q, queueName, msg)
	got := deliveries()
	consume(t, q, queueName, 1, failing(got, errors.New("simulated failure"), "always fails"))
	for attempt := 1; attempt <= Policy.MaxAttempts; attempt++ {
		checkDelivery(t, receive(t, got), id, queueName, msg, attempt)
	}
	list := waitDead(t, q, queueName, 1)
	checkDead(t, list[0], id, msg, Policy.MaxAttempts, "simulated failure")
	nothing(t, "after the message was dead-lettered", got)
}

// testPermanent checks that a permanent error dead-letters at once.
func testPermanent(t *testing.T, open func() inbox.Queue) {
	q := open()
	msg := body("cannot be parsed")
	id := publish(t, q, queueName, msg)
	got := deliveries()
	consume(t, q, queueName, 1, failing(got, inbox.Permanent(errors.New("not JSON")), "cannot be parsed"))
	checkDelivery(t, receive(t, got), id, queueName, msg, 1)
	checkDead(t, waitDead(t, q, queueName, 1)[0], id, msg, 1, "not JSON")
	nothing(t, "after a permanent error", got)
}

// testPoison checks that a failing message does not hold back those
// published after it: with one handler slot, the next delivery after the
// poison's first failure is a message behind it, not the poison again.
func testPoison(t *testing.T, open func() inbox.Queue) {
	const good = 5
	q := open()
	publish(t, q, queueName, body("poison"))
	for i := range good {
		publish(t, q, queueName, body(fmt.Sprint("good ", i)))
	}
	got := deliveries()
	consume(t, q, queueName, 1, failing(got, errors.New("poison"), "poison"))
	if d := receive(t, got); string(d.Body) != "poison" {
		t.Fatalf("first delivery: got %q, want the poison", d.Body)
	}
	second := receive(t, got)
	if string(second.Body) == "poison" {
		t.Errorf("after the poison failed: got the poison again (attempt %d), want a message behind it", second.Attempt)
	}
	seen := map[string]int{"poison": 1}
	seen[string(second.Body)]++
	for len(seen) < good+1 {
		seen[string(receive(t, got).Body)]++
	}
	waitDead(t, q, queueName, 1)
	for len(got) > 0 {
		seen[string((<-got).Body)]++
	}
	nothing(t, "after every message was handled or dead-lettered", got)
	for i := range good {
		if n := seen[fmt.Sprint("good ", i)]; n != 1 {
			t.Errorf("good %d: delivered %d times, want once", i, n)
		}
	}
	if n := seen["poison"]; n != Policy.MaxAttempts {
		t.Errorf("poison: delivered %d times, want %d", n, Policy.MaxAttempts)
	}
}
