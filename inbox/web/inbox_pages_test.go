package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestInboxPages: a queue longer than a page goes on over pages, each
// linked from the one before and back to the first, so no conversation is
// out of the agents' reach; the bulk form still counts the whole filter.
func TestInboxPages(t *testing.T) {
	s := newSite(t)
	const n = 55
	start := time.Now().Add(-100 * time.Hour)
	for i := range n {
		s.message(t, fmt.Sprintf("psid_page_%02d", i), start.Add(time.Duration(i)*time.Minute))
	}
	anna := s.signedIn(t, "anna")
	idRE := regexp.MustCompile(`<a href="/conversations/(\d+)" class="conv-link">`)
	nextRE := regexp.MustCompile(`<a href="([^"]+)" rel="next">Nästa sida</a>`)
	var seen []string
	path, pages := "/", 0
	for path != "" && pages < 5 {
		pages++
		code, body, _ := get(t, anna, s.url+path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: got %d, want 200", path, code)
		}
		for _, m := range idRE.FindAllStringSubmatch(body, -1) {
			seen = append(seen, m[1])
		}
		if pages > 1 && !strings.Contains(body, `<a href="/?queue=unassigned&amp;sort=oldest_waiting">Första sidan</a>`) {
			t.Errorf("page %d has no link to the first page", pages)
		}
		if want := fmt.Sprintf("Alla som matchar filtret: %d ärenden", n); !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("page %d: the bulk form does not say %q", pages, want)
		}
		path = ""
		if m := nextRE.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if pages != 2 {
		t.Errorf("got %d pages, want 2", pages)
	}
	slices.Sort(seen)
	if len(seen) != n || len(slices.Compact(slices.Clone(seen))) != n {
		t.Errorf("got %d conversations (%d different) over the pages, want each of %d once", len(seen), len(slices.Compact(slices.Clone(seen))), n)
	}
	t.Run("ErrCursor", func(t *testing.T) {
		code, body, _ := get(t, anna, s.url+"/?queue=unassigned&cursor=fel")
		if want := "Sidans början gick inte att läsa; börja om från första sidan."; code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("got %d, want 400 saying %q", code, want)
		}
	})
}
