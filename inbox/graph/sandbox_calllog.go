package graph

import (
	"context"
	"log/slog"
	"time"
)

// CallLog keeps the calls a sandbox receives where every process sees
// them, e.g. a database table, so the API process shows what a separate
// worker process would have sent.
type CallLog interface {
	// RecordCall stores c.
	RecordCall(ctx context.Context, c Call) error
	// FindCalls returns the calls stored, oldest first, numbered in the
	// order they were stored.
	FindCalls(ctx context.Context) ([]Call, error)
}

// callLogTimeout bounds one write to the call log.
const callLogTimeout = 5 * time.Second

// SetCallLog makes the sandbox store every call it records in l as well;
// a failed write is logged to logger (nil discards) and does not change
// the answer.
func (s *Sandbox) SetCallLog(l CallLog, logger *slog.Logger) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callLog, s.logger = l, logger
}

// logCall writes c to the call log, if any.
func (s *Sandbox) logCall(c Call) {
	s.mu.Lock()
	l, logger := s.callLog, s.logger
	s.mu.Unlock()
	if l == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), callLogTimeout)
	defer cancel()
	if err := l.RecordCall(ctx, c); err != nil {
		logger.Warn("graph sandbox: call not stored", "method", c.Method, "err", err)
	}
}
