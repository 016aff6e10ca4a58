package businesstime

import (
	"testing"
	"time"
)

var stockholm = mustLoad("Europe/Stockholm")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// st parses "2006-01-02 15:04" as wall-clock time in Stockholm.
func st(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, stockholm)
	if err != nil {
		panic(err)
	}
	return t
}

// mustParse builds a calendar from JSON or fails the test.
func mustParse(t testing.TB, config string) *Calendar {
	t.Helper()
	c, err := Parse([]byte(config))
	if err != nil {
		t.Fatalf("parse %s: %v", config, err)
	}
	return c
}

// allDay is open around the clock, every day, without holidays: business
// time equals elapsed time, which makes daylight-saving days visible.
const allDay = `{"holidays": "none", "week": {
	"monday": ["00:00-24:00"], "tuesday": ["00:00-24:00"], "wednesday": ["00:00-24:00"],
	"thursday": ["00:00-24:00"], "friday": ["00:00-24:00"], "saturday": ["00:00-24:00"],
	"sunday": ["00:00-24:00"]}}`

func TestHoliday(t *testing.T) {
	c := Default()
	tests := []struct {
		date Date
		want string // "" for no holiday
	}{
		{Date{2026, 1, 1}, "Nyårsdagen"},
		{Date{2026, 1, 6}, "Trettondedag jul"},
		{Date{2026, 4, 2}, ""}, // skärtorsdagen is a working day
		{Date{2026, 4, 3}, "Långfredagen"},
		{Date{2026, 4, 5}, "Påskdagen"},
		{Date{2026, 4, 6}, "Annandag påsk"},
		{Date{2026, 4, 30}, ""}, // valborgsmässoafton is a working day
		{Date{2026, 5, 1}, "Första maj"},
		{Date{2026, 5, 14}, "Kristi himmelsfärdsdag"},
		{Date{2026, 5, 24}, "Pingstdagen"},
		{Date{2026, 5, 25}, ""}, // annandag pingst is no longer a holiday
		{Date{2026, 6, 6}, "Sveriges nationaldag"},
		{Date{2026, 6, 19}, "Midsommarafton"},
		{Date{2026, 6, 20}, "Midsommardagen"},
		{Date{2026, 10, 31}, "Alla helgons dag"},
		{Date{2026, 12, 24}, "Julafton"},
		{Date{2026, 12, 25}, "Juldagen"},
		{Date{2026, 12, 26}, "Annandag jul"},
		{Date{2026, 12, 31}, "Nyårsafton"},
		{Date{2027, 6, 25}, "Midsommarafton"},
		{Date{2026, 11, 24}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.date.String(), func(t *testing.T) {
			got, ok := c.Holiday(tc.date)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("got %q, %v, want %q", got, ok, tc.want)
			}
		})
	}
}

func TestIsOpen(t *testing.T) {
	def := Default()
	lunch := mustParse(t, `{"week": {"monday": ["08:00-12:00", "13:00-16:30"]},
		"exceptions": [
			{"date": "2026-12-24", "hours": ["09:00-12:00"], "note": "Öppet julafton"},
			{"date": "2026-11-23", "closed": true}
		]}`)
	tests := []struct {
		name string
		cal  *Calendar
		at   time.Time
		want bool
	}{
		{"OK/WeekdayMorning", def, st("2026-11-24 08:00"), true},
		{"OK/WeekdayLastMinute", def, st("2026-11-24 16:29"), true},
		{"ErrBeforeOpening", def, st("2026-11-24 07:59"), false},
		{"ErrAtClosing", def, st("2026-11-24 16:30"), false},
		{"ErrNight", def, st("2026-11-24 23:00"), false},
		{"ErrSaturday", def, st("2026-11-28 10:00"), false},
		{"ErrSunday", def, st("2026-11-29 10:00"), false},
		{"ErrJulafton", def, st("2026-12-24 10:00"), false},
		{"ErrMidsommarafton", def, st("2026-06-19 10:00"), false},
		{"ErrNyarsafton", def, st("2026-12-31 10:00"), false},
		{"ErrLangfredagen", def, st("2026-04-03 10:00"), false},
		{"OK/SkartorsdagenIsWorkday", def, st("2026-04-02 10:00"), true},
		{"OK/OtherZoneSameInstant", def, st("2026-11-24 08:00").In(time.UTC), true},
		{"ErrLunchBreak", lunch, st("2026-11-30 12:30"), false},
		{"OK/AfterLunch", lunch, st("2026-11-30 13:00"), true},
		{"OK/ExceptionOpensHoliday", lunch, st("2026-12-24 09:30"), true},
		{"ErrExceptionHoursEnd", lunch, st("2026-12-24 12:00"), false},
		{"ErrExceptionClosed", lunch, st("2026-11-23 09:00"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.IsOpen(tc.at); got != tc.want {
				t.Errorf("IsOpen(%s): got %v, want %v", tc.at, got, tc.want)
			}
		})
	}
}

func TestNextOpen(t *testing.T) {
	def := Default()
	lunch := mustParse(t, `{"week": {"monday": ["08:00-12:00", "13:00-16:30"]}}`)
	tests := []struct {
		name     string
		cal      *Calendar
		at, want time.Time
	}{
		{"OpenNow", def, st("2026-11-24 10:00"), st("2026-11-24 10:00")},
		{"EarlyMorning", def, st("2026-11-24 06:15"), st("2026-11-24 08:00")},
		{"Overnight", def, st("2026-11-24 16:30"), st("2026-11-25 08:00")},
		{"Weekend", def, st("2026-11-27 17:00"), st("2026-11-30 08:00")},
		{"Christmas", def, st("2026-12-23 16:45"), st("2026-12-28 08:00")},
		{"NewYear", def, st("2026-12-30 16:45"), st("2027-01-04 08:00")},
		{"Trettondagen", def, st("2027-01-05 17:00"), st("2027-01-07 08:00")},
		{"EasterWeekend", def, st("2026-04-02 16:30"), st("2026-04-07 08:00")},
		{"MidsommarWeekend", def, st("2026-06-18 20:00"), st("2026-06-22 08:00")},
		{"LunchBreak", lunch, st("2026-11-30 12:00"), st("2026-11-30 13:00")},
		{"NextWeek", lunch, st("2026-11-30 16:30"), st("2026-12-07 08:00")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.NextOpen(tc.at); !got.Equal(tc.want) {
				t.Errorf("NextOpen(%s): got %s, want %s", tc.at, got, tc.want)
			}
		})
	}
}

// TestConcurrentUse fills the holiday cache from many goroutines at once;
// run with -race.
func TestConcurrentUse(t *testing.T) {
	c := Default()
	from, to := st("2030-01-01 00:00"), st("2031-01-01 00:00")
	want := Default().Between(from, to)
	results := make(chan time.Duration, 8)
	for range 8 {
		go func() { results <- c.Between(from, to) }()
	}
	for range 8 {
		if got := <-results; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
