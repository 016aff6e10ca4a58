package businesstime

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"inkorg/inbox"
)

func TestParse(t *testing.T) {
	t.Run("OK/Empty", func(t *testing.T) {
		c, err := Parse([]byte(`{}`))
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		if got, want := c.Location().String(), "Europe/Stockholm"; got != want {
			t.Errorf("zone: got %s, want %s", got, want)
		}
		if got, want := c.HoursOn(Date{2026, 11, 24}), []Hours{{8 * 60, 16*60 + 30}}; !reflect.DeepEqual(got, want) {
			t.Errorf("tuesday: got %v, want %v", got, want)
		}
		if got := c.HoursOn(Date{2026, 11, 28}); len(got) != 0 {
			t.Errorf("saturday: got %v, want closed", got)
		}
		if _, ok := c.Holiday(Date{2026, 12, 24}); !ok {
			t.Errorf("julafton: got no holiday, want one")
		}
	})
	t.Run("OK/Full", func(t *testing.T) {
		c, err := Parse([]byte(`{
			"time_zone": "Europe/Stockholm",
			"holidays": "none",
			"week": {"monday": ["13:00-16:30", "08:00-12:00"], "saturday": ["10:00-14:00"]},
			"exceptions": [
				{"date": "2026-11-30", "closed": true, "note": "Personaldag"},
				{"date": "2026-12-01", "hours": ["09:00-10:00"]}
			]
		}`))
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		tests := []struct {
			date Date
			want []Hours
		}{
			{Date{2026, 11, 23}, []Hours{{8 * 60, 12 * 60}, {13 * 60, 16*60 + 30}}}, // sorted
			{Date{2026, 11, 24}, nil}, // tuesday not listed: closed
			{Date{2026, 11, 28}, []Hours{{10 * 60, 14 * 60}}},
			{Date{2026, 11, 30}, nil},                         // exception closed
			{Date{2026, 12, 1}, []Hours{{9 * 60, 10 * 60}}},   // exception hours on a tuesday
			{Date{2026, 12, 26}, []Hours{{10 * 60, 14 * 60}}}, // annandag jul, holidays off
		}
		for _, tc := range tests {
			if got := c.HoursOn(tc.date); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.date, got, tc.want)
			}
		}
	})

	errTests := []struct {
		name, config, want string
	}{
		{"ErrEmptyInput", ``, "empty config"},
		{"ErrSyntax", "{\n\"week\": {,}}", "invalid JSON at line 2"},
		{"ErrTrailingData", `{} {}`, "unexpected data after"},
		{"ErrUnknownField", `{"weeks": {}}`, `unknown field "weeks"`},
		{"ErrWrongType", "{\n\"week\": []}", "line 2: week must be"},
		{"ErrWeekday", `{"week": {"måndag": ["08:00-16:30"]}}`, "week.måndag is not a weekday"},
		{"ErrIntervalBackwards", `{"week": {"monday": ["17:00-16:00"]}}`, `"17:00-16:00" ends before it starts`},
		{"ErrIntervalNoDash", `{"week": {"monday": ["08:00"]}}`, `"08:00" is not an interval`},
		{"ErrTimeOutOfRange", `{"week": {"monday": ["08:00-24:30"]}}`, `"24:30" is not a time between`},
		{"ErrTimeMalformed", `{"week": {"monday": ["8:00-16:00"]}}`, `"8:00" is not a time HH:MM`},
		{"ErrOverlap", `{"week": {"friday": ["08:00-12:00", "11:00-13:00"]}}`, "week.friday: 08:00-12:00 overlaps 11:00-13:00"},
		{"ErrNoHours", `{"week": {"monday": []}}`, "week has no opening hours"},
		{"ErrZone", `{"time_zone": "Europe/Goteborg"}`, `time_zone "Europe/Goteborg" is not a known`},
		{"ErrHolidays", `{"holidays": "dk"}`, `holidays "dk" must be`},
		{"ErrExceptionDate", `{"exceptions": [{"date": "2026-13-01", "closed": true}]}`, `"2026-13-01" is not a date`},
		{"ErrExceptionNoDate", `{"exceptions": [{"closed": true}]}`, "exceptions[0]: date is required"},
		{"ErrExceptionBoth", `{"exceptions": [{"date": "2026-12-23", "closed": true, "hours": ["08:00-12:00"]}]}`, "exceptions[0] (2026-12-23): give either"},
		{"ErrExceptionNeither", `{"exceptions": [{"date": "2026-12-23"}]}`, "exceptions[0] (2026-12-23): give either"},
		{"ErrExceptionDuplicate", `{"exceptions": [{"date": "2026-12-23", "closed": true}, {"date": "2026-12-23", "closed": true}]}`, "exceptions[1]: 2026-12-23 is listed twice"},
		{"ErrExceptionOverlap", `{"exceptions": [{"date": "2026-12-23", "hours": ["08:00-12:00", "08:00-09:00"]}]}`, "overlaps"},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.config))
			if got, want := inbox.ErrorCode(err), inbox.EINVALID; got != want {
				t.Fatalf("code: got %q (%v), want %q", got, err, want)
			}
			if got := inbox.ErrorMessage(err); !strings.Contains(got, tc.want) {
				t.Errorf("message: got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(dir, "hours.json")
		if err := os.WriteFile(path, []byte(`{"week": {"sunday": ["10:00-12:00"]}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		if got, want := c.HoursOn(Date{2026, 11, 29}), []Hours{{10 * 60, 12 * 60}}; !reflect.DeepEqual(got, want) {
			t.Errorf("sunday: got %v, want %v", got, want)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		_, err := Load(filepath.Join(dir, "missing.json"))
		if got, want := inbox.ErrorCode(err), inbox.EINVALID; got != want {
			t.Errorf("code: got %q, want %q", got, want)
		}
		if got, want := inbox.ErrorMessage(err), "cannot read"; !strings.Contains(got, want) {
			t.Errorf("message: got %q, want it to contain %q", got, want)
		}
	})
	t.Run("ErrInvalidNamesFile", func(t *testing.T) {
		path := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(path, []byte(`{"week": {"monday": ["16:00-08:00"]}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if got := inbox.ErrorMessage(err); !strings.HasPrefix(got, path+": ") || !strings.Contains(got, "week.monday") {
			t.Errorf("message: got %q, want the path and week.monday", got)
		}
	})
}

func TestHoursText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"08:00-16:30", "08:00-16:30"},
		{"00:00-24:00", "00:00-24:00"},
		{" 09:15 - 10:45", "09:15-10:45"},
	}
	for _, tc := range tests {
		h, err := ParseHours(tc.in)
		if err != nil {
			t.Errorf("%q: got error %v, want nil", tc.in, err)
			continue
		}
		if got := h.String(); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestNew(t *testing.T) {
	t.Run("OK/Default", func(t *testing.T) {
		c, err := New(Config{})
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		if got, want := c.HoursOn(Date{2026, 11, 27}), DefaultWeek()["friday"]; !reflect.DeepEqual(got, want) {
			t.Errorf("friday: got %v, want %v", got, want)
		}
	})
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"ErrImpossibleDate", Config{Exceptions: []Exception{{Date: Date{2026, 2, 30}, Closed: true}}}, "2026-02-30 is not a calendar date"},
		{"ErrHoursOutOfDay", Config{Week: map[string][]Hours{"monday": {{Start: 23 * 60, End: 25 * 60}}}}, "not an interval within one day"},
		{"ErrHoursBackwards", Config{Week: map[string][]Hours{"monday": {{Start: 10 * 60, End: 9 * 60}}}}, "not an interval within one day"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if got, want := inbox.ErrorCode(err), inbox.EINVALID; got != want {
				t.Fatalf("code: got %q (%v), want %q", got, err, want)
			}
			if got := inbox.ErrorMessage(err); !strings.Contains(got, tc.want) {
				t.Errorf("message: got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}
