package sqlstore

import (
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// A conversation's triage is that of its citizen: in a comment thread,
// others (bystanders) reply under the top-level comment, and the
// conversation's contact is that comment's author. The conversation's
// triage (its list facets, and the triage the API shows and the SLA
// reads) is that of
// the latest triaged message by its contact or, when none of theirs is
// triaged, that of its first triaged message. A bystander's message
// triaged urgent after it raises the priority to urgent; no bystander
// lowers it. In a private thread every message is the citizen's.

// publicChannelsSQL lists the channels whose threads have bystanders.
var publicChannelsSQL = "('" + string(inbox.ChannelFacebookComment) + "', '" + string(inbox.ChannelInstagramComment) + "')"

// citizenTriageSQL is true for triage row t of conversation c when its
// message is by the conversation's contact.
func citizenTriageSQL(c, t string) string {
	return citizenMessageSQL(c, t+".message_id")
}

// citizenMessageSQL is true when the message whose id is msgID (an SQL
// expression) is by conversation c's contact.
func citizenMessageSQL(c, msgID string) string {
	return "(" + c + ".channel NOT IN " + publicChannelsSQL + ` OR EXISTS (SELECT 1 FROM messages cm
		JOIN contacts cc ON cc.id = ` + c + `.contact_id
		WHERE cm.id = ` + msgID + ` AND cm.author_external_id = cc.external_id))`
}

// baseTriageSQL is the message id of conversation c's triage: that of its
// contact's latest triaged message, else its first triaged message.
func baseTriageSQL(c string) string {
	return `COALESCE((SELECT bt.message_id FROM message_triage bt WHERE bt.conversation_id = ` + c + `.id
			AND ` + citizenTriageSQL(c, "bt") + ` ORDER BY bt.message_id DESC LIMIT 1),
		(SELECT MIN(ft.message_id) FROM message_triage ft WHERE ft.conversation_id = ` + c + `.id))`
}

// raisedTriageSQL is true when conversation c's triage, that of message
// t, is followed by a message triaged urgent.
func raisedTriageSQL(c, t string) string {
	return `EXISTS (SELECT 1 FROM message_triage ut WHERE ut.conversation_id = ` + c + `.id
		AND ut.message_id > ` + t + `.message_id AND ut.priority = '` + string(inbox.PriorityUrgent) + `')`
}

// triageUpdate is how the triage of one message changes its conversation
// in an UPDATE of conversations: exprs, the new value of each of
// facetColumns, and args, the arguments of each one's placeholders.
type triageUpdate struct {
	exprs []string
	args  [][]any
	// base and raise, with their arguments, are true when the triage
	// becomes the conversation's or raises its priority.
	base, raise         string
	baseArgs, raiseArgs []any
}

// facetColumns are the conversation's triage facets.
var facetColumns = []string{"triage_language", "triage_priority", "triage_needs_human", "triage_sensitive", "triage_tags"}

// newTriageUpdate returns the update of a conversation for triage f of
// message msgID. citizen is an SQL condition, with citizenArgs, true when
// the message is by the conversation's contact. The message's own triage
// row, stored or not yet, does not change the outcome.
func newTriageUpdate(f triageFacets, msgID int64, citizen string, citizenArgs []any) triageUpdate {
	laterCitizen := `EXISTS (SELECT 1 FROM message_triage lt WHERE lt.conversation_id = conversations.id
		AND lt.message_id > ? AND ` + citizenTriageSQL("conversations", "lt") + `)`
	otherCitizen := `EXISTS (SELECT 1 FROM message_triage ot WHERE ot.conversation_id = conversations.id
		AND ot.message_id <> ? AND ` + citizenTriageSQL("conversations", "ot") + `)`
	earlier := `EXISTS (SELECT 1 FROM message_triage et WHERE et.conversation_id = conversations.id AND et.message_id < ?)`
	laterUrgent := `EXISTS (SELECT 1 FROM message_triage rt WHERE rt.conversation_id = conversations.id
		AND rt.message_id > ? AND rt.priority = ?)`
	u := triageUpdate{
		base:  "(((" + citizen + ") AND NOT " + laterCitizen + ") OR (NOT (" + citizen + ") AND NOT " + otherCitizen + " AND NOT " + earlier + "))",
		raise: "(1 = 0)",
	}
	if f.Priority == string(inbox.PriorityUrgent) {
		// Only a bystander's message raises without being the base: a
		// citizen's with no later one of theirs is the base.
		u.raise, u.raiseArgs = "(NOT "+laterCitizen+")", []any{msgID}
	}
	u.baseArgs = append(append(append(append([]any{}, citizenArgs...), msgID), citizenArgs...), msgID, msgID)
	urgent := string(inbox.PriorityUrgent)
	values := []any{f.Language, nil, f.NeedsHuman, f.Sensitive, f.Tags}
	for i, col := range facetColumns {
		if col == "triage_priority" {
			u.exprs = append(u.exprs, "CASE WHEN "+u.base+" THEN (CASE WHEN "+laterUrgent+" THEN ? ELSE ? END) WHEN "+u.raise+" THEN ? ELSE "+col+" END")
			u.args = append(u.args, concat(u.baseArgs, []any{msgID, urgent, urgent, f.Priority}, u.raiseArgs, []any{urgent}))
			continue
		}
		u.exprs = append(u.exprs, "CASE WHEN "+u.base+" THEN ? ELSE "+col+" END")
		u.args = append(u.args, concat(u.baseArgs, []any{values[i]}))
	}
	return u
}

// changed is true when the update changes the conversation's language or
// priority: the SLA watcher measures it again (see SaveTriage).
func (u triageUpdate) changed(f triageFacets) (string, []any) {
	return "(" + u.base + " AND " + triageChangedSQL + " OR " + u.raise + " AND triage_priority <> ?)",
		concat(u.baseArgs, []any{f.Language, f.Priority}, u.raiseArgs, []any{string(inbox.PriorityUrgent)})
}

// applies is true when the update changes the conversation at all.
func (u triageUpdate) applies() (string, []any) {
	return "(" + u.base + " OR " + u.raise + ")", concat(u.baseArgs, u.raiseArgs)
}

// set adds the update to the update set of a conversation.
func (u triageUpdate) set(set map[string]any) {
	for i, col := range facetColumns {
		set[col] = gorm.Expr(u.exprs[i], u.args[i]...)
	}
}

// sql returns the update as an SQL SET list, with its arguments.
func (u triageUpdate) sql() (string, []any) {
	parts := make([]string, len(facetColumns))
	var args []any
	for i, col := range facetColumns {
		parts[i] = col + " = " + u.exprs[i]
		args = append(args, u.args[i]...)
	}
	return strings.Join(parts, ", "), args
}

func concat(lists ...[]any) []any {
	var out []any
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
