package inbox

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // a date names a day in Stockholm whatever the host has
)

// tokenExpiryZone is the zone in which a date given as a token's expiry
// names a day.
var tokenExpiryZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		// The zone database is embedded; this cannot happen.
		return time.UTC
	}
	return loc
}()

// maxTokenExpiryDays bounds an expiry given in days, far beyond any sensible
// lifetime, so that the arithmetic cannot overflow.
const maxTokenExpiryDays = 36500

// TokenExpiryHelp describes the forms ParseTokenExpiry accepts.
const TokenExpiryHelp = "a number of days (90d), a duration (720h), a date (2027-06-30, the end of that day in Stockholm) or an RFC 3339 time"

// tokenExpiryHelpSV is TokenExpiryHelp in Swedish.
const tokenExpiryHelpSV = "ett antal dagar (90d), en tidslängd (720h), ett datum (2027-06-30, slutet av den dagen i Stockholm) eller en tid enligt RFC 3339"

// ParseTokenExpiry returns when a token made at now expires, given as a
// number of days ("90d"), a Go duration ("720h"), a date ("2027-06-30": the
// end of that day in Europe/Stockholm) or an RFC 3339 time. Anything else,
// and any time not after now, is EINVALID.
func ParseTokenExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	at, err := parseTokenExpiry(s, now)
	if err != nil {
		return time.Time{}, err
	}
	if !at.After(now) {
		return time.Time{}, ruleError(EINVALID, "Utgångstiden %q har redan passerat.", "The expiry %q is in the past.", s)
	}
	return at, nil
}

func parseTokenExpiry(s string, now time.Time) (time.Time, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > maxTokenExpiryDays {
			return time.Time{}, ruleError(EINVALID, "Utgångstiden %q är inget antal dagar upp till %d.",
				"The expiry %q is not a number of days up to %d.", s, maxTokenExpiryDays)
		}
		return now.AddDate(0, 0, n), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(d), nil
	}
	if day, err := time.ParseInLocation(time.DateOnly, s, tokenExpiryZone); err == nil {
		// The last instant of that day, as stored: the next midnight less
		// the microsecond every store keeps.
		return day.AddDate(0, 0, 1).Add(-time.Microsecond), nil
	}
	if at, err := time.Parse(time.RFC3339, s); err == nil {
		return at, nil
	}
	return time.Time{}, Errorf(EINVALID, "Utgångstiden %q är inte %s. / The expiry %q is not %s.", s, tokenExpiryHelpSV, s, TokenExpiryHelp)
}

// Expired reports whether the token no longer works at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}
