package queueworker_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

// claim is one scripted result of Claim.
type claim struct {
	ds  []*inbox.Delivery
	err error
}

// source is an in-memory Source. Claim returns the scripted claims first,
// then the ready deliveries; Ack returns the scripted errors first, then
// succeeds.
type source struct {
	mu        sync.Mutex
	claims    []claim
	ready     []*inbox.Delivery
	ackErrs   []error
	deadErrs  []error
	leaseLost bool
	renewErr  error
	renewLost bool
	renews    int
	// lateRenews counts renewals of deliveries that were acknowledged,
	// retried or dead-lettered already.
	lateRenews int
	done       map[string]bool
	acked      []string
	retried    []retry
	dead       []queueworker.Failure
	deadIDList []string
	nClaims    int
	nAcks      int
}

// newSource returns a source with n ready deliveries, numbered from 1.
func newSource(n int) *source {
	s := &source{}
	for i := range n {
		s.ready = append(s.ready, &inbox.Delivery{ID: fmt.Sprint(i + 1), Queue: "jobs", Body: []byte("x"), Attempt: 1})
	}
	return s
}

func (s *source) Claim(ctx context.Context, n int) ([]*inbox.Delivery, error) {
	s.mu.Lock()
	s.nClaims++
	if len(s.claims) > 0 {
		c := s.claims[0]
		s.claims = s.claims[1:]
		s.mu.Unlock()
		return c.ds, c.err
	}
	k := min(n, len(s.ready))
	ds := s.ready[:k]
	s.ready = s.ready[k:]
	s.mu.Unlock()
	if k == 0 {
		// Stands in for a backend that blocks a little waiting for
		// messages, so that an idle worker does not spin.
		time.Sleep(time.Millisecond)
	}
	return ds, nil
}

func (s *source) Ack(ctx context.Context, d *inbox.Delivery) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nAcks++
	if len(s.ackErrs) > 0 {
		err := s.ackErrs[0]
		s.ackErrs = s.ackErrs[1:]
		return false, err
	}
	if s.leaseLost {
		return false, nil
	}
	s.acked = append(s.acked, d.ID)
	s.finish(d)
	return true, nil
}

func (s *source) Renew(ctx context.Context, d *inbox.Delivery) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renews++
	if s.done[d.ID] {
		s.lateRenews++
	}
	if s.renewErr != nil {
		return false, s.renewErr
	}
	return !s.renewLost, nil
}

// finish marks d as acknowledged, retried or dead-lettered. Call it with
// s.mu held.
func (s *source) finish(d *inbox.Delivery) {
	if s.done == nil {
		s.done = map[string]bool{}
	}
	s.done[d.ID] = true
}

// renewals returns how many times Renew was called, and how many of those
// came after the delivery was finished.
func (s *source) renewals() (all, late int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.renews, s.lateRenews
}

// retry is one Retry call.
type retry struct {
	id    string
	delay time.Duration
}

func (s *source) Retry(ctx context.Context, d *inbox.Delivery, delay time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retried = append(s.retried, retry{d.ID, delay})
	s.finish(d)
	return true, nil
}

func (s *source) DeadLetter(ctx context.Context, d *inbox.Delivery, f queueworker.Failure) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.deadErrs) > 0 {
		err := s.deadErrs[0]
		s.deadErrs = s.deadErrs[1:]
		return false, err
	}
	s.dead = append(s.dead, f)
	s.deadIDList = append(s.deadIDList, d.ID)
	s.finish(d)
	return true, nil
}

func (s *source) retriedIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, r := range s.retried {
		ids = append(ids, r.id)
	}
	return ids
}

func (s *source) retriedDelay(i int) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retried[i].delay
}

func (s *source) deadIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deadIDList)
}

func (s *source) ackedIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(slices.Values(s.acked))
}

func (s *source) ackCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nAcks
}

func (s *source) claimCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nClaims
}

func (s *source) deadErrors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, f := range s.dead {
		out = append(out, f.Error)
	}
	return out
}
