package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"inkorg/inbox"
)

// do sends method path with body (none when empty) as u (anonymous when
// nil) and decodes the answer into v.
func (s *staff) do(t *testing.T, method, path string, u *inbox.User, body string, v any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if u != nil {
		req.Header.Set("Authorization", "Bearer "+s.tokens[u.ID])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	if v != nil && buf.Len() > 0 {
		if err := json.Unmarshal(buf.Bytes(), v); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, buf.String(), err)
		}
	}
	return resp
}

// wantDocumentedAs fails unless openapi.json lists status for method at
// path.
func wantDocumentedAs(t *testing.T, method, path string, status int) {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var op struct {
		Responses map[string]json.RawMessage `json:"responses"`
	}
	opRaw, ok := doc.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("openapi.json has no %s %s", method, path)
	}
	if err := json.Unmarshal(opRaw, &op); err != nil {
		t.Fatal(err)
	}
	if _, ok := op.Responses[strconv.Itoa(status)]; !ok {
		t.Errorf("openapi.json does not document status %d for %s %s", status, method, path)
	}
}

const ruleBody = `{"name":"Vattenläckor","position":1,"match":"words","pattern":"vattenläcka","administration":"kretslopp-vatten","tags":["vatten"],"priority":"urgent"}`

// ruleAudit is how many audit entries the rule has.
func (s *staff) ruleAudit(t *testing.T, id int64) int {
	t.Helper()
	entries, err := s.store.FindRuleAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func (s *staff) newRule(t *testing.T) int64 {
	t.Helper()
	var r inbox.Rule
	if resp := s.do(t, http.MethodPost, "/api/v1/rules", s.admin, ruleBody, &r); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create rule: got status %d", resp.StatusCode)
	}
	return r.ID
}

// TestRuleAccessMatrix calls every rule and alert endpoint as every role:
// admins change rules, supervisors and admins read rules and alerts, and
// only an allowed change is audited.
func TestRuleAccessMatrix(t *testing.T) {
	s := newStaff(t)
	type call struct {
		name, method, path, body string
		ok                       int
		change                   bool
		readers                  bool // supervisors may too
	}
	calls := []call{
		{"list", http.MethodGet, "/rules", "", 200, false, true},
		{"get", http.MethodGet, "/rules/{id}", "", 200, false, true},
		{"create", http.MethodPost, "/rules", ruleBody, 201, true, false},
		{"update", http.MethodPut, "/rules/{id}", strings.Replace(ruleBody, `"position":1`, `"position":2`, 1), 200, true, false},
		{"delete", http.MethodDelete, "/rules/{id}", "", 204, true, false},
		{"alerts", http.MethodGet, "/alerts", "", 200, false, true},
	}
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, s.admin, nil} {
		role := "anonymous"
		if u != nil {
			role = string(u.Role)
		}
		for _, c := range calls {
			want := http.StatusForbidden
			switch {
			case u == nil:
				want = http.StatusUnauthorized
			case u.Role == inbox.RoleAdmin, c.readers && u.Role == inbox.RoleSupervisor:
				want = c.ok
			}
			t.Run(fmt.Sprintf("%s/%s/%d", role, c.name, want), func(t *testing.T) {
				id := s.newRule(t)
				path := strings.Replace(c.path, "{id}", strconv.FormatInt(id, 10), 1)
				before := s.ruleAudit(t, id)
				var body map[string]any
				resp := s.do(t, c.method, "/api/v1"+path, u, c.body, &body)
				if resp.StatusCode != want {
					t.Fatalf("got status %d %v, want %d", resp.StatusCode, body, want)
				}
				wantDocumentedAs(t, c.method, c.path, want)
				if want != c.ok {
					wantRequired(t, "Error", body)
				}
				if after := s.ruleAudit(t, id); c.change && want == c.ok && c.name != "create" && after != before+1 {
					t.Errorf("got %d audit entries, want %d", after, before+1)
				} else if want != c.ok && after != before {
					t.Errorf("got %d audit entries, want %d: a denied call records nothing", after, before)
				}
			})
		}
	}
}

func TestRulesAPI(t *testing.T) {
	s := newStaff(t)
	t.Run("OK", func(t *testing.T) {
		id := s.newRule(t)
		var d map[string]any
		if resp := s.do(t, http.MethodGet, fmt.Sprintf("/api/v1/rules/%d", id), s.sup, "", &d); resp.StatusCode != http.StatusOK {
			t.Fatalf("got status %d", resp.StatusCode)
		}
		wantRequired(t, "Rule", d)
		if d["enabled"] != true || d["pattern"] != "vattenläcka" || len(d["history"].([]any)) != 1 {
			t.Errorf("got %v, want the enabled rule with its creation in history", d)
		}
		var list map[string]any
		s.do(t, http.MethodGet, "/api/v1/rules", s.sup, "", &list)
		wantRequired(t, "RuleList", list)
	})
	for _, tt := range []struct{ name, body string }{
		{"ErrInvalid/NoCondition", `{"name":"x","administration":"kultur"}`},
		{"ErrInvalid/NoOutcome", `{"name":"x","match":"words","pattern":"a"}`},
		{"ErrInvalid/BadRegex", `{"name":"x","match":"regex","pattern":"(a","tags":["t"]}`},
		{"ErrInvalid/UnknownField", `{"name":"x","colour":"red"}`},
		{"ErrInvalid/BadChannel", `{"name":"x","channels":["fax"],"tags":["t"]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var body map[string]any
			resp := s.do(t, http.MethodPost, "/api/v1/rules", s.admin, tt.body, &body)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("got status %d %v, want 400", resp.StatusCode, body)
			}
			wantRequired(t, "Error", body)
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if resp := s.do(t, http.MethodPut, "/api/v1/rules/9999", s.admin, ruleBody, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("got status %d, want 404", resp.StatusCode)
		}
	})
}
