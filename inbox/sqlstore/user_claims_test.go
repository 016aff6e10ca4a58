package sqlstore

import (
	"encoding/json"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestUserChangeReleasesClaims checks that a user who may no longer hold
// a conversation (deactivated, or out of the administration it is routed
// to) no longer holds it: it is back in its queue, audited as unassigned
// by the admin, and a colleague may claim it.
func TestUserChangeReleasesClaims(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s := NewStore(openMigrated(t, url))
		ctx := t.Context()
		svc := inbox.NewService(s, nil)
		admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
		anna := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		bo := &inbox.User{Name: "bo", Role: inbox.RoleAgent}
		kim := &inbox.User{Name: "kim", Role: inbox.RoleSpecialist, AdministrationID: "kultur", Administrations: []string{"kultur", "idrott"}}
		for _, u := range []*inbox.User{admin, anna, bo, kim} {
			if err := s.CreateUserAccount(ctx, 0, "", u); err != nil {
				t.Fatal(err)
			}
		}
		conv := func(thread string) int64 {
			return mustApply(t, s, storetest.Event(thread, "m_"+thread, storetest.T0)).ConversationID
		}
		must := func(_ *inbox.Conversation, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		held, resolved, kultur, idrott := conv("psid_1"), conv("psid_2"), conv("psid_3"), conv("psid_4")
		must(svc.Claim(ctx, anna, held, false))
		must(svc.Claim(ctx, anna, resolved, false))
		must(svc.SetStatus(ctx, anna, resolved, inbox.StatusResolved))
		for id, admin := range map[int64]string{kultur: "kultur", idrott: "idrott"} {
			must(svc.Route(ctx, bo, id, admin, "Vem svarar?"))
			must(svc.Accept(ctx, kim, id))
		}

		now := time.Now().UTC()
		off := *anna
		off.DeactivatedAt = &now
		released, err := s.UpdateUserAccounts(ctx, admin.ID, []inbox.UserAccountChange{{Action: inbox.ActionUserDeactivate, User: &off}})
		if err != nil {
			t.Fatal(err)
		}
		if len(released) != 1 || released[0].ID != held || released[0].AssigneeID != 0 {
			t.Errorf("deactivation: got released %v, want conversation %d, unassigned", releasedIDs(released), held)
		}
		narrower := *kim
		narrower.AdministrationID, narrower.Administrations = "kultur", []string{"kultur"}
		released, err = s.UpdateUserAccounts(ctx, admin.ID, []inbox.UserAccountChange{{Action: inbox.ActionUserRole, User: &narrower}})
		if err != nil {
			t.Fatal(err)
		}
		if len(released) != 1 || released[0].ID != idrott || released[0].AssigneeID != 0 || released[0].AdministrationID != "idrott" {
			t.Errorf("narrower role: got released %v, want conversation %d, unassigned in idrott", releasedIDs(released), idrott)
		}

		for _, tc := range []struct {
			name     string
			id       int64
			assignee int64
			status   inbox.Status
		}{
			{"deactivated holder", held, 0, inbox.StatusOpen},
			{"resolved by the deactivated user", resolved, anna.ID, inbox.StatusResolved},
			{"still in the administration", kultur, kim.ID, inbox.StatusRouted},
			{"out of the administration", idrott, 0, inbox.StatusRouted},
		} {
			c, err := s.FindConversationByID(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if c.AssigneeID != tc.assignee || c.Status != tc.status {
				t.Errorf("%s: got assignee %d, status %s; want %d, %s", tc.name, c.AssigneeID, c.Status, tc.assignee, tc.status)
			}
		}
		for _, id := range []int64{held, idrott} {
			entries, err := s.FindAudit(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			last := entries[len(entries)-1]
			var d inbox.AuditDetail
			if err := json.Unmarshal([]byte(last.Detail), &d); err != nil {
				t.Fatal(err)
			}
			if last.Action != inbox.ActionUnassign || last.ActorID != admin.ID || d.Before.AssigneeID == 0 || d.After.AssigneeID != 0 {
				t.Errorf("conversation %d: got last audit %s by %d, %+v; want unassign by %d from the holder to no one",
					id, last.Action, last.ActorID, d, admin.ID)
			}
		}
		must(svc.Claim(ctx, bo, held, false))
	})
}

// releasedIDs are the ids of conversations, for messages.
func releasedIDs(convs []*inbox.Conversation) []int64 {
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	return ids
}

// TestCreateUserRefusesInvisibleName: the store refuses a user name with
// an invisible character on both databases, so "anna\u200b" cannot stand
// beside "anna" looking the same.
func TestCreateUserRefusesInvisibleName(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s := NewStore(openMigrated(t, url))
		ctx := t.Context()
		if err := s.CreateUserAccount(ctx, 0, "", &inbox.User{Name: "anna", Role: inbox.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"anna\u200b", "an\x00na"} {
			err := s.CreateUserAccount(ctx, 0, "", &inbox.User{Name: name, Role: inbox.RoleAgent})
			if inbox.ErrorCode(err) != inbox.EINVALID {
				t.Errorf("%+q: got %v, want EINVALID", name, err)
			}
		}
	})
}
