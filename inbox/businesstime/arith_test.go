package businesstime

import (
	"testing"
	"time"
)

func TestBetween(t *testing.T) {
	def := Default()
	all := mustParse(t, allDay)
	nightly := mustParse(t, `{"holidays": "none", "week": {"sunday": ["01:00-04:00"]}}`)
	special := mustParse(t, `{"exceptions": [{"date": "2026-12-23", "hours": ["08:00-12:00"]}]}`)
	tests := []struct {
		name     string
		cal      *Calendar
		from, to time.Time
		want     time.Duration
	}{
		{"SameDay", def, st("2026-11-24 09:00"), st("2026-11-24 11:30"), 2*time.Hour + 30*time.Minute},
		{"StartsBeforeOpening", def, st("2026-11-24 06:00"), st("2026-11-24 09:00"), time.Hour},
		{"EndsAfterClosing", def, st("2026-11-24 15:00"), st("2026-11-24 20:00"), 90 * time.Minute},
		{"BothOutsideHours", def, st("2026-11-24 17:00"), st("2026-11-25 07:00"), 0},
		{"Overnight", def, st("2026-11-24 16:00"), st("2026-11-25 09:00"), 90 * time.Minute},
		{"Weekend", def, st("2026-11-27 15:00"), st("2026-11-30 10:00"), 3*time.Hour + 30*time.Minute},
		{"WholeWeek", def, st("2026-11-23 00:00"), st("2026-11-30 00:00"), 42*time.Hour + 30*time.Minute},
		{"Reversed", def, st("2026-11-25 09:00"), st("2026-11-24 09:00"), 0},
		{"Equal", def, st("2026-11-24 09:00"), st("2026-11-24 09:00"), 0},
		{"ArrivesOnJulafton", def, st("2026-12-24 10:00"), st("2026-12-28 09:00"), time.Hour},
		{"ArrivesOnMidsommarafton", def, st("2026-06-19 11:00"), st("2026-06-22 08:30"), 30 * time.Minute},
		{"ArrivesOnNyarsafton", def, st("2026-12-31 12:00"), st("2027-01-04 12:00"), 4 * time.Hour},
		{"Easter", def, st("2026-04-02 15:00"), st("2026-04-07 09:00"), 2*time.Hour + 30*time.Minute},
		// 2026 has 261 weekdays; 10 of them are closed: 1 Jan, 6 Jan, 3 Apr,
		// 6 Apr, 1 May, 14 May, 19 Jun, 24 Dec, 25 Dec, 31 Dec.
		{"Year2026", def, st("2026-01-01 00:00"), st("2027-01-01 00:00"), 251 * (8*time.Hour + 30*time.Minute)},
		{"SpringForwardWeekend", def, st("2026-03-27 16:00"), st("2026-03-30 09:00"), 90 * time.Minute},
		{"FallBackWeekend", def, st("2026-10-23 16:00"), st("2026-10-26 09:00"), 90 * time.Minute},
		{"SpringForwardDay", all, st("2026-03-29 00:00"), st("2026-03-30 00:00"), 23 * time.Hour},
		{"FallBackDay", all, st("2026-10-25 00:00"), st("2026-10-26 00:00"), 25 * time.Hour},
		{"SpringForwardNight", nightly, st("2026-03-28 12:00"), st("2026-03-30 12:00"), 2 * time.Hour},
		{"FallBackNight", nightly, st("2026-10-24 12:00"), st("2026-10-26 12:00"), 4 * time.Hour},
		{"OrdinaryNight", nightly, st("2026-11-28 12:00"), st("2026-11-30 12:00"), 3 * time.Hour},
		{"ExceptionHours", special, st("2026-12-23 07:00"), st("2026-12-23 18:00"), 4 * time.Hour},
		{"UTCInput", def, st("2026-11-24 09:00").UTC(), st("2026-11-24 10:00").UTC(), time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.Between(tc.from, tc.to); got != tc.want {
				t.Errorf("Between(%s, %s): got %s, want %s", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestAdd(t *testing.T) {
	def := Default()
	all := mustParse(t, allDay)
	tests := []struct {
		name string
		cal  *Calendar
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"SameDay", def, st("2026-11-24 09:00"), 2 * time.Hour, st("2026-11-24 11:00")},
		{"Overnight", def, st("2026-11-24 15:30"), 2 * time.Hour, st("2026-11-25 09:00")},
		{"EndsAtClosing", def, st("2026-11-24 15:30"), time.Hour, st("2026-11-24 16:30")},
		{"StartsBeforeOpening", def, st("2026-11-24 07:00"), 8*time.Hour + 30*time.Minute, st("2026-11-24 16:30")},
		{"OneMinuteMore", def, st("2026-11-24 08:00"), 8*time.Hour + 31*time.Minute, st("2026-11-25 08:01")},
		{"StartsOnSaturday", def, st("2026-11-28 10:00"), 2 * time.Hour, st("2026-11-30 10:00")},
		{"OverWeekend", def, st("2026-11-27 16:00"), 2 * time.Hour, st("2026-11-30 09:30")},
		{"WorkWeek", def, st("2026-11-23 08:00"), 42*time.Hour + 30*time.Minute, st("2026-11-27 16:30")},
		{"ArrivesOnJulafton", def, st("2026-12-24 10:00"), 4 * time.Hour, st("2026-12-28 12:00")},
		{"ArrivesOnMidsommarafton", def, st("2026-06-19 11:00"), 30 * time.Minute, st("2026-06-22 08:30")},
		{"SpringForwardWeekend", def, st("2026-03-27 16:00"), 2 * time.Hour, st("2026-03-30 09:30")},
		{"SpringForwardDay", all, st("2026-03-29 00:00"), 24 * time.Hour, st("2026-03-30 01:00")},
		{"FallBackDay", all, st("2026-10-25 00:00"), 24 * time.Hour, st("2026-10-25 23:00")},
		{"Zero", def, st("2026-11-28 10:00"), 0, st("2026-11-28 10:00")},
		{"Negative", def, st("2026-11-28 10:00"), -time.Hour, st("2026-11-28 10:00")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.Add(tc.from, tc.d); !got.Equal(tc.want) {
				t.Errorf("Add(%s, %s): got %s, want %s", tc.from, tc.d, got, tc.want)
			}
		})
	}
}

// TestAddBetweenRoundTrip checks that Between undoes Add from instants all
// around the clock over Christmas, New Year and a daylight-saving change.
func TestAddBetweenRoundTrip(t *testing.T) {
	cals := map[string]*Calendar{
		"Default": Default(),
		"Lunch":   mustParse(t, `{"week": {"monday": ["08:00-12:00", "13:00-16:30"], "saturday": ["22:00-24:00"], "sunday": ["00:00-03:00"]}}`),
	}
	durations := []time.Duration{time.Minute, 2 * time.Hour, 8*time.Hour + 30*time.Minute, 20 * time.Hour}
	for name, c := range cals {
		for _, start := range []time.Time{st("2026-12-20 00:00"), st("2026-10-20 00:00")} {
			for from := start; from.Before(start.Add(21 * 24 * time.Hour)); from = from.Add(37 * time.Minute) {
				for _, d := range durations {
					due := c.Add(from, d)
					if got := c.Between(from, due); got != d {
						t.Fatalf("%s: Between(%s, Add(%s, %s) = %s): got %s, want %s", name, from, from, d, due, got, d)
					}
				}
			}
		}
	}
}
