package graph

import (
	"errors"
	"fmt"
	"strings"
)

// Class says what a sender should do about a failed call.
type Class string

// Error classes. Transient and Ambiguous are the only ones worth another
// attempt, and Ambiguous only after an agent has checked the platform.
const (
	// Transient: throttling, a server error or a network failure before
	// the request reached Meta. Retry with back-off.
	Transient Class = "transient"
	// Ambiguous: the call may have gone through (a timeout or a broken
	// connection after the request was written, or Meta's "sent, but the
	// reply was invalid"). Resending blindly may post twice.
	Ambiguous Class = "ambiguous"
	// Token: the access token is invalid or expired; the account needs a
	// new one.
	Token Class = "token"
	// OutsideWindow: the messaging window (24 hours, or 7 days with the
	// human-agent tag) has closed.
	OutsideWindow Class = "outside_window"
	// RecipientUnavailable: the person cannot receive messages from the
	// account (blocked, deactivated, not found).
	RecipientUnavailable Class = "recipient_unavailable"
	// InvalidRequest: Meta rejected a parameter (code 100).
	InvalidRequest Class = "invalid_request"
	// Permission: the app or the page lacks a permission, or the page is
	// restricted.
	Permission Class = "permission"
	// Permanent: any other error Meta will answer the same way again.
	Permanent Class = "permanent"
)

// Retryable reports whether a call that failed with c may be retried
// without an agent's decision.
func (c Class) Retryable() bool { return c == Transient }

// Error is a failed Graph API call. Code, Subcode, Type and FBTraceID come
// from Meta's error JSON when there was one; Err is the network error
// when there was no answer. No field ever holds the access token.
type Error struct {
	Class Class
	// Op names the client method, e.g. "send_message".
	Op string
	// Status is the HTTP status; 0 when no response arrived.
	Status    int
	Code      int
	Subcode   int
	Type      string
	Message   string
	UserTitle string
	UserMsg   string
	FBTraceID string
	// RateLimit is what the response's usage headers said.
	RateLimit RateLimit
	Err       error
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "graph %s: %s", e.Op, e.Class)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != 0 || e.Type != "" {
		fmt.Fprintf(&b, ": code=%d subcode=%d type=%s fbtrace_id=%s", e.Code, e.Subcode, e.Type, e.FBTraceID)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the network error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the call may be retried without an agent.
func (e *Error) Retryable() bool { return e.Class.Retryable() }

// Explain returns what an agent is told about the failure.
func (e *Error) Explain() Explanation { return explain(e) }

// NoSuchObject reports Meta's answer that the object does not exist or
// cannot be loaded (code 100, subcode 33): after a delete of it that may
// have gone through, it is gone; otherwise it may as well be missing
// permissions, which the answer does not tell apart.
func (e *Error) NoSuchObject() bool { return e.Code == 100 && e.Subcode == subcodeNoSuchObject }

// ClassOf returns the class of the first *Error in err's chain, and
// Transient for any other non-nil error, since it did not come from Meta.
func ClassOf(err error) Class {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Class
	}
	return Transient
}

// throttlingCodes are the platform and business-use-case rate-limit codes,
// and 341 "Application limit reached", which Meta's error table lists with
// them as a limit that passes.
var throttlingCodes = map[int]bool{4: true, 17: true, 32: true, 341: true, 613: true, 80001: true, 80002: true, 80006: true}

// Meta subcodes that classify an error on their own.
const (
	subcodeInvalidJSONReply   = 1357046 // code 1: the message was sent, the reply was not valid
	subcodeOutsideWindow      = 2018278
	subcodeOutsideWindowOld   = 2018065
	subcodeOutsideWindowIG    = 2534022 // seen with Instagram in third-party code only
	subcodeCannotReceive      = 2018108
	subcodeNotReceivingNow    = 1545041
	subcodeNoMatchingUser     = 2018001
	subcodeTemporarilyBlocked = 1893063
	subcodeNoSuchObject       = 33 // with code 100
)

// failure is everything classify looks at.
type failure struct {
	status  int  // HTTP status, 0 when no response arrived
	code    int  // Meta's error code, 0 when there was no error JSON
	subcode int  // Meta's error_subcode
	network bool // no (complete) response arrived
	written bool // the request was fully written before the failure
	// idempotent is true for calls that do the same thing however often
	// they are repeated (hide, delete, lookups): for them a lost answer is
	// merely transient.
	idempotent bool
}

// classify is the one place that decides what a failure means.
func classify(f failure) Class {
	switch {
	case f.network:
		if f.written && !f.idempotent {
			return Ambiguous
		}
		return Transient
	case f.code == 1 && f.subcode == subcodeInvalidJSONReply:
		if f.idempotent {
			return Transient
		}
		return Ambiguous
	case throttlingCodes[f.code], f.code == 1, f.code == 2, f.code == -1, f.code == 1200:
		// -1/2018012 is the Send API's "unexpected internal error".
		return Transient
	case f.code == 190, f.code == 102:
		return Token
	case f.subcode == subcodeOutsideWindow, f.subcode == subcodeOutsideWindowOld, f.subcode == subcodeOutsideWindowIG:
		return OutsideWindow
	case f.code == 551, f.subcode == subcodeCannotReceive, f.subcode == subcodeNotReceivingNow, f.subcode == subcodeNoMatchingUser:
		return RecipientUnavailable
	case f.code == 100:
		return InvalidRequest
	case f.code == 3, f.code == 10, f.code == 368, f.code >= 200 && f.code <= 299:
		return Permission
	case f.status >= 500:
		// An unknown code on a server error: Meta asks to retry later.
		return Transient
	case f.status == 429:
		return Transient
	}
	return Permanent
}
