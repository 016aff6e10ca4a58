package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// TestHealthHead: the health checks answer HEAD, as monitors ask, with
// no body.
func TestHealthHead(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Head(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) != 0 {
			t.Errorf("HEAD %s: got %d with %d bytes, want 200 without a body", path, resp.StatusCode, len(body))
		}
	}
}

// TestMethodNotAllowed: a route asked with a method it does not take is
// 405 with the methods it does take, in the API's error shape.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t)
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/healthz", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusMethodNotAllowed || body.Error.Code != "invalid" || resp.Header.Get("Allow") == "" {
		t.Errorf("got %d, %+v, Allow %q; want 405, invalid, the allowed methods", resp.StatusCode, body.Error, resp.Header.Get("Allow"))
	}
}
