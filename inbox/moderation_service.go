package inbox

import (
	"context"
	"sort"
	"strings"
	"time"
)

// ModerationStores is what moderation reads and writes.
type ModerationStores interface {
	ModerationStore
	ConversationStore
	MessageFinder
}

// Moderation serves the moderation queue and decisions. Agents,
// supervisors and admins moderate every comment; specialists only those
// of conversations routed to their administrations. Hiding, deleting and
// restoring go to the platform through the outbound queue, like
// Service.ModerateComment, in the same transaction that records the
// decision with its category and reason.
type Moderation struct {
	Store   ModerationStores
	Service *Service
	// Location is the time zone report periods are days or months in;
	// UTC when nil.
	Location *time.Location
}

// Queue returns flagged comments the actor may moderate.
func (m *Moderation) Queue(ctx context.Context, actor *User, f ModerationFilter) ([]*ModerationFlag, error) {
	if actor == nil {
		return nil, ruleError(EUNAUTHORIZED, "Logga in för att moderera kommentarer.", "Sign in to moderate comments.")
	}
	switch f.State {
	case "", ModerationOpen, ModerationHidden, ModerationKept, ModerationDeleted:
	default:
		return nil, ruleError(EINVALID, "Okänt läge %q; använd open, hidden, kept eller deleted.", "Unknown moderation state %q; use open, hidden, kept or deleted.", f.State)
	}
	if actor.Role == RoleSpecialist {
		cf := ConversationFilter{AdministrationID: f.AdministrationID}
		if err := actor.Scope(&cf); err != nil {
			return nil, err
		}
		f.AdministrationID = cf.AdministrationID
	}
	return m.Store.FindModerationQueue(ctx, f)
}

// commentActions are the platform actions of the decisions that have one.
var commentActions = map[ModerationDecision]CommentAction{
	DecisionHide: CommentHide, DecisionDelete: CommentDelete, DecisionRestore: CommentUnhide,
}

// decisionStates are the queue states decisions leave a comment in.
var decisionStates = map[ModerationDecision]ModerationState{
	DecisionHide: ModerationHidden, DecisionDelete: ModerationDeleted,
	DecisionRestore: ModerationKept, DecisionKeep: ModerationKept,
}

// Decide hides, deletes, restores or keeps a comment, with the category
// and the reason recorded. The decision and its platform action are
// stored in one transaction; a comment the platform already has as
// decided (hidden, deleted or visible, by an agent, the automatic hide or
// Meta Business Suite) gets the decision recorded and no action. The flag
// takes the decision's state at once; should the action fail for good,
// the sender puts the comment back in the open queue (see
// ModerationOutcomeStore).
func (m *Moderation) Decide(ctx context.Context, actor *User, messageID int64, d ModerationDecision, cat ModerationCategory, reason string) (*ModerationEntry, error) {
	if actor == nil {
		return nil, ruleError(EUNAUTHORIZED, "Logga in för att moderera kommentarer.", "Sign in to moderate comments.")
	}
	// Who may decide comes first: one who may not see the comment is told
	// so, not what is wrong with the decision.
	msg, err := m.Store.FindMessageByID(ctx, messageID)
	if err != nil {
		return nil, err
	}
	c, err := m.Service.visible(ctx, actor, msg.ConversationID)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	state, ok := decisionStates[d]
	switch {
	case !ok:
		return nil, ruleError(EINVALID, "Okänt beslut %q; använd hide, delete, restore eller keep.", "Unknown decision %q; use hide, delete, restore or keep.", d)
	case !cat.Valid():
		return nil, ruleError(EINVALID, "Okänd kategori %q; använd threat, hate, personal_data, spam, advertising, harassment eller other.", "Unknown category %q; use threat, hate, personal_data, spam, advertising, harassment or other.", cat)
	case reason == "":
		return nil, ruleError(EINVALID, "Skriv en motivering; den sparas med beslutet.", "Give a reason; it is recorded with the decision.")
	case len(reason) > MaxNoteLength:
		return nil, ruleError(EINVALID, "Motiveringen är längre än %d byte.", "The reason is longer than %d bytes.", MaxNoteLength)
	}
	if !c.Channel.Public() {
		// Keep and a restore with nothing to undo call the platform for
		// nothing, so the check of the call would not refuse them: a
		// private message is never moderated, nor counted as such.
		return nil, ruleError(EINVALID, "Bara kommentarer modereras, inte privata meddelanden.",
			"Only comments are moderated, not private messages.")
	}
	var q *QueuedOutbound
	if action, ok := commentActions[d]; ok && !platformHas(msg, action) {
		if q, err = m.Service.moderationAction(ctx, actor, c, msg, action, reason); err != nil {
			return nil, err
		}
	}
	e := &ModerationEntry{MessageID: messageID, ConversationID: msg.ConversationID, Decision: d,
		Category: cat, Reason: reason, ActorID: actor.ID}
	if err := m.Store.RecordModeration(ctx, e, state, q); err != nil {
		return nil, err
	}
	if q != nil {
		m.Service.dispatch(ctx, q.Action, c.AdministrationID)
	}
	return e, nil
}

