package inbox

import (
	"reflect"
	"testing"
)

func TestUserCanSee(t *testing.T) {
	routed := &Conversation{AdministrationID: "kretslopp-vatten"}
	unrouted := &Conversation{}
	tests := []struct {
		name string
		user User
		conv *Conversation
		want bool
	}{
		{"OK/AgentSeesAll", User{Role: RoleAgent}, routed, true},
		{"OK/SupervisorSeesUnrouted", User{Role: RoleSupervisor}, unrouted, true},
		{"OK/AdminSeesAll", User{Role: RoleAdmin}, routed, true},
		{"OK/SpecialistOwnAdministration", User{Role: RoleSpecialist, AdministrationID: "kretslopp-vatten"}, routed, true},
		{"ErrSpecialistOtherAdministration", User{Role: RoleSpecialist, AdministrationID: "forskola"}, routed, false},
		{"ErrSpecialistUnrouted", User{Role: RoleSpecialist, AdministrationID: "forskola"}, unrouted, false},
		{"ErrSpecialistWithoutAdministration", User{Role: RoleSpecialist}, unrouted, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.user.CanSee(tc.conv); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUserScope(t *testing.T) {
	f := ConversationFilter{AdministrationID: []string{"forskola", "miljo"}}
	(&User{Role: RoleSpecialist, AdministrationID: "miljo"}).Scope(&f)
	if want := []string{"miljo"}; !reflect.DeepEqual(f.AdministrationID, want) {
		t.Errorf("specialist: got %v, want %v", f.AdministrationID, want)
	}
	f = ConversationFilter{AdministrationID: []string{"forskola"}}
	(&User{Role: RoleAgent}).Scope(&f)
	if want := []string{"forskola"}; !reflect.DeepEqual(f.AdministrationID, want) {
		t.Errorf("agent: got %v, want the filter unchanged %v", f.AdministrationID, want)
	}
}
