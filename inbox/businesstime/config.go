package businesstime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"inkorg/inbox"
)

// Config is the file form of a Calendar. A minimal file is {} (the default
// hours, Swedish holidays, Europe/Stockholm); a full one looks like
//
//	{
//	  "time_zone": "Europe/Stockholm",
//	  "holidays": "se",
//	  "week": {
//	    "monday": ["08:00-12:00", "13:00-16:30"],
//	    "friday": ["08:00-15:00"]
//	  },
//	  "exceptions": [
//	    {"date": "2026-04-30", "hours": ["08:00-12:00"], "note": "Valborgsmässoafton"},
//	    {"date": "2026-12-23", "closed": true}
//	  ]
//	}
//
// Weekdays missing from a given "week" are closed.
type Config struct {
	// TimeZone is an IANA zone name; empty means Europe/Stockholm.
	TimeZone string `json:"time_zone,omitempty"`
	// Holidays is "se" (Swedish public holidays plus midsommarafton,
	// julafton and nyårsafton, closed all day) or "none"; empty means "se".
	Holidays string `json:"holidays,omitempty"`
	// Week maps lower-case English weekday names to that day's opening
	// hours. Nil means DefaultWeek.
	Week map[string][]Hours `json:"week,omitempty"`
	// Exceptions override the week and the holidays on single dates.
	Exceptions []Exception `json:"exceptions,omitempty"`
}

// Exception replaces the opening hours of one date: closed all day, or open
// with special hours. It wins over both the week and the holidays.
type Exception struct {
	Date   Date    `json:"date"`
	Closed bool    `json:"closed,omitempty"`
	Hours  []Hours `json:"hours,omitempty"`
	Note   string  `json:"note,omitempty"`
}

// Holiday sets for Config.Holidays.
const (
	HolidaysSE   = "se"
	HolidaysNone = "none"
)

// DefaultTimeZone is the zone of the city and of every calendar that does not
// name another.
const DefaultTimeZone = "Europe/Stockholm"

// DefaultWeek returns the default opening hours: weekdays 08:00–16:30,
// closed at weekends. The kontaktcenter's general opening hours are not
// published in a form we could verify; 08:00–16:30 on weekdays is the one
// verified figure (its Finnish-speaking servicevägledare), so it is the
// default until an operator configures the real hours.
func DefaultWeek() map[string][]Hours {
	day := []Hours{{Start: 8 * 60, End: 16*60 + 30}}
	return map[string][]Hours{
		"monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day,
	}
}

var weekdayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

// Parse reads a JSON Config and builds its Calendar. Unknown fields are an
// error, so a misspelt key is not silently ignored.
func Parse(data []byte) (*Calendar, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var file configFile
	if err := dec.Decode(&file); err != nil {
		return nil, invalidf("business hours: %s", describeJSONError(data, err))
	}
	if dec.More() {
		return nil, invalidf("business hours: unexpected data after the JSON object")
	}
	cfg, err := file.config()
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// configFile is Config as written, with times and dates still text, so a
// malformed one is reported with the field it is in.
type configFile struct {
	TimeZone   string              `json:"time_zone"`
	Holidays   string              `json:"holidays"`
	Week       map[string][]string `json:"week"`
	Exceptions []struct {
		Date   string   `json:"date"`
		Closed bool     `json:"closed"`
		Hours  []string `json:"hours"`
		Note   string   `json:"note"`
	} `json:"exceptions"`
}

func (f configFile) config() (Config, error) {
	cfg := Config{TimeZone: f.TimeZone, Holidays: f.Holidays}
	if f.Week != nil {
		cfg.Week = make(map[string][]Hours, len(f.Week))
	}
	for _, day := range slices.Sorted(maps.Keys(f.Week)) {
		hours, err := parseHoursList(f.Week[day])
		if err != nil {
			return Config{}, invalidf("business hours: week.%s: %v", day, err)
		}
		cfg.Week[day] = hours
	}
	for i, ex := range f.Exceptions {
		var date Date
		if ex.Date != "" {
			var err error
			if date, err = ParseDate(ex.Date); err != nil {
				return Config{}, invalidf("business hours: exceptions[%d].date: %v", i, err)
			}
		}
		hours, err := parseHoursList(ex.Hours)
		if err != nil {
			return Config{}, invalidf("business hours: exceptions[%d] (%s): %v", i, ex.Date, err)
		}
		cfg.Exceptions = append(cfg.Exceptions, Exception{Date: date, Closed: ex.Closed, Hours: hours, Note: ex.Note})
	}
	return cfg, nil
}

func parseHoursList(texts []string) ([]Hours, error) {
	var out []Hours
	for _, text := range texts {
		h, err := ParseHours(text)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Load reads a JSON Config from the file at path and builds its Calendar.
func Load(path string) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inbox.WrapError(inbox.EINVALID, err, "business hours: cannot read %s", path)
	}
	cal, err := Parse(data)
	if err != nil {
		return nil, inbox.Errorf(inbox.EINVALID, "%s: %s", path, inbox.ErrorMessage(err))
	}
	return cal, nil
}

// describeJSONError turns a decoding error into a message with a line number.
func describeJSONError(data []byte, err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "empty config; want a JSON object such as {}"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at line %d: %v", lineOf(data, syntax.Offset), syntax)
	case errors.As(err, &typ):
		return fmt.Sprintf("line %d: %s must be %s", lineOf(data, typ.Offset), typ.Field, typ.Type)
	}
	return err.Error()
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

func invalidf(format string, args ...any) error {
	return inbox.Errorf(inbox.EINVALID, format, args...)
}

// TimeOfDay is a wall-clock time as minutes after midnight, 0 to 24*60.
type TimeOfDay int

// ParseTimeOfDay parses "HH:MM" (00:00 to 24:00).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time between 00:00 and 24:00", s)
	}
	return TimeOfDay(h*60 + m), nil
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats t as "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// Hours is one opening interval within a day, [Start, End). Its text form is
// "08:00-16:30"; End may be 24:00 for "until midnight".
type Hours struct {
	Start TimeOfDay
	End   TimeOfDay
}

// ParseHours parses "HH:MM-HH:MM".
func ParseHours(s string) (Hours, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Hours{}, fmt.Errorf("%q is not an interval HH:MM-HH:MM", s)
	}
	start, err := ParseTimeOfDay(strings.TrimSpace(from))
	if err != nil {
		return Hours{}, err
	}
	end, err := ParseTimeOfDay(strings.TrimSpace(to))
	if err != nil {
		return Hours{}, err
	}
	if end <= start {
		return Hours{}, fmt.Errorf("%q ends before it starts (an interval cannot pass midnight; split it at 24:00)", s)
	}
	return Hours{Start: start, End: end}, nil
}

// String formats h as "HH:MM-HH:MM".
func (h Hours) String() string { return h.Start.String() + "-" + h.End.String() }

// MarshalText implements encoding.TextMarshaler.
func (h Hours) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Hours) UnmarshalText(b []byte) error {
	v, err := ParseHours(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// Date is a civil date, without time or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String formats d as "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// valid reports whether d names a real day (not 30 February).
func (d Date) valid() bool {
	return DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) == d
}

// next returns the following date.
func (d Date) next() Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC))
}

// weekday returns the day of the week of d.
func (d Date) weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// before reports whether d is earlier than e.
func (d Date) before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}
