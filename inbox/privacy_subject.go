package inbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// SubjectContacts returns the contacts a data-subject request is about:
// the contact with contactID, or every contact with the platform id.
func (p *Privacy) SubjectContacts(ctx context.Context, contactID int64, platformID string) ([]*Contact, error) {
	platformID = strings.TrimSpace(platformID)
	switch {
	case contactID != 0 && platformID != "":
		return nil, Errorf(EINVALID, "Name the contact by its id or by its platform id, not both.")
	case contactID != 0:
		c, err := p.Data.FindContact(ctx, contactID)
		if err != nil {
			return nil, err
		}
		return []*Contact{c}, nil
	case platformID == "":
		return nil, Errorf(EINVALID, "Name the contact: its id or its platform id.")
	}
	cs, err := p.Data.FindContactsByExternalID(ctx, platformID)
	if err == nil && len(cs) == 0 {
		err = Errorf(ENOTFOUND, "No contact has the platform id %q.", platformID)
	}
	return cs, err
}

// SubjectExport passes the whole record of every conversation of the
// contacts, and of those where they wrote, to each, and audits the access.
// actorID is 0 for the command line.
func (p *Privacy) SubjectExport(ctx context.Context, actorID int64, contacts []*Contact, each func(*ConversationRecord) error) error {
	seen := map[int64]bool{}
	for _, c := range contacts {
		ids, err := p.Data.FindSubjectConversations(ctx, c)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			rec, err := p.Records.FindConversationRecord(ctx, id)
			if err != nil {
				return err
			}
			if err := each(rec); err != nil {
				return err
			}
		}
	}
	raw, _ := json.Marshal(map[string]any{"contacts": contactIDs(contacts), "conversations": len(seen)})
	return p.Audit.AddAudit(ctx, &AuditEntry{ActorID: actorID, Action: ActionSubjectExport, Detail: string(raw)})
}

// SubjectRemoval is what RemoveSubject did.
type SubjectRemoval struct {
	ContactID     int64              `json:"contact_id"`
	Action        PersonalDataAction `json:"action"`
	Conversations []int64            `json:"conversations"`
	// RawDeliveries is how many raw webhook deliveries naming the contact
	// were deleted (see MentionsPlatformID).
	RawDeliveries int64 `json:"raw_deliveries"`
	// DeadLetters is how many dead letters of QueueDeliveries naming the
	// contact were deleted; nil (null) when they were not checked because
	// Privacy has no DeadLetters.
	DeadLetters *int64 `json:"dead_letters"`
}

// RemoveSubject erases or pseudonymises the personal data of one contact
// with the reason recorded in the audit trail. It refuses while any
// conversation the contact is part of is still being worked on or is not
// archived in its current state: public records must be kept.
func (p *Privacy) RemoveSubject(ctx context.Context, actorID, contactID int64, action PersonalDataAction, reason string) (*SubjectRemoval, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case !action.Valid():
		return nil, Errorf(EINVALID, "Unknown action %q; use pseudonymise or delete.", action)
	case reason == "":
		return nil, Errorf(EINVALID, "Give the reason for the request (--reason); it is recorded in the audit trail.")
	case len(reason) > MaxNoteLength:
		return nil, Errorf(EINVALID, "The reason is longer than %d bytes.", MaxNoteLength)
	}
	c, err := p.Data.FindContact(ctx, contactID)
	if err != nil {
		return nil, err
	}
	ids, err := p.Data.FindSubjectConversations(ctx, c)
	if err != nil {
		return nil, err
	}
	convs := make([]*Conversation, 0, len(ids))
	var own []int64
	for _, id := range ids {
		rec, err := p.Records.FindConversationRecord(ctx, id)
		if err != nil {
			return nil, err
		}
		convs = append(convs, rec.Conversation)
		if rec.Conversation.ContactID == c.ID {
			own = append(own, id)
		}
	}
	if err := p.mayRemove(ctx, c, convs); err != nil {
		return nil, err
	}
	// The dead letters and the raw deliveries (kept for reparsing) hold
	// what the person wrote and their name as Meta sent them: those naming
	// them go first, so that a removal that fails after them leaves only
	// the copies gone, and can run again while the contact still has its
	// platform id.
	mentions := func(body []byte) bool { return MentionsPlatformID(body, c.ExternalID) }
	dead, err := p.removeDeadLetters(ctx, mentions)
	if err != nil {
		return nil, err
	}
	raw, err := p.Data.DeleteRawDeliveriesMatching(ctx, mentions)
	if err != nil {
		return nil, err
	}
	detail, _ := json.Marshal(map[string]any{"contact_id": c.ID, "action": action, "reason": reason,
		"raw_deliveries": raw, "dead_letters": dead})
	r := &Removal{Action: action, ConversationIDs: own, Contact: c, Scrub: p.Scrub,
		Audit: AuditEntry{ActorID: actorID, Action: ActionSubjectRemoval, Detail: string(detail)}}
	if err := p.Data.RemovePersonalData(ctx, r); err != nil {
		return nil, err
	}
	return &SubjectRemoval{ContactID: c.ID, Action: action, Conversations: ids, RawDeliveries: raw, DeadLetters: dead}, nil
}

