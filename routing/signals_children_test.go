package routing

import (
	"testing"

	"inkorg/inbox"
)

// TestChildAtRiskUrgent: a child who is beaten, left alone or said to be
// at risk is a crisis for social services, as a beaten adult is; a
// question about how reporting a concern works, or whether a child may
// be home alone after school, is not.
func TestChildAtRiskUrgent(t *testing.T) {
	urgent := map[string]bool{
		"Min granne slår sina barn, jag hör skrik varje natt":                      true,
		"Grannen slår sitt barn i trapphuset":                                      true,
		"Pappan slår barnet när mamman inte är hemma":                              true,
		"Min exman slår min dotter när hon är hos honom":                           true,
		"Han slår mitt barn, vad ska jag göra?":                                    true,
		"Barnet är ensamt hemma och har inte ätit på två dagar":                    true,
		"Barnen är ensamma hemma igen, mamman har inte kommit hem sedan i fredags": true,
		"Grannen lämnar sina barn ensamma hela nätterna":                           true,
		"Jag tror att grannens barn far illa, vart ringer jag?":                    true,
		"Barnen far illa i familjen på tredje våningen":                            true,
		"My neighbour is hitting his kids every night":                             true,
		"Hur gör jag en orosanmälan?":                                              false,
		"Vad gör socialtjänsten för barn som far illa?":                            false,
		"Får mitt barn vara ensamt hemma efter skolan?":                            false,
		"Från vilken ålder får barn vara ensamma hemma?":                           false,
		"Barnet slår sig ofta på gungorna, är lekplatsen säker?":                   false,
		"Jag far illa av att vänta så länge på svar":                               false,
	}
	checkUrgentWithTag(t, "kris", urgent)
}

// checkUrgentWithTag checks that each text is urgent with tag when it
// maps to true and is not urgent with it when it maps to false.
func checkUrgentWithTag(t *testing.T, tag string, urgent map[string]bool) {
	t.Helper()
	for text, want := range urgent {
		tags, p := TagsAndPriority(text)
		if got := p == inbox.PriorityUrgent && contains(tags, tag); got != want {
			t.Errorf("%q: got %v %s, want urgent with %s %v", text, tags, p, tag, want)
		}
	}
}
