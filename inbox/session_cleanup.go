package inbox

import (
	"context"
	"log/slog"
	"time"
)

// loginFailureMemory is how long failed sign-ins are remembered after the
// last one, unless a lock lasts longer.
const loginFailureMemory = 24 * time.Hour

// CleanUp deletes the sessions that have ended and forgets failed sign-ins
// a day after the last one, and an address's sign-in after FamiliarFor.
func (s *Sessions) CleanUp(ctx context.Context) (sessions, failures int64, err error) {
	now := s.now()
	if sessions, err = s.store.DeleteExpiredSessions(ctx, now); err != nil {
		return 0, 0, err
	}
	failedBefore := now.Add(-max(loginFailureMemory, s.Lockout, s.CloseFor))
	failures, err = s.store.DeleteOldLoginFailures(ctx, failedBefore, now.Add(-s.FamiliarFor))
	return sessions, failures, err
}

// CleanUpEvery runs CleanUp now and then every interval until ctx ends. A
// failed round is logged and tried again at the next tick.
func (s *Sessions) CleanUpEvery(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sessions, failures, err := s.CleanUp(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Warn("sign-in clean-up failed; it is tried again", slog.Any("err", err))
		} else if err == nil {
			logger.Debug("sign-in clean-up", slog.Int64("sessions", sessions), slog.Int64("login_failures", failures))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
