package demo

import (
	"strings"
	"testing"
	"time"
)

// Every post a sample comment refers to has text the sandbox can answer
// with, so the demo's comment threads show their post.
func TestPostsCoverSamples(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	byID := map[string]Post{}
	for _, p := range Posts(now) {
		if p.Text == "" || !strings.HasPrefix(p.Permalink, "https://") || !p.Created.Before(now) {
			t.Errorf("post %s incomplete: %+v", p.ID, p)
		}
		byID[p.ID] = p
	}
	comments := 0
	for _, s := range samples {
		if s.messenger {
			continue
		}
		comments++
		if _, ok := byID[PageID+"_"+s.post]; !ok {
			t.Errorf("sample comment %s is on post %s, which Posts does not describe", s.id, s.post)
		}
	}
	if comments == 0 {
		t.Fatal("no sample comments")
	}
}
