package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"inkorg/inbox"
)

// loadDocument loads openapi.json and checks it is a valid OpenAPI 3
// document.
func loadDocument(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("openapi.json")
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	return doc
}

// checkResponse sends req and validates the real response against the
// operation at method and path of the document, returning the status.
func checkResponse(t *testing.T, doc *openapi3.T, path string, req *http.Request, params map[string]string) int {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil {
		t.Fatalf("openapi.json has no path %s", path)
	}
	op := item.GetOperation(req.Method)
	if op == nil {
		t.Fatalf("openapi.json has no %s %s", req.Method, path)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params,
			Route: &routers.Route{Spec: doc, Path: path, PathItem: item, Method: req.Method, Operation: op},
		},
		Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: the %d response does not match openapi.json: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp.StatusCode
}

// TestOpenAPIResponses validates real responses of the main endpoints,
// successes and errors, against the OpenAPI document.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadDocument(t)
	s := newStaff(t)
	own := s.conversation(t, "idrott-och-forening")
	foreign := s.conversation(t, "kretslopp-och-vatten")
	if _, err := inbox.NewService(s.store, nil).AddNote(context.Background(), s.agent, own, "Ring @sara"); err != nil {
		t.Fatal(err)
	}
	request := func(method, target string, u *inbox.User, body string) *http.Request {
		req, err := http.NewRequest(method, s.srv.URL+"/api/v1"+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if u != nil {
			req.Header.Set("Authorization", "Bearer "+s.tokens[u.ID])
		}
		return req
	}
	id := func(n int64) map[string]string { return map[string]string{"id": fmt.Sprint(n)} }
	for _, tc := range []struct {
		name, method, path, target, body string
		params                           map[string]string
		user                             *inbox.User
		want                             int
	}{
		{"list", "GET", "/conversations", "/conversations?sort=oldest_waiting&assignee=none,me&limit=5", "", nil, s.agent, 200},
		{"listSpecialist", "GET", "/conversations", "/conversations?administration=idrott-och-forening&q=tv%C3%A4ttid", "", nil, s.spec, 200},
		{"listForeign", "GET", "/conversations", "/conversations?administration=kretslopp-och-vatten", "", nil, s.spec, 403},
		{"listBad", "GET", "/conversations", "/conversations?sort=random", "", nil, s.agent, 400},
		{"listAnonymous", "GET", "/conversations", "/conversations", "", nil, nil, 401},
		{"queues", "GET", "/queues", "/queues", "", nil, s.spec, 200},
		{"detail", "GET", "/conversations/{id}", fmt.Sprintf("/conversations/%d", own), "", id(own), s.agent, 200},
		{"detailForeign", "GET", "/conversations/{id}", fmt.Sprintf("/conversations/%d", foreign), "", id(foreign), s.spec, 403},
		{"detailMissing", "GET", "/conversations/{id}", "/conversations/987654", "", id(987654), s.agent, 404},
		{"claim", "POST", "/conversations/{id}/claim", fmt.Sprintf("/conversations/%d/claim", own), `{}`, id(own), s.agent, 200},
		{"claimHeld", "POST", "/conversations/{id}/claim", fmt.Sprintf("/conversations/%d/claim", own), `{}`, id(own), s.agent2, 409},
		{"presence", "POST", "/conversations/{id}/presence", fmt.Sprintf("/conversations/%d/presence", own), `{"state":"viewing"}`, id(own), s.spec, 200},
		{"presenceBad", "POST", "/conversations/{id}/presence", fmt.Sprintf("/conversations/%d/presence", own), `{"state":"sleeping"}`, id(own), s.spec, 400},
		{"bulk", "POST", "/bulk", "/bulk", fmt.Sprintf(`{"ids":[%d,%d],"action":"tag","tags":["kris"]}`, own, foreign), nil, s.spec, 200},
		{"tokens", "GET", "/tokens", "/tokens", "", nil, s.agent, 200},
		{"tokensOther", "GET", "/tokens", fmt.Sprintf("/tokens?user_id=%d", s.agent.ID), "", nil, s.agent2, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkResponse(t, doc, tc.path, request(tc.method, tc.target, tc.user, tc.body), tc.params); got != tc.want {
				t.Errorf("got status %d, want %d", got, tc.want)
			}
		})
	}
}
