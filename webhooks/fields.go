package webhooks

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"inkorg/inbox"
)

// metaID is an id as Meta writes it: usually a JSON string, but some
// payloads write ids as JSON numbers. Numbers are kept as their literal
// digits, never converted through float64, so 64-bit ids keep every digit.
// Any other value (a fraction, a boolean, an object) reads as absent rather
// than failing the whole item, as a timestamp does.
type metaID string

// UnmarshalJSON never fails; see metaID.
func (id *metaID) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		*id = metaID(unquote(b))
	case isDigits(b):
		*id = metaID(b)
	default:
		*id = ""
	}
	return nil
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// party is someone a payload names: a commenter, a sender, a recipient.
type party struct {
	ID       metaID `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

func (p party) actor() inbox.Actor {
	return inbox.Actor{ExternalID: string(p.ID), Name: p.Name, Username: p.Username}
}

// flag is a Meta boolean: true or false, or either written as a string
// ("true", "false", in any case, or "1" and "0", as strconv.ParseBool
// reads them). Any other value reads as false, as an absent flag does,
// rather than failing the whole item.
type flag bool

// UnmarshalJSON never fails; see flag.
func (f *flag) UnmarshalJSON(b []byte) error {
	if len(b) > 1 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	v, err := strconv.ParseBool(string(b))
	*f = flag(err == nil && v)
	return nil
}

// decodePart decodes raw, one entry, change or item of a delivery, into v.
// A member of another type than Meta documents does not lose the rest:
// encoding/json leaves such a member unset, decodes the others and reports
// the first as an UnmarshalTypeError, whose path is returned as ignored
// (for the metric and the log) instead of an error. The types that read
// single fields (metaID, flag, timestamp) never fail, so the only error
// left is raw not being an object at all.
func decodePart(raw json.RawMessage, v any) (ignored string, err error) {
	err = json.Unmarshal(raw, v)
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return typeErr.Field, nil
	}
	return "", err
}

// timestamp is a Meta time field. It is an integer in the unit of its part
// of the payload (seconds in changes[], milliseconds in messaging[]), as a
// JSON number or a string of digits, or an ISO 8601 string in the Graph
// API's format. A value that fits none of these is treated as absent rather
// than failing the whole item: the entry's time is a close fallback.
type timestamp struct {
	n   int64
	iso time.Time
}

// isoLayouts are the string forms of created_time: the Graph API's own
// ("2016-10-04T11:00:54+0000") and RFC 3339.
var isoLayouts = []string{"2006-01-02T15:04:05-0700", time.RFC3339Nano}

// UnmarshalJSON never fails; see timestamp.
func (t *timestamp) UnmarshalJSON(b []byte) error {
	*t = timestamp{}
	s := string(b)
	if len(b) > 1 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		t.n = n
		return nil
	}
	for _, layout := range isoLayouts {
		if iso, err := time.Parse(layout, s); err == nil {
			t.iso = iso.UTC()
			return nil
		}
	}
	return nil
}

// Bounds of a usable time. Zero or negative values are placeholders, and
// times past year 9999 cannot be written as RFC 3339 by the layers above.
const (
	maxUnixSeconds = 253402300799 // 9999-12-31T23:59:59Z
	maxUnixMillis  = maxUnixSeconds * 1000
	// minUnixMillis tells the units apart: every time in milliseconds
	// since March 1973 is at least this, and every time in seconds before
	// the year 5138 is below it.
	minUnixMillis = 100_000_000_000
)

// seconds returns t, which its part of the payload gives in Unix seconds,
// in UTC, or the zero time when t is absent or out of range.
func (t timestamp) seconds() time.Time { return t.time() }

// millis returns t, which its part of the payload gives in Unix
// milliseconds, in UTC, or the zero time when t is absent or out of range.
func (t timestamp) millis() time.Time { return t.time() }

// time reads t in the unit its size says rather than the one its place in
// the payload should have: a timestamp in milliseconds where seconds are
// due would otherwise be refused as past the year 9999, and one in seconds
// where milliseconds are due dated January 1970, first in every queue.
// Meta has sent both (Instagram's entry time in milliseconds, for one).
func (t timestamp) time() time.Time {
	switch {
	case !t.iso.IsZero():
		return inRange(t.iso)
	case t.n <= 0 || t.n > maxUnixMillis:
		return time.Time{}
	case t.n < minUnixMillis:
		return time.Unix(t.n, 0).UTC()
	}
	return time.UnixMilli(t.n).UTC()
}

func inRange(t time.Time) time.Time {
	if t.Unix() <= 0 || t.Unix() > maxUnixSeconds {
		return time.Time{}
	}
	return t
}

// firstTime returns the first of times that is not zero.
func firstTime(times ...time.Time) time.Time {
	for _, t := range times {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
