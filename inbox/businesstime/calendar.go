// Package businesstime is the business-hours calendar of the kontaktcenter
// and the clock arithmetic built on it: business time between two instants,
// due times, next opening, and SLA clocks that pause while a conversation
// waits on the citizen.
//
// Business time is elapsed real time inside opening hours, so an interval
// 00:00–24:00 on the day clocks go forward (last Sunday of March) counts 23
// hours, and 25 on the day they go back. Opening hours are wall-clock times
// in the calendar's zone, Europe/Stockholm unless configured otherwise.
//
// Swedish public holidays come from github.com/rickar/cal/v2/se, including
// midsommarafton, julafton and nyårsafton, which are closed like holidays.
// Shorter hours on the day before a holiday are not assumed; configure them
// as exceptions.
package businesstime

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	// The zone database is embedded so Europe/Stockholm resolves on hosts
	// without /usr/share/zoneinfo (scratch and distroless images).
	_ "time/tzdata"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/se"
)

// Calendar says when the kontaktcenter is open. It is safe for concurrent
// use. Build one with New, Parse, Load or Default; the zero Calendar is not
// usable.
type Calendar struct {
	loc        *time.Location
	week       [7][]Hours
	exceptions map[Date]Exception
	holidays   []*cal.Holiday
	anyOpen    bool

	// years caches holiday names by date per year (int → map[Date]string),
	// filled on demand; a sync.Map because after warm-up it is only read.
	years sync.Map
}

// swedishHolidays are the allmänna helgdagar and the eves closed like them.
// se.Holidays leaves out påskdagen and pingstdagen because they are always
// Sundays; they are added so a week that opens on Sundays still closes then.
func swedishHolidays() []*cal.Holiday {
	return append(slices.Clone(se.Holidays), se.Paskdagen, se.Pingstdagen)
}

// Default returns the default calendar: DefaultWeek, Swedish holidays,
// Europe/Stockholm.
func Default() *Calendar {
	c, err := New(Config{})
	if err != nil {
		// The default config is a constant; failing here is a programming error.
		panic(fmt.Sprintf("businesstime: default calendar: %v", err))
	}
	return c
}