// platformHas reports whether comment m already is as action would leave
// it, so a decision needs no platform call.
func platformHas(m *Message, action CommentAction) bool {
	switch action {
	case CommentHide:
		return m.Hidden && !m.Deleted()
	case CommentUnhide:
		return !m.Hidden && !m.Deleted()
	case CommentDelete:
		return m.Deleted()
	}
	return false
}

// moderationAction checks action on comment m of conversation c and
// returns what the store queues for it (ModerateComment and decisions).
func (s *Service) moderationAction(ctx context.Context, actor *User, c *Conversation, m *Message, action CommentAction, reason string) (*QueuedOutbound, error) {
	if err := s.free(ctx, actor, c); err != nil {
		return nil, err
	}
	account, err := s.accountOf(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := checkModeration(c, m, action, account); err != nil {
		return nil, err
	}
	a := &OutboundAction{
		Key: newIdempotencyKey(), Kind: moderationKinds[action], State: OutboundQueued,
		ConversationID: c.ID, TargetMessageID: m.ID, TargetExternalID: m.ExternalID,
		AccountID: account.ID, AccountExternalID: account.ExternalID, Platform: c.Platform,
		Reason: reason, ActorID: actor.ID, NextAttemptAt: sweepAfter(s.now().UTC()),
	}
	w, err := outboundWork(actor, moderationAudit[action], c, c, false, a)
	if err != nil {
		return nil, err
	}
	return &QueuedOutbound{Action: a, Work: w}, nil
}

// Report periods.
const (
	ReportByDay   = "day"
	ReportByMonth = "month"
)

// CheckModerationReportAccess returns the error that refuses actor the
// moderation report, or nil when actor may read it. The API checks it
// before it reads the period asked for, so a specialist is told the
// report is not for them, not what is wrong with the dates.
func CheckModerationReportAccess(actor *User) error {
	switch {
	case actor == nil:
		return ruleError(EUNAUTHORIZED, "Logga in för att se modereringsrapporten.", "Sign in to see the moderation report.")
	case actor.Role == RoleSpecialist:
		return ruleError(EFORBIDDEN, "Modereringsrapporten omfattar alla förvaltningar; fråga en arbetsledare.",
			"The moderation report spans every administration; ask a supervisor.")
	}
	return nil
}

// Report counts the moderation decisions of [from, to) per day or month,
// decision and category. Specialists do not see it: it spans every
// administration.
func (m *Moderation) Report(ctx context.Context, actor *User, from, to time.Time, by string) ([]ModerationReportRow, error) {
	if err := CheckModerationReportAccess(actor); err != nil {
		return nil, err
	}
	switch {
	case by != ReportByDay && by != ReportByMonth:
		return nil, ruleError(EINVALID, "Okänd period %q; använd day eller month.", "Unknown period %q; use day or month.", by)
	case !from.Before(to):
		return nil, ruleError(EINVALID, "Perioden är tom: from måste vara före to.", "The period is empty: from must be before to.")
	}
	entries, err := m.Store.FindModerationEntries(ctx, from, to)
	if err != nil {
		return nil, err
	}
	loc := m.Location
	if loc == nil {
		loc = time.UTC
	}
	counts := map[ModerationReportRow]int{}
	for _, e := range entries {
		layout := "2006-01-02"
		if by == ReportByMonth {
			layout = "2006-01"
		}
		counts[ModerationReportRow{Period: e.CreatedAt.In(loc).Format(layout), Decision: e.Decision, Category: e.Category}]++
	}
	rows := make([]ModerationReportRow, 0, len(counts))
	for k, n := range counts {
		k.Count = n
		rows = append(rows, k)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		if a.Decision != b.Decision {
			return a.Decision < b.Decision
		}
		return a.Category < b.Category
	})
	return rows, nil
}
