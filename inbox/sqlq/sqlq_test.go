package sqlq_test

import (
	"context"
	"log/slog"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/queuetest"
	"inkorg/inbox/sqlq"
	"inkorg/inbox/sqlstore"
)

// backends are the databases the tests run on; each returns the URL of a
// fresh, empty database.
var backends = []struct {
	name string
	url  func(t testing.TB) string
}{
	{"SQLite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "inkorg.db") }},
	{"PostgreSQL", inboxtest.PostgresURL},
}

// openDB opens and migrates the database at rawURL, and closes it when the
// test ends.
func openDB(t testing.TB, rawURL string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, rawURL)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// newQueue returns a queue on db configured for the contract suite.
func newQueue(t testing.TB, db *sqlstore.DB, consumer string) *sqlq.Queue {
	return sqlq.New(db, sqlq.Options{
		Logger:       slog.New(slog.NewTextHandler(t.Output(), nil)),
		Lease:        queuetest.Lease,
		Policy:       queuetest.Policy,
		PollInterval: 20 * time.Millisecond,
		Consumer:     consumer,
	})
}

func TestQueue(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			// Skip the whole backend at once when its server is absent.
			be.url(t)
			queuetest.Run(t, func(t *testing.T) queuetest.Namespace {
				rawURL := be.url(t)
				db := openDB(t, rawURL)
				return queuetest.Namespace{
					Open: func() inbox.Queue { return newQueue(t, db, "") },
					OpenCuttable: func() (inbox.Queue, func()) {
						// A connection pool of its own, to close.
						own := openDB(t, rawURL)
						return newQueue(t, own, ""), func() { own.Close() }
					},
				}
			})
		})
	}
}

func TestOutage(t *testing.T) {
	rawURL := inboxtest.PostgresURL(t)
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p := queuetest.NewProxy(t, u.Host)
	u.Host = p.Addr()
	direct := openDB(t, rawURL)
	cut, err := sqlstore.Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("open through the proxy: %v", err)
	}
	t.Cleanup(func() { cut.Close() })
	queuetest.Outage(t, p, newQueue(t, direct, ""), newQueue(t, cut, ""))
}

// TestLateAck checks that a consumer whose lease ran out cannot delete the
// message once another claim holds it, even under the same consumer name
// (a process restarted with a fixed name).
func TestLateAck(t *testing.T) {
	for _, be := range backends {
		for _, names := range [][2]string{{"first", "second"}, {"same", "same"}} {
			t.Run(be.name+"/"+names[0]+"-"+names[1], func(t *testing.T) {
				t.Parallel()
				testLateAck(t, openDB(t, be.url(t)), names[0], names[1])
			})
		}
	}
}

func testLateAck(t *testing.T, db *sqlstore.DB, firstName, secondName string) {
	first, second := newQueue(t, db, firstName), newQueue(t, db, secondName)
	id, err := first.Publish(context.Background(), "jobs", inbox.OutgoingMessage{Body: []byte("x")})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}

	// The first consumer's handler outlives its lease, then succeeds.
	firstGot, firstRelease := make(chan int, 4), make(chan struct{})
	firstCancel, firstWait := consumeBlocking(t, first, firstGot, firstRelease)
	if got := receive(t, firstGot); got != 1 {
		t.Fatalf("first delivery: got attempt %d, want 1", got)
	}
	// The first consumer takes nothing more, so the second claim stays
	// the only one. Its lease runs out, as when the consumer cannot renew
	// it: the claim no longer holds the row, and the row is ready.
	firstCancel()
	expire(t, db, id)
	secondGot, secondRelease := make(chan int, 4), make(chan struct{})
	secondCancel, secondWait := consumeBlocking(t, second, secondGot, secondRelease)
	if got := receive(t, secondGot); got != 2 {
		t.Fatalf("second delivery: got attempt %d, want 2", got)
	}
	secondCancel()

	close(firstRelease)
	firstWait() // Consume returns after the handler's (late) ack
	if n := count(t, db, id); n != 1 {
		t.Fatalf("rows after the late ack: got %d, want 1 (the second claim)", n)
	}
	close(secondRelease)
	secondWait()
	if n := count(t, db, id); n != 0 {
		t.Errorf("rows after the second ack: got %d, want 0", n)
	}
}

// consumeBlocking runs a consumer whose handler reports each attempt on got
// and succeeds once release is closed. It returns the cancel function of
// the consumer's context, and a function that waits for Consume to return.
func consumeBlocking(t *testing.T, q *sqlq.Queue, got chan<- int, release <-chan struct{}) (context.CancelFunc, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(ctx, "jobs", 1, func(ctx context.Context, d *inbox.Delivery) error {
			got <- d.Attempt
			<-release
			return nil
		})
	}()
	t.Cleanup(cancel)
	return cancel, func() {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Consume: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Consume has not returned 20s after its context was cancelled")
		}
	}
}

func receive(t *testing.T, ch <-chan int) int {
	t.Helper()
	select {
	case n := <-ch:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery within 20s")
		return 0
	}
}

// expire ends the lease of the message id at once, as if it had run out
// without a renewal. Taking the row from its claim, as a renewal finds it
// after another claim, keeps a renewal from extending it meanwhile.
func expire(t *testing.T, db *sqlstore.DB, id string) {
	t.Helper()
	err := db.Gorm().Exec("UPDATE queue_messages SET available_at = 0, leased_by = 'expired' WHERE id = ?", id).Error
	if err != nil {
		t.Fatalf("expire: %v", err)
	}
}

func count(t *testing.T, db *sqlstore.DB, id string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm().Raw("SELECT COUNT(*) FROM queue_messages WHERE id = ?", id).Scan(&n).Error; err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

func TestPublish(t *testing.T) {
	t.Run("ErrUnavailable", func(t *testing.T) {
		db := openDB(t, filepath.Join(t.TempDir(), "inkorg.db"))
		q := newQueue(t, db, "")
		db.Close()
		_, err := q.Publish(context.Background(), "jobs", inbox.OutgoingMessage{Body: []byte("x")})
		if code := inbox.ErrorCode(err); code != inbox.EUNAVAILABLE {
			t.Errorf("got code %q (%v), want %q", code, err, inbox.EUNAVAILABLE)
		}
		if err := q.Ping(context.Background()); inbox.ErrorCode(err) != inbox.EUNAVAILABLE {
			t.Errorf("Ping: got %v, want code %q", err, inbox.EUNAVAILABLE)
		}
	})
}

func BenchmarkPublish(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			queuetest.BenchPublish(b, newQueue(b, openDB(b, be.url(b)), ""))
		})
	}
}

func BenchmarkConsume(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			queuetest.BenchConsume(b, newQueue(b, openDB(b, be.url(b)), ""), 8)
		})
	}
}
