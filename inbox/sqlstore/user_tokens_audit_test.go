package sqlstore

import (
	"encoding/json"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestEndAccessAuditsTokens: the tokens a deactivation or a new password
// revokes are each audited as revoked, by the admin, as a revocation by
// hand is, so the audit tells what happened to every token it saw made.
func TestEndAccessAuditsTokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		ctx := t.Context()
		admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
		anna := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		for _, u := range []*inbox.User{admin, anna} {
			if err := s.CreateUserAccount(ctx, 0, "", u); err != nil {
				t.Fatal(err)
			}
		}
		for i, name := range []string{"Power BI", "Skript"} {
			_, hash, err := inbox.NewAPITokenSecret()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.CreateAPIToken(ctx, &inbox.APIToken{UserID: anna.ID, Name: name, Hash: hash, ReadOnly: i == 0}); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().UTC()
		off := *anna
		off.DeactivatedAt = &now
		if _, err := s.UpdateUserAccounts(ctx, admin.ID, []inbox.UserAccountChange{{Action: inbox.ActionUserDeactivate, User: &off}}); err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			ActorID *int64
			Detail  string
		}
		if err := db.Gorm().Raw("SELECT actor_id, detail FROM audit_entries WHERE action = ? ORDER BY id", inbox.ActionTokenRevoke).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("token_revoke entries: got %d, want 2", len(rows))
		}
		for i, r := range rows {
			var d struct {
				UserID int64  `json:"user_id"`
				Name   string `json:"name"`
				Via    string `json:"via"`
			}
			if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
				t.Fatal(err)
			}
			if r.ActorID == nil || *r.ActorID != admin.ID || d.UserID != anna.ID || d.Name != []string{"Power BI", "Skript"}[i] || d.Via != inbox.ActionUserDeactivate {
				t.Errorf("entry %d: actor %v, detail %s; want by the admin, anna's token, via %s", i, r.ActorID, r.Detail, inbox.ActionUserDeactivate)
			}
		}
	})
}
