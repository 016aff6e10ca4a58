package routing

import (
	"slices"
	"testing"
)

// TestTopicsParkingIsNoPark: parking a car ("parkera", "parking") is not
// the topic of parks, whose stem "park" it starts with; the parks
// themselves still are.
func TestTopicsParkingIsNoPark(t *testing.T) {
	idx := newTopicIndex(bundled(t))
	for text, want := range map[string]bool{
		"Får man parkera på gatan på natten?":             false,
		"Hur länge får man parkera vid en busshållplats?": false,
		"Can I get a parking permit?":                     false,
		"Parken vid vår gata är full av skräp":            true,
		"Vem sköter parkerna i Majorna?":                  true,
	} {
		if got := slices.Contains(idx.topics("stadsmiljo", text), "parker"); got != want {
			t.Errorf("%q: got topic parker %v, want %v (%v)", text, got, want, idx.topics("stadsmiljo", text))
		}
	}
}
