package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestErrorLanguage: the API's own errors for bad input are written
// "Swedish / English", Swedish first, as the service's are, with
// parameter and field names the same in both halves.
func TestErrorLanguage(t *testing.T) {
	s := newStaff(t)
	for _, tc := range []struct {
		name, method, path string
		user               *inbox.User // nil: no token
		body               string
		status             int
		sv, en             string
	}{
		{"ErrNoToken", http.MethodGet, "/api/v1/conversations", nil, "", http.StatusUnauthorized,
			"Skicka en API-token som Authorization: Bearer <token>.",
			"Send an API token as Authorization: Bearer <token>."},
		{"ErrBadLimit", http.MethodGet, "/api/v1/conversations?limit=0", s.agent, "", http.StatusBadRequest,
			"limit ska vara ett tal från 1 till 200.",
			"limit must be a number from 1 to 200."},
		{"ErrBadAssignee", http.MethodGet, "/api/v1/conversations?assignee=anna", s.agent, "", http.StatusBadRequest,
			`assignee ska vara användar-id, "none" eller "me", inte "anna".`,
			`assignee must be user ids, "none" or "me"; got "anna".`},
		{"ErrBadBool", http.MethodGet, "/api/v1/conversations?sensitive=kanske", s.agent, "", http.StatusBadRequest,
			`sensitive ska vara true eller false, inte "kanske".`,
			`sensitive must be true or false; got "kanske".`},
		{"ErrUnknownPlatform", http.MethodDelete, "/api/v1/accounts/myspace/123", s.admin, "", http.StatusBadRequest,
			`Okänd plattform "myspace"; använd facebook eller instagram.`,
			`Unknown platform "myspace"; use facebook or instagram.`},
		{"ErrAccountsNotAdmin", http.MethodPost, "/api/v1/accounts", s.agent, `{}`, http.StatusForbidden,
			"Bara en administratör kan lägga till konton.",
			"Only an admin can add accounts."},
		{"ErrBulkFilterStrayKey", http.MethodPost, "/api/v1/bulk", s.sup, `{"action":"resolve","filter":{"stauts":"open"}}`, http.StatusBadRequest,
			`Massfiltret har ingen nyckel "stauts"; använd listans parametrar (status, tag, assignee, …).`,
			`The bulk filter has no key "stauts"; use the list's parameters (status, tag, assignee, …).`},
		{"ErrBulkBody", http.MethodPost, "/api/v1/bulk", s.sup, `{"action":"resolve","idz":[1]}`, http.StatusBadRequest,
			`Anropets innehåll ska vara ett JSON-objekt med "action" och "ids" eller "filter": det har inget fält "idz".`,
			`Body must be a JSON object with "action" and "ids" or "filter": it has no field "idz".`},
		{"ErrBadAlertLimit", http.MethodGet, "/api/v1/alerts?limit=x", s.sup, "", http.StatusBadRequest,
			"limit ska vara ett positivt heltal.",
			"The limit must be a positive integer."},
		{"ErrPathID", http.MethodGet, "/api/v1/conversations/08", s.agent, "", http.StatusBadRequest,
			"Ärendets id ska vara ett positivt heltal skrivet med bara siffror, till exempel 42.",
			"Conversation id must be a positive integer written with digits only, such as 42."},
		{"ErrUnknownRoute", http.MethodGet, "/api/v1/nothing-here", s.agent, "", http.StatusNotFound,
			"Adressen finns inte.", "Not Found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out httpapi.ErrorResponse
			resp := s.do(t, tc.method, tc.path, tc.user, tc.body, &out)
			if resp.StatusCode != tc.status {
				t.Fatalf("got %d %+v, want %d", resp.StatusCode, out.Error, tc.status)
			}
			sv, en, ok := strings.Cut(out.Error.Message, " / ")
			if !ok || sv == "" || en == "" {
				t.Fatalf("message %q is not \"Swedish / English\"", out.Error.Message)
			}
			if sv != tc.sv {
				t.Errorf("Swedish half %q, want %q", sv, tc.sv)
			}
			if en != tc.en {
				t.Errorf("English half %q, want %q", en, tc.en)
			}
		})
	}
}
