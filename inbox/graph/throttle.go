package graph

import "errors"

// Throttled reports whether err is Meta refusing a call for a rate limit
// (codes 4, 17, 32, 341, 613, 80001, 80002, 80006, or HTTP 429).
func Throttled(err error) bool {
	var e *Error
	return errors.As(err, &e) && (throttlingCodes[e.Code] || e.Status == 429)
}
