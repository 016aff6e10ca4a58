package inbox

import (
	"strings"
	"testing"
)

// TestValidationErrorsBilingual checks a sample of the validation errors
// staff and API clients meet: each is written "Swedish / English", with
// text on both sides of the one separator.
func TestValidationErrorsBilingual(t *testing.T) {
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
