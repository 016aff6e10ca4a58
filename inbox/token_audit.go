package inbox

import "encoding/json"

// Audit actions on API tokens.
const (
	ActionTokenCreate = "token_create"
	ActionTokenRevoke = "token_revoke"
)

// TokenAudit returns the audit entry for action on token t by actorID (0
// for the command line, which acts as the system). It names the token and
// its owner, whether it is read-only and, when it has one, its expiry;
// never the token's hash.
func TokenAudit(action string, actorID int64, t *APIToken, via string) *AuditEntry {
	fields := map[string]any{"token_id": t.ID, "user_id": t.UserID, "name": t.Name, "read_only": t.ReadOnly, "via": via}
	if t.ExpiresAt != nil {
		fields["expires_at"] = t.ExpiresAt.UTC()
	}
	detail, _ := json.Marshal(fields)
	return &AuditEntry{ActorID: actorID, Action: action, Detail: string(detail)}
}
