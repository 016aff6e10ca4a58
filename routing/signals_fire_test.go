package routing

import (
	"testing"

	"inkorg/inbox"
)

// TestFireQuestionsNotUrgent: a question about a fire ban, fire safety or
// a smoke alarm holds a fire word but is no emergency; on a day with a fire
// ban thousands of them would fill the urgent queue. A fire word outside
// those phrases still is one.
func TestFireQuestionsNotUrgent(t *testing.T) {
	checkUrgent(t, []urgentCase{
		{"Is there a fire ban in Göteborg right now?", false},
		{"Are fire bans announced on goteborg.se?", false},
		{"Where can our association get fire safety training?", false},
		{"Brandskydd i flerbostadshus, vem ansvarar?", false},
		{"Var köper jag brandvarnare i Göteborg?", false},
		{"إنذار الحريق في العمارة يرن كل ليلة، من يصلحه؟", false},
		{"Det är brand i trapphuset!", true},
		{"Branden i Angered, vart ska vi ta vägen?", true},
		{"There is a fire in our building", true},
		{"Fire ban or not, someone lit a fire in the forest and it is spreading!", true},
		{"حريق في المبنى!", true},
	})
}

// urgentCase is a message and whether triage must find it urgent.
type urgentCase struct {
	text   string
	urgent bool
}

// checkUrgent checks the priority TagsAndPriority gives each case.
func checkUrgent(t *testing.T, cases []urgentCase) {
	t.Helper()
	for _, tc := range cases {
		_, p := TagsAndPriority(tc.text)
		if got := p == inbox.PriorityUrgent; got != tc.urgent {
			t.Errorf("%q: urgent %v, want %v", tc.text, got, tc.urgent)
		}
	}
}

// TestShelterQuestionsNotUrgent: where to find a bomb shelter is a
// question a crisis brings by the thousand, not a threat; a bomb outside
// those words still is one.
func TestShelterQuestionsNotUrgent(t *testing.T) {
	checkUrgent(t, []urgentCase{
		{"Where is the nearest bomb shelter in Majorna?", false},
		{"Are the bomb shelters open to everyone?", false},
		{"Missä on lähin pommisuoja?", false},
		{"There is a bomb in the library, I put it there", true},
		{"Kirjastossa on pommi", true},
	})
}
