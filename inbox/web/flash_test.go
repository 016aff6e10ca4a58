package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestFlashFitsCookie: a message too long for the 4 KB a browser keeps of
// a cookie is cut (at a whole letter, marked with …) rather than lost
// with the cookie; a short one comes back whole.
func TestFlashFitsCookie(t *testing.T) {
	e := echo.New()
	for _, tc := range []struct {
		name, text string
		whole      bool
	}{
		{"OKShort", "Det gick inte: Ange minst en tagg.", true},
		{"OKLongCut", "Det gick inte: " + strings.Repeat("å", 5000), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			setFlashText(e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), rec), "error", tc.text)
			header := rec.Header().Get("Set-Cookie")
			if len(header) >= 4096 {
				t.Fatalf("the flash cookie is %d bytes, want under 4096", len(header))
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Cookie", strings.SplitN(header, ";", 2)[0])
			f := takeFlash(e.NewContext(req, httptest.NewRecorder()))
			switch {
			case f == nil:
				t.Fatal("no flash read back")
			case tc.whole && f.Text != tc.text:
				t.Errorf("got %q, want %q", f.Text, tc.text)
			case !tc.whole && (!strings.HasPrefix(tc.text, strings.TrimSuffix(f.Text, "…")) || !strings.HasSuffix(f.Text, "å…")):
				t.Errorf("got %.80q…, want the start of the text cut at a whole letter and marked", f.Text)
			}
		})
	}
}
