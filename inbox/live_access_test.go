package inbox_test

import (
	"slices"
	"testing"

	"inkorg/inbox"
)

func TestCanReceive(t *testing.T) {
	agent := &inbox.User{ID: 1, Role: inbox.RoleAgent}
	spec := &inbox.User{ID: 2, Role: inbox.RoleSpecialist, AdministrationID: "kultur", Administrations: []string{"kultur", "social"}}
	for _, tc := range []struct {
		name string
		u    *inbox.User
		ev   inbox.LiveEvent
		want bool
	}{
		{"AgentAny", agent, inbox.LiveEvent{AdministrationID: "miljo"}, true},
		{"AgentUnrouted", agent, inbox.LiveEvent{ConversationID: 5}, true},
		{"SpecialistOwn", spec, inbox.LiveEvent{AdministrationID: "kultur"}, true},
		{"SpecialistSecond", spec, inbox.LiveEvent{AdministrationID: "social"}, true},
		{"SpecialistForeign", spec, inbox.LiveEvent{AdministrationID: "miljo"}, false},
		{"SpecialistUnrouted", spec, inbox.LiveEvent{ConversationID: 5}, false},
		{"NamedOther", agent, inbox.LiveEvent{UserIDs: []int64{9}}, false},
		{"NamedMe", agent, inbox.LiveEvent{UserIDs: []int64{9, 1}}, true},
		{"NamedSpecialistForeign", spec, inbox.LiveEvent{UserIDs: []int64{2}, AdministrationID: "miljo"}, false},
		{"NamedSpecialistNoConversation", spec, inbox.LiveEvent{UserIDs: []int64{2}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.u.CanReceive(tc.ev); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScope(t *testing.T) {
	spec := &inbox.User{ID: 2, Role: inbox.RoleSpecialist, AdministrationID: "kultur", Administrations: []string{"social"}}
	t.Run("OKAll", func(t *testing.T) {
		var f inbox.ConversationFilter
		if err := spec.Scope(&f); err != nil || !slices.Equal(f.AdministrationID, []string{"kultur", "social"}) || f.ViewerID != 2 {
			t.Errorf("got %v, viewer %d, %v; want both administrations and viewer 2", f.AdministrationID, f.ViewerID, err)
		}
	})
	t.Run("OKNarrowed", func(t *testing.T) {
		f := inbox.ConversationFilter{AdministrationID: []string{"social", "miljo"}}
		if err := spec.Scope(&f); err != nil || !slices.Equal(f.AdministrationID, []string{"social"}) {
			t.Errorf("got %v, %v; want only social", f.AdministrationID, err)
		}
	})
	t.Run("ErrForeign", func(t *testing.T) {
		f := inbox.ConversationFilter{AdministrationID: []string{"miljo"}}
		if err := spec.Scope(&f); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("got %v, want EFORBIDDEN", err)
		}
	})
	t.Run("ErrNoAdministration", func(t *testing.T) {
		var f inbox.ConversationFilter
		err := (&inbox.User{ID: 3, Role: inbox.RoleSpecialist}).Scope(&f)
		if inbox.ErrorCode(err) != inbox.EFORBIDDEN || len(f.AdministrationID) != 0 {
			t.Errorf("got %v, %v; want EFORBIDDEN for a specialist without administrations", f.AdministrationID, err)
		}
	})
	t.Run("OKAgentUnchanged", func(t *testing.T) {
		f := inbox.ConversationFilter{AdministrationID: []string{"miljo"}}
		if err := (&inbox.User{ID: 1, Role: inbox.RoleAgent}).Scope(&f); err != nil || !slices.Equal(f.AdministrationID, []string{"miljo"}) {
			t.Errorf("got %v, %v; want miljo", f.AdministrationID, err)
		}
	})
}
