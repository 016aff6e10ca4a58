package inbox

import (
	"context"
	"time"
)

// ErrLocked is the message of a sign-in refused because of too many
// failures; the code is EFORBIDDEN.
const ErrLocked = "Too many failed sign-ins; try again later."

// signInRefresh is how old the remembered sign-in from an address may be
// before a new sign-in from it is written again, so most sign-ins only
// read.
const signInRefresh = 24 * time.Hour

// checkLock returns the failures of name from address, or EFORBIDDEN
// when the name is locked for the address or closed to it.
func (s *Sessions) checkLock(ctx context.Context, name, address string, now time.Time) (*AddressFailures, error) {
	whole, from, err := s.store.FindLoginFailures(ctx, name, address)
	if err != nil {
		return nil, err
	}
	if s.refused(whole, from, now) {
		return nil, Errorf(EFORBIDDEN, ErrLocked)
	}
	return from, nil
}

// refused reports whether a sign-in to a name from an address is refused
// without looking at the password.
func (s *Sessions) refused(whole *LoginFailures, from *AddressFailures, now time.Time) bool {
	if until(from.LockedUntil, now) {
		return true
	}
	return until(whole.ClosedUntil, now) && !s.familiar(from, now)
}

// familiar reports whether the user signed in from the address recently
// enough for it to try a closed name.
func (s *Sessions) familiar(from *AddressFailures, now time.Time) bool {
	return from.SignedInAt != nil && now.Sub(*from.SignedInAt) < s.FamiliarFor
}

// signInToRecord reports whether a sign-in from the address changes what
// is stored about it.
func (s *Sessions) signInToRecord(from *AddressFailures, now time.Time) bool {
	return from.Failures > 0 || from.LockedUntil != nil || from.SignedInAt == nil || now.Sub(*from.SignedInAt) >= signInRefresh
}

// fail records a failed sign-in for name from address and returns the
// error to show.
func (s *Sessions) fail(ctx context.Context, name, address string, now time.Time) error {
	whole, from, err := s.store.RecordLoginFailureFrom(ctx, name, address, func(whole *LoginFailures, from *AddressFailures) {
		s.countFailure(whole, from, now)
	})
	if err != nil {
		return err
	}
	if s.refused(whole, from, now) {
		return Errorf(EFORBIDDEN, ErrLocked)
	}
	return ruleError(EUNAUTHORIZED, "Fel användarnamn eller lösenord.", "Wrong user name or password.")
}

// countFailure adds a failure at now to the name's and the address's
// counts, locking the name for the address after MaxFailures in a row and
// closing it after MaxNameFailures. A count starts afresh when its lock
// is over.
func (s *Sessions) countFailure(whole *LoginFailures, from *AddressFailures, now time.Time) {
	if from.LockedUntil != nil && !now.Before(*from.LockedUntil) {
		from.Failures, from.LockedUntil = 0, nil
	}
	from.Failures++
	from.LastFailure = now
	if from.LockedUntil == nil && from.Failures >= s.MaxFailures {
		t := now.Add(s.Lockout)
		from.LockedUntil = &t
	}
	if whole.ClosedUntil != nil && !now.Before(*whole.ClosedUntil) {
		whole.Failures, whole.ClosedUntil = 0, nil
	}
	whole.Failures++
	whole.LastFailure = now
	if whole.ClosedUntil == nil && whole.Failures >= s.MaxNameFailures {
		t := now.Add(s.CloseFor)
		whole.ClosedUntil = &t
	}
	if !until(whole.LockedUntil, now) {
		whole.LockedUntil = nil
	}
	whole.LockedUntil = latest(whole.LockedUntil, from.LockedUntil, whole.ClosedUntil)
}

// until reports whether t is set and after now.
func until(t *time.Time, now time.Time) bool {
	return t != nil && now.Before(*t)
}

// latest returns the latest of ts that are set, nil when none is.
func latest(ts ...*time.Time) *time.Time {
	var out *time.Time
	for _, t := range ts {
		if t != nil && (out == nil || t.After(*out)) {
			out = t
		}
	}
	return out
}
