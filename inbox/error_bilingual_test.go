package inbox

import (
	"strings"
	"testing"
)

// TestValidationErrorsBilingual checks a sample of the validation and
// permission errors staff and API clients meet: each is written
// "Swedish / English", with text on both sides of the one separator.
func TestValidationErrorsBilingual(t *testing.T) {
	contacts := func(_ []*Contact, err error) error { return err }
	reason := func(_ string, err error) error { return err }
	privacy := &Privacy{}
	tests := []struct {
		name   string
		err    error
		sv, en string
	}{
		{"UserNameMissing", (&User{Role: RoleAgent}).Validate(), "Användarnamn krävs.", "User name is required."},
		{"UserNameSpaces", (&User{Name: " anna", Role: RoleAgent}).Validate(),
			"Användarnamnet får inte börja eller sluta med mellanslag.", "User name must not start or end with spaces."},
		{"UserRole", (&User{Name: "anna", Role: "boss"}).Validate(),
			`Okänd roll "boss"; använd agent, specialist, supervisor eller admin.`, `Unknown role "boss"; use agent, specialist, supervisor or admin.`},
		{"UserSpecialist", (&User{Name: "sara", Role: RoleSpecialist}).Validate(),
			"En specialist måste tillhöra en förvaltning.", "A specialist needs an administration."},
		{"ManageUsers", manageUsers(&User{Name: "anna", Role: RoleAgent}),
			"Bara en administratör kan hantera användare.", "Only an admin can manage users."},
		{"RetentionMonths", RetentionPolicy{Months: 0, Action: Pseudonymise}.Validate(),
			"Lagringstiden måste vara minst en månad, inte 0.", "The retention period must be at least one month, not 0."},
		{"RetentionAction", RetentionPolicy{Months: 6, Action: "anonymise"}.Validate(),
			`Okänd gallringsåtgärd "anonymise"; använd pseudonymise eller delete.`, `Unknown retention action "anonymise"; use pseudonymise or delete.`},
		{"SubjectBoth", contacts(privacy.SubjectContacts(t.Context(), 7, "", "104729385720000")),
			"Ange kontakten med dess id eller dess plattforms-id, inte båda.", "Name the contact by its id or by its platform id, not both."},
		{"SubjectNone", contacts(privacy.SubjectContacts(t.Context(), 0, "", " ")),
			"Ange kontakten: dess id eller dess plattforms-id.", "Name the contact: its id or its platform id."},
		{"SubjectPlatform", contacts(privacy.SubjectContacts(t.Context(), 0, "myspace", "104729385720000")),
			`Okänd plattform "myspace"; använd facebook eller instagram.`, `Unknown platform "myspace"; use facebook or instagram.`},
		{"SubjectReason", reason(removalReason(DeleteData, " ")),
			"Ange skälet till begäran (--reason); det sparas i granskningsloggen.",
			"Give the reason for the request (--reason); it is recorded in the audit trail."},
		{"SubjectRole", CheckSubjectRequests(&User{Name: "sven", Role: RoleSupervisor}),
			"Bara administratörer hanterar begäranden från registrerade.", "Only admins handle data-subject requests."},
		{"RuleName", (&Rule{}).Validate(), "En regel måste ha ett namn.", "A rule needs a name."},
		{"RuleOutcome", (&Rule{Name: "Bygglov", Pattern: "bygglov"}).Validate(),
			"En regel måste ha ett utfall: en förvaltning, taggar eller en prioritet.",
			"A rule needs an outcome: an administration, tags or a priority."},
		{"ModerationReport", CheckModerationReportAccess(&User{Name: "sara", Role: RoleSpecialist, AdministrationID: "kultur"}),
			"Modereringsrapporten omfattar alla förvaltningar; fråga en arbetsledare.",
			"The moderation report spans every administration; ask a supervisor."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := ErrorMessage(tc.err)
			if strings.Count(msg, " / ") != 1 {
				t.Fatalf("got %q, want one Swedish and one English half split by \" / \"", msg)
			}
			sv, en, _ := strings.Cut(msg, " / ")
			if sv != tc.sv || en != tc.en {
				t.Errorf("got %q / %q, want %q / %q", sv, en, tc.sv, tc.en)
			}
		})
	}
}
