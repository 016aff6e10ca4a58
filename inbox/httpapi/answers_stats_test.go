package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox/httpapi"
)

// TestAnswerStatsMinScore: min_score is a finite number of 0 or more;
// NaN and the infinities are refused with 400 like a negative one.
func TestAnswerStatsMinScore(t *testing.T) {
	s, _ := newEditorFixture(t)
	for _, tc := range []struct {
		raw  string
		want int
	}{
		{"0", http.StatusOK}, {"0.5", http.StatusOK}, {"12", http.StatusOK},
		{"-1", http.StatusBadRequest}, {"NaN", http.StatusBadRequest}, {"nan", http.StatusBadRequest},
		{"Inf", http.StatusBadRequest}, {"%2BInf", http.StatusBadRequest}, {"-Inf", http.StatusBadRequest},
		{"infinity", http.StatusBadRequest}, {"1e400", http.StatusBadRequest}, {"x", http.StatusBadRequest},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			var out httpapi.ErrorResponse
			st := s.send(t, http.MethodGet, "/api/v1/answers/stats?min_score="+tc.raw, s.sup, "", &out)
			if st != tc.want {
				t.Fatalf("got %d, want %d", st, tc.want)
			}
			if st == http.StatusBadRequest && !strings.Contains(out.Error.Message, "min_score must be a number of 0 or more") {
				t.Errorf("got message %q, want it to say what min_score must be", out.Error.Message)
			}
		})
	}
}
