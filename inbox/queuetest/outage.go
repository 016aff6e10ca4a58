package queuetest

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
)

// Proxy forwards TCP connections to a backend and can cut them, so that a
// test can take the backend away from a queue and bring it back.
type Proxy struct {
	target string
	ln     net.Listener
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
}

// NewProxy starts a proxy to target (host:port) on a free local port. It
// stops when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p := &Proxy{target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.Down()
	})
	return p
}

// Addr returns the host:port that clients connect to.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Down closes every connection and refuses new ones until Up.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Up accepts connections again.
func (p *Proxy) Up() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *Proxy) forward(client net.Conn) {
	backend, err := net.DialTimeout("tcp", p.target, 3*time.Second)
	if err != nil {
		client.Close()
		return
	}
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		client.Close()
		backend.Close()
		return
	}
	p.conns[client] = struct{}{}
	p.conns[backend] = struct{}{}
	p.mu.Unlock()
	var once sync.Once
	closeBoth := func() {
		once.Do(func() {
			client.Close()
			backend.Close()
			p.mu.Lock()
			delete(p.conns, client)
			delete(p.conns, backend)
			p.mu.Unlock()
		})
	}
	go func() {
		_, _ = io.Copy(backend, client)
		closeBoth()
	}()
	_, _ = io.Copy(client, backend)
	closeBoth()
}

// Outage checks that a consumer survives an outage of its backend: cut
// reaches the backend through p, direct reaches the same namespace without
// it. Ping through the cut must report EUNAVAILABLE, Consume must not
// return, and a message published during the outage must be delivered
// once the backend is back.
func Outage(t *testing.T, p *Proxy, direct, cut inbox.Queue) {
	got := deliveries()
	r := consume(t, cut, queueName, 2, collect(got, nil))
	before := body("before the outage")
	first := publish(t, direct, queueName, before)
	checkDelivery(t, receive(t, got), first, queueName, before, 1)

	p.Down()
	eventually(t, "Ping reports the outage", func() bool {
		return inbox.ErrorCode(cut.Ping(context.Background())) == inbox.EUNAVAILABLE
	})
	during := body("published during the outage")
	id := publish(t, direct, queueName, during)
	// Let the consumer run into the outage a few times.
	time.Sleep(2 * Lease)
	if r.returned() {
		t.Fatal("Consume returned during the outage")
	}

	p.Up()
	for {
		d := receive(t, got)
		if d.ID == first {
			// Its ack may have been cut off by the outage: a duplicate
			// is allowed, a loss is not.
			continue
		}
		if d.ID != id || string(d.Body) != string(during.Body) {
			t.Errorf("after the outage: got %s %q, want %s %q", d.ID, d.Body, id, during.Body)
		}
		break
	}
	if err := cut.Ping(context.Background()); err != nil {
		t.Errorf("Ping after the outage: got %v, want nil", err)
	}
	r.stop(t)
}
