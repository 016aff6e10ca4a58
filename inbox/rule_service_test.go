package inbox_test

import (
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestRulesKeepUnknownAdministration: a rule whose administration is no
// longer a routing target can still be saved (disabled, renamed) with
// that administration kept, and moved; setting an unknown administration
// on a rule is still refused.
func TestRulesKeepUnknownAdministration(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"SQLite": sqlstoretest.SQLite, "Postgres": sqlstoretest.Postgres} {
		t.Run(name, func(t *testing.T) {
			store := sqlstore.NewStore(open(t))
			ctx := t.Context()
			admin := &inbox.User{Name: "ada", Role: inbox.RoleAdmin}
			if err := store.CreateUser(ctx, admin); err != nil {
				t.Fatal(err)
			}
			// Written while "fritid" was a routing target.
			old := &inbox.Rule{Name: "Fritid", Enabled: true, Match: inbox.MatchWords, Pattern: "fritid", Administration: "fritid"}
			if err := store.CreateRule(ctx, admin.ID, old); err != nil {
				t.Fatal(err)
			}
			svc := &inbox.Rules{Store: store, KnownAdministration: func(id string) bool { return id == "kultur" }}

			t.Run("OKKept", func(t *testing.T) {
				r := *old
				r.Enabled, r.Name = false, "Fritid (gammal)"
				if _, err := svc.Update(ctx, admin, &r); err != nil {
					t.Fatalf("disabling the rule: %v", err)
				}
				got, err := store.FindRule(ctx, old.ID)
				if err != nil || got.Enabled || got.Administration != "fritid" || got.Name != "Fritid (gammal)" {
					t.Errorf("got %+v (%v), want it disabled and renamed with its administration kept", got, err)
				}
			})
			t.Run("ErrNewUnknown", func(t *testing.T) {
				r := *old
				r.Administration = "idrott"
				if _, err := svc.Update(ctx, admin, &r); inbox.ErrorCode(err) != inbox.EINVALID {
					t.Errorf("another unknown administration: got %v, want EINVALID", err)
				}
				fresh := &inbox.Rule{Name: "Ny", Match: inbox.MatchWords, Pattern: "fritid", Administration: "fritid"}
				if _, err := svc.Create(ctx, admin, fresh); inbox.ErrorCode(err) != inbox.EINVALID {
					t.Errorf("a new rule to an unknown administration: got %v, want EINVALID", err)
				}
			})
			t.Run("ErrNotFound", func(t *testing.T) {
				r := *old
				r.ID = 4711
				if _, err := svc.Update(ctx, admin, &r); inbox.ErrorCode(err) != inbox.ENOTFOUND {
					t.Errorf("an unknown rule: got %v, want ENOTFOUND", err)
				}
			})
		})
	}
}
