package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/httpapi"
)

// TestSandboxCallsForSupervisors: what the sandbox received is every
// reply to every conversation, so only supervisors and admins see it, as
// they see every conversation.
func TestSandboxCallsForSupervisors(t *testing.T) {
	s := newStaff(t)
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: s.store, Sandbox: graph.NewSandbox(time.Now)}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		u    *inbox.User
		want int
	}{{s.agent, http.StatusForbidden}, {s.spec, http.StatusForbidden}, {s.sup, http.StatusOK}, {s.admin, http.StatusOK}} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/sandbox/calls", nil)
		req.Header.Set("Authorization", "Bearer "+s.tokens[tc.u.ID])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s (%s): got %d, want %d", tc.u.Name, tc.u.Role, resp.StatusCode, tc.want)
		}
	}
}
