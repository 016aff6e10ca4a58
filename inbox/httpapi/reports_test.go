package httpapi_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestReportsAccess is the access matrix of the reports: supervisors and
// admins read them, agents and specialists are refused, anonymous callers
// are asked to authenticate.
func TestReportsAccess(t *testing.T) {
	f := newFixture(t)
	tokens := map[inbox.Role]string{}
	for _, u := range []*inbox.User{
		{Name: "sara", Role: inbox.RoleSupervisor}, {Name: "adam", Role: inbox.RoleAdmin},
		{Name: "agnes", Role: inbox.RoleAgent}, {Name: "sven", Role: inbox.RoleSpecialist, AdministrationID: "trafikkontoret"},
	} {
		if err := f.store.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		tokens[u.Role] = f.newToken(t, u)
	}
	const query = "?from=2026-11-01&to=2026-11-30"
	tests := []struct {
		role inbox.Role
		want int
	}{
		{inbox.RoleSupervisor, http.StatusOK},
		{inbox.RoleAdmin, http.StatusOK},
		{inbox.RoleAgent, http.StatusForbidden},
		{inbox.RoleSpecialist, http.StatusForbidden},
		{"", http.StatusUnauthorized},
	}
	// A user who may not read reports is told so whatever the request
	// holds, never what is wrong with it.
	for _, path := range []string{"/api/v1/reports/summary", "/api/v1/reports/summary?from=1/11", "/api/v1/reports/speed" + query} {
		t.Run("ErrForbiddenBeforeValidation"+path, func(t *testing.T) {
			var body struct {
				Error struct{ Code string } `json:"error"`
			}
			res := f.get(t, path, "Bearer "+tokens[inbox.RoleAgent], &body)
			if res.StatusCode != http.StatusForbidden || body.Error.Code != "forbidden" {
				t.Errorf("got %d %q, want 403 forbidden", res.StatusCode, body.Error.Code)
			}
		})
	}
	for _, report := range []string{"summary", "backlog", "hours", "summary.csv", "backlog.csv", "hours.csv"} {
		for _, tc := range tests {
			t.Run(report+"/"+string(tc.role), func(t *testing.T) {
				auth := ""
				if tc.role != "" {
					auth = "Bearer " + tokens[tc.role]
				}
				if res := f.get(t, "/api/v1/reports/"+report+query, auth, nil); res.StatusCode != tc.want {
					t.Errorf("got %d, want %d", res.StatusCode, tc.want)
				}
			})
		}
	}
}

func TestReports(t *testing.T) {
	f := newFixture(t)
	sup := &inbox.User{Name: "sara", Role: inbox.RoleSupervisor}
	if err := f.store.CreateUser(context.Background(), sup); err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + f.newToken(t, sup)
	t.Run("OKJSON", func(t *testing.T) {
		var rep inbox.Report
		res := f.get(t, "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&group_by=channel", auth, &rep)
		if res.StatusCode != http.StatusOK || rep.From != "2026-11-01" || rep.To != "2026-11-30" || rep.TimeZone != "Europe/Stockholm" ||
			len(rep.Summary) != 1 || rep.Summary[0].Group != inbox.TotalGroup {
			t.Errorf("got %d %+v, want 200 with the total row only", res.StatusCode, rep)
		}
	})
	// Days still to come have no backlog, but the list is there, empty.
	t.Run("OKBacklogToCome", func(t *testing.T) {
		day := time.Now().AddDate(0, 0, 5).Format(time.DateOnly)
		var raw map[string]json.RawMessage
		res := f.get(t, "/api/v1/reports/backlog?from="+day+"&to="+day, auth, &raw)
		if res.StatusCode != http.StatusOK || string(raw["backlog"]) != "[]" {
			t.Errorf("got %d with backlog %q, want 200 and []", res.StatusCode, raw["backlog"])
		}
		if _, ok := raw["summary"]; ok {
			t.Error("a backlog report has a summary")
		}
	})
	t.Run("OK400Days", func(t *testing.T) {
		if res := f.get(t, "/api/v1/reports/summary?from=2025-01-01&to=2026-02-04", auth, nil); res.StatusCode != http.StatusOK {
			t.Errorf("got %d, want 200", res.StatusCode)
		}
	})
	csvs := []struct {
		name, path string
		comma      rune
	}{
		{"OKCSV", "/api/v1/reports/hours.csv?from=2026-11-01&to=2026-11-01", ';'},
		{"OKFormatCSV", "/api/v1/reports/hours?from=2026-11-01&to=2026-11-01&format=csv&sep=semicolon", ';'},
		{"OKCSVComma", "/api/v1/reports/hours.csv?from=2026-11-01&to=2026-11-01&sep=comma", ','},
	}
	for _, tc := range csvs {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, f.srv.URL+tc.path, nil)
			req.Header.Set("Authorization", auth)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if got, want := res.Header.Get("Content-Type"), "text/csv; charset=utf-8"; got != want {
				t.Errorf("Content-Type: got %q, want %q", got, want)
			}
			if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="inkorg-hours-2026-11-01-2026-11-01.csv"`; got != want {
				t.Errorf("Content-Disposition: got %q, want %q", got, want)
			}
			text, ok := strings.CutPrefix(string(body), "\ufeff")
			if !ok {
				t.Errorf("got %q, want a UTF-8 byte-order mark first", body)
			}
			r := csv.NewReader(strings.NewReader(text))
			r.Comma = tc.comma
			records, err := r.ReadAll()
			if err != nil || len(records) != 1 || strings.Join(records[0], ",") != "group,label,weekday,hour,count" {
				t.Errorf("got %v %v, want a CSV header only", records, err)
			}
		})
	}
	errs := []struct{ name, path, want string }{
		{"ErrUnknownReport", "/api/v1/reports/speed?from=2026-11-01&to=2026-11-30", "Unknown report"},
		{"ErrGroupBy", "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&group_by=weather", "Unknown group_by"},
		{"ErrDate", "/api/v1/reports/summary?from=1/11&to=2026-11-30", "from must be a date"},
		{"ErrDateSwedish", "/api/v1/reports/summary?from=1/11&to=2026-11-30", "from ska vara ett datum som ÅÅÅÅ-MM-DD"},
		{"ErrFromMissing", "/api/v1/reports/summary?to=2026-11-30", "from is required"},
		{"ErrToMissing", "/api/v1/reports/backlog?from=2026-11-01", "Ange to, ett datum"},
		{"ErrReversed", "/api/v1/reports/summary?from=2026-11-30&to=2026-11-01", "ends before it starts"},
		{"ErrTooLong", "/api/v1/reports/summary?from=2024-01-01&to=2026-11-30", "at most 400 days"},
		{"ErrOneDayTooLong", "/api/v1/reports/summary?from=2025-01-01&to=2026-02-05", "at most 400 days, both dates included; this range has 401"},
		{"ErrSep", "/api/v1/reports/summary.csv?from=2026-11-01&to=2026-11-30&sep=tab", "sep=comma"},
		{"ErrFormat", "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&format=xlsx", "format must be"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			var body struct {
				Error struct{ Message string } `json:"error"`
			}
			if res := f.get(t, tc.path, auth, &body); res.StatusCode != http.StatusBadRequest || !strings.Contains(body.Error.Message, tc.want) {
				t.Errorf("got %d %q, want 400 saying %q", res.StatusCode, body.Error.Message, tc.want)
			}
		})
	}
}