// removeDeadLetters drops the dead letters of QueueDeliveries that match
// and returns how many, or nil when p has no DeadLetters to check. Only
// that queue carries webhook bodies; an outbound message holds an action
// id.
func (p *Privacy) removeDeadLetters(ctx context.Context, match func(body []byte) bool) (*int64, error) {
	if p.DeadLetters == nil {
		return nil, nil
	}
	n, err := DropDeadLettersMatching(ctx, p.DeadLetters, QueueDeliveries, match)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// MentionsPlatformID reports whether a webhook body names the platform id
// id as a whole JSON value: a string ("id":"123") or a number ("id":123),
// not part of a longer id.
func MentionsPlatformID(body []byte, id string) bool {
	if id == "" {
		return false
	}
	for rest := body; ; {
		i := bytes.Index(rest, []byte(id))
		if i < 0 {
			return false
		}
		before, after := byte(0), byte(0)
		if i > 0 {
			before = rest[i-1]
		}
		if j := i + len(id); j < len(rest) {
			after = rest[j]
		}
		if (before == '"' && after == '"') || (isJSONValueStart(before) && isJSONValueEnd(after)) {
			return true
		}
		rest = rest[i+1:]
	}
}

func isJSONValueStart(b byte) bool { return b == ':' || b == '[' || b == ',' || b == ' ' }

func isJSONValueEnd(b byte) bool { return b == ',' || b == '}' || b == ']' || b == ' ' }

// mayRemove refuses removal while a conversation is open or not archived.
func (p *Privacy) mayRemove(ctx context.Context, c *Contact, convs []*Conversation) error {
	var open, ids []int64
	for _, conv := range convs {
		ids = append(ids, conv.ID)
		if conv.Status != StatusResolved && conv.Status != StatusSpam {
			open = append(open, conv.ID)
		}
	}
	if len(open) > 0 {
		return Errorf(ECONFLICT, "Kontakt %d har ärenden som inte är avslutade (%s); avsluta dem först. "+
			"Contact %d has conversations that are not closed (%s); close them first.", c.ID, idList(open), c.ID, idList(open))
	}
	missing, err := p.Data.FindNotArchived(ctx, ids)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return Errorf(ECONFLICT, "Kontakt %d har ärenden som ännu inte är arkiverade i sitt nuvarande skick (%s); de är allmänna handlingar "+
			"och måste arkiveras först (inkorg archive export). Contact %d has conversations not yet archived as they are now (%s); "+
			"they are public records and must be archived first (inkorg archive export).", c.ID, idList(missing), c.ID, idList(missing))
	}
	return nil
}

func contactIDs(cs []*Contact) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// CanHandleSubjectRequests reports whether u may export or remove a
// person's data through the API: admins only.
func (u *User) CanHandleSubjectRequests() bool { return u != nil && u.Role == RoleAdmin }

// SubjectAccess is everything kept about the people a request names.
type SubjectAccess struct {
	Contacts      []*Contact            `json:"contacts"`
	Conversations []*ConversationRecord `json:"conversations"`
}

// SubjectAccessFor returns, to an admin, everything about the contact
// with contactID or the platform id, and audits the access.
func (p *Privacy) SubjectAccessFor(ctx context.Context, actor *User, contactID int64, platformID string) (*SubjectAccess, error) {
	if !actor.CanHandleSubjectRequests() {
		return nil, Errorf(EFORBIDDEN, "Only admins handle data-subject requests.")
	}
	contacts, err := p.SubjectContacts(ctx, contactID, platformID)
	if err != nil {
		return nil, err
	}
	out := &SubjectAccess{Contacts: contacts, Conversations: []*ConversationRecord{}}
	err = p.SubjectExport(ctx, actor.ID, contacts, func(rec *ConversationRecord) error {
		out.Conversations = append(out.Conversations, rec)
		return nil
	})
	return out, err
}

// RemoveSubjectAs is RemoveSubject for an admin through the API.
func (p *Privacy) RemoveSubjectAs(ctx context.Context, actor *User, contactID int64, action PersonalDataAction, reason string) (*SubjectRemoval, error) {
	if !actor.CanHandleSubjectRequests() {
		return nil, Errorf(EFORBIDDEN, "Only admins handle data-subject requests.")
	}
	return p.RemoveSubject(ctx, actor.ID, contactID, action, reason)
}
