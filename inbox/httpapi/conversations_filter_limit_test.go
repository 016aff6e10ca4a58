package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox/httpapi"
)

// TestFilterValueLimit checks that a filter with more values than a query
// may bind is refused with 400 naming the parameter, in the list, the
// counts and a bulk filter, instead of failing in the database with 500.
func TestFilterValueLimit(t *testing.T) {
	onBothDialects(t, func(t *testing.T, s *staff) {
		s.conversation(t, "")
		vals := make([]string, 40000)
		for i := range vals {
			vals[i] = "t"
		}
		for _, param := range []string{"tag", "language", "administration", "account"} {
			list := strings.Join(vals, ",")
			if param == "account" {
				list = strings.Repeat("1,", len(vals)) + "1"
			}
			for _, path := range []string{"/api/v1/conversations?", "/api/v1/queues?"} {
				var out httpapi.ErrorResponse
				resp := s.get(t, path+param+"="+list, "Bearer "+s.tokens[s.agent.ID], &out)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, param) {
					t.Errorf("%s%s= with %d values: got %d %+v, want 400 naming %s", path, param, len(vals), resp.StatusCode, out.Error, param)
				}
			}
		}
		var out httpapi.ErrorResponse
		resp := s.post(t, "/api/v1/bulk", s.sup, `{"filter":{"tag":"`+strings.Join(vals[:101], ",")+`"},"action":"resolve"}`, &out)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, "tag") {
			t.Errorf("bulk filter with %d tags: got %d %+v, want 400 naming tag", 101, resp.StatusCode, out.Error)
		}
	})
}

// TestFilterBadText checks that text PostgreSQL cannot compare (a NUL,
// invalid UTF-8) is refused with 400 naming the parameter, on both
// databases.
func TestFilterBadText(t *testing.T) {
	onBothDialects(t, func(t *testing.T, s *staff) {
		s.conversation(t, "")
		for _, param := range []string{"q", "administration", "language", "tag"} {
			for _, bad := range []string{"a%00b", "a%FFb"} {
				var out httpapi.ErrorResponse
				resp := s.get(t, "/api/v1/conversations?"+param+"="+bad, "Bearer "+s.tokens[s.agent.ID], &out)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, param) {
					t.Errorf("%s=%s: got %d %+v, want 400 naming %s", param, bad, resp.StatusCode, out.Error, param)
				}
			}
		}
	})
}
