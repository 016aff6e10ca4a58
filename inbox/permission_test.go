package inbox

import "testing"

func TestPermissions(t *testing.T) {
	own := &Conversation{AdministrationID: "idrott-och-forening", Status: StatusRouted}
	foreign := &Conversation{AdministrationID: "kretslopp-och-vatten", Status: StatusRouted}
	specialist := User{Role: RoleSpecialist, AdministrationID: "idrott-och-forening"}
	tests := []struct {
		name                         string
		user                         User
		conv                         *Conversation
		assignOthers, route, forDept bool
	}{
		{"OK/Agent", User{Role: RoleAgent}, own, false, true, false},
		{"OK/AgentForeign", User{Role: RoleAgent}, foreign, false, true, false},
		{"OK/SpecialistOwn", specialist, own, false, false, true},
		{"OK/SpecialistForeign", specialist, foreign, false, false, false},
		{"OK/Supervisor", User{Role: RoleSupervisor}, foreign, true, true, true},
		{"OK/Admin", User{Role: RoleAdmin}, own, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			if got := u.CanAssignOthers(); got != tt.assignOthers {
				t.Errorf("CanAssignOthers: got %v, want %v", got, tt.assignOthers)
			}
			if got := u.CanRoute(tt.conv); got != tt.route {
				t.Errorf("CanRoute: got %v, want %v", got, tt.route)
			}
			if got := u.CanActForDepartment(tt.conv); got != tt.forDept {
				t.Errorf("CanActForDepartment: got %v, want %v", got, tt.forDept)
			}
		})
	}
}

func TestDiffConversation(t *testing.T) {
	base := &Conversation{ID: 7, Version: 3, Status: StatusOpen, Tags: []string{"a"}}
	t.Run("OKUnchanged", func(t *testing.T) {
		if u := diffConversation(base, cloneConversation(base)); u != nil {
			t.Errorf("got %+v, want nil", u)
		}
	})
	t.Run("OKChanged", func(t *testing.T) {
		after := cloneConversation(base)
		after.Status, after.Tags = StatusPending, nil
		u := diffConversation(base, after)
		if u == nil || u.ID != 7 || u.Version != 3 || u.Status == nil || *u.Status != StatusPending ||
			u.Tags == nil || *u.Tags != nil || u.AssigneeID != nil || u.SetSnooze || u.SetResolved {
			t.Errorf("got %+v, want status and tags only, at version 3", u)
		}
	})
}