// New validates cfg and builds its Calendar. Errors are *inbox.Error with
// code EINVALID and say which field is wrong.
func New(cfg Config) (*Calendar, error) {
	c := &Calendar{exceptions: map[Date]Exception{}}
	zone := cfg.TimeZone
	if zone == "" {
		zone = DefaultTimeZone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, invalidf("business hours: time_zone %q is not a known IANA zone such as %s", zone, DefaultTimeZone)
	}
	c.loc = loc
	switch cfg.Holidays {
	case "", HolidaysSE:
		c.holidays = swedishHolidays()
	case HolidaysNone:
	default:
		return nil, invalidf("business hours: holidays %q must be %q or %q", cfg.Holidays, HolidaysSE, HolidaysNone)
	}
	if err := c.setWeek(cfg.Week); err != nil {
		return nil, err
	}
	for i, ex := range cfg.Exceptions {
		if err := c.addException(i, ex); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Calendar) setWeek(week map[string][]Hours) error {
	if week == nil {
		week = DefaultWeek()
	}
	// Sorted so that of several mistakes the same one is reported every time.
	for _, name := range slices.Sorted(maps.Keys(week)) {
		hours := week[name]
		wd, ok := weekdayNames[name]
		if !ok {
			return invalidf("business hours: week.%s is not a weekday; use monday … sunday", name)
		}
		sorted, err := checkHours(hours)
		if err != nil {
			return invalidf("business hours: week.%s: %v", name, err)
		}
		c.week[wd] = sorted
		c.anyOpen = c.anyOpen || len(sorted) > 0
	}
	if !c.anyOpen {
		return invalidf("business hours: week has no opening hours; give at least one day such as \"monday\": [\"08:00-16:30\"]")
	}
	return nil
}

func (c *Calendar) addException(i int, ex Exception) error {
	if ex.Date == (Date{}) {
		return invalidf("business hours: exceptions[%d]: date is required (YYYY-MM-DD)", i)
	}
	if !ex.Date.valid() {
		return invalidf("business hours: exceptions[%d]: %s is not a calendar date", i, ex.Date)
	}
	if _, dup := c.exceptions[ex.Date]; dup {
		return invalidf("business hours: exceptions[%d]: %s is listed twice", i, ex.Date)
	}
	if ex.Closed == (len(ex.Hours) > 0) {
		return invalidf("business hours: exceptions[%d] (%s): give either \"closed\": true or \"hours\", not both or neither", i, ex.Date)
	}
	sorted, err := checkHours(ex.Hours)
	if err != nil {
		return invalidf("business hours: exceptions[%d] (%s): %v", i, ex.Date, err)
	}
	ex.Hours = sorted
	c.exceptions[ex.Date] = ex
	return nil
}

// checkHours returns the intervals sorted by start, or an error if two overlap.
func checkHours(hours []Hours) ([]Hours, error) {
	sorted := slices.Clone(hours)
	slices.SortFunc(sorted, func(a, b Hours) int { return int(a.Start - b.Start) })
	for i, h := range sorted {
		if h.End <= h.Start || h.Start < 0 || h.End > 24*60 {
			return nil, fmt.Errorf("%s is not an interval within one day", h)
		}
		if i > 0 && h.Start < sorted[i-1].End {
			return nil, fmt.Errorf("%s overlaps %s", sorted[i-1], h)
		}
	}
	return sorted, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holiday returns the name of the holiday on date d ("Julafton"), if any.
// Exceptions do not change it: an exception can open a holiday, which is
// still a holiday.
func (c *Calendar) Holiday(d Date) (name string, ok bool) {
	if len(c.holidays) == 0 {
		return "", false
	}
	name, ok = c.holidaysOf(d.Year)[d]
	return name, ok
}

func (c *Calendar) holidaysOf(year int) map[Date]string {
	if m, ok := c.years.Load(year); ok {
		return m.(map[Date]string)
	}
	m := make(map[Date]string, len(c.holidays))
	for _, h := range c.holidays {
		actual, _ := h.Calc(year)
		if !actual.IsZero() {
			m[DateOf(actual)] = h.Name
		}
	}
	// Two goroutines may compute the same year; both results are equal.
	stored, _ := c.years.LoadOrStore(year, m)
	return stored.(map[Date]string)
}

// HoursOn returns the opening hours of date d in wall-clock time: the
// exception for d if there is one, none on a holiday, else the week's hours.
func (c *Calendar) HoursOn(d Date) []Hours {
	if ex, ok := c.exceptions[d]; ok {
		return ex.Hours
	}
	if _, ok := c.Holiday(d); ok {
		return nil
	}
	return c.week[d.weekday()]
}

// span is an opening interval as instants, [start, end).
type span struct{ start, end time.Time }

// spansOn appends the opening intervals of date d, as instants, to buf.
func (c *Calendar) spansOn(buf []span, d Date) []span {
	first := len(buf)
	for _, h := range c.HoursOn(d) {
		s := span{c.at(d, h.Start), c.at(d, h.End)}
		// Wall times inside the spring-forward gap move past it and may then
		// run into the next interval; trim so no instant is counted twice.
		if len(buf) > first && s.start.Before(buf[len(buf)-1].end) {
			s.start = buf[len(buf)-1].end
		}
		if s.start.Before(s.end) {
			buf = append(buf, s)
		}
	}
	return buf
}

// at returns the instant of wall-clock time t on date d. A time that does not
// exist on the spring-forward day (02:00–03:00) maps to the same offset past
// 03:00, which is what time.Date does.
func (c *Calendar) at(d Date, t TimeOfDay) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(t)/60, int(t)%60, 0, 0, c.loc)
}

// IsOpen reports whether t falls within opening hours.
func (c *Calendar) IsOpen(t time.Time) bool {
	var buf [4]span
	for _, s := range c.spansOn(buf[:0], c.dateOf(t)) {
		if !t.Before(s.start) && t.Before(s.end) {
			return true
		}
	}
	return false
}

// dateOf returns the civil date of t in the calendar's zone.
func (c *Calendar) dateOf(t time.Time) Date { return DateOf(t.In(c.loc)) }
