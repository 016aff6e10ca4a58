package inbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// SubjectContacts returns the contacts a data-subject request is about:
// the contact with contactID, or the people with the platform id on
// platform, which may be empty when only one platform has anyone with the
// id (see contactsByPlatformID).
func (p *Privacy) SubjectContacts(ctx context.Context, contactID int64, platform Platform, platformID string) ([]*Contact, error) {
	platformID = strings.TrimSpace(platformID)
	switch {
	case platform != "" && !platform.Valid():
		return nil, unknownPlatform(platform)
	case contactID != 0 && platformID != "":
		return nil, ruleError(EINVALID, "Ange kontakten med dess id eller dess plattforms-id, inte båda.",
			"Name the contact by its id or by its platform id, not both.")
	case contactID != 0 && platform != "":
		return nil, ruleError(EINVALID, "Ange plattform bara tillsammans med ett plattforms-id: ett kontakt-id pekar redan ut en person på en plattform.",
			"Name the platform only with a platform id: a contact id names one person on one platform already.")
	case contactID != 0:
		c, err := p.Data.FindContact(ctx, contactID)
		if err != nil {
			return nil, err
		}
		return []*Contact{c}, nil
	case platformID == "":
		return nil, ruleError(EINVALID, "Ange kontakten: dess id eller dess plattforms-id.", "Name the contact: its id or its platform id.")
	}
	cs, _, err := p.contactsByPlatformID(ctx, platform, platformID)
	if err == nil && len(cs) == 0 {
		onSV, onEN := "", ""
		if platform != "" {
			onSV, onEN = " på "+string(platform), " on "+string(platform)
		}
		err = Errorf(ENOTFOUND, "Ingen kontakt%s har plattforms-id %q. / No contact%s has the platform id %q.", onSV, platformID, onEN, platformID)
	}
	return cs, err
}

// contactsByPlatformID returns the people with the platform id on
// platform, and that platform. A page-scoped (Facebook) and an
// Instagram-scoped id are different people even when they are the same
// digits, so with platform empty it returns those of the one platform
// that has anyone with the id (and that platform; empty when none has),
// and refuses (EINVALID, naming both) an id that both have.
func (p *Privacy) contactsByPlatformID(ctx context.Context, platform Platform, platformID string) ([]*Contact, Platform, error) {
	if platform != "" && !platform.Valid() {
		return nil, "", unknownPlatform(platform)
	}
	all, err := p.Data.FindContactsByExternalID(ctx, platformID)
	if err != nil {
		return nil, "", err
	}
	var out []*Contact
	var found []string
	for _, c := range all {
		if platform == "" || c.Platform == platform {
			out = append(out, c)
		}
		if !slices.Contains(found, string(c.Platform)) {
			found = append(found, string(c.Platform))
		}
	}
	switch {
	case platform != "":
		return out, platform, nil
	case len(found) > 1:
		slices.Sort(found)
		return nil, "", Errorf(EINVALID, "Plattforms-id %s pekar ut olika personer på %s: ett id för en Facebooksida och ett id för Instagram "+
			"är inte samma person även om siffrorna är desamma. Ange vems uppgifterna är med --platform facebook eller --platform instagram "+
			"(platform i API:et). / The platform id %s names different people on %s: a page-scoped and an Instagram-scoped id "+
			"are not the same person even with the same digits. Say whose data it is with --platform facebook or --platform instagram "+
			"(platform in the API).", platformID, strings.Join(found, " och "), platformID, strings.Join(found, " and "))
	case len(found) == 1:
		return out, Platform(found[0]), nil
	}
	return out, "", nil
}

func unknownPlatform(p Platform) error {
	return ruleError(EINVALID, "Okänd plattform %q; använd facebook eller instagram.", "Unknown platform %q; use facebook or instagram.", p)
}

// SubjectExport passes the record of every conversation of the contacts,
// and of those where they wrote, to each, and audits the access. Each
// record holds what is about them only: other citizens' messages and ids
// are left out, and so are the notes and actions on a conversation that
// is someone else's (see subjectView). actorID is 0 for the command line.
func (p *Privacy) SubjectExport(ctx context.Context, actorID int64, contacts []*Contact, each func(*ConversationRecord) error) error {
	view := newSubjectView(contacts)
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
			if err := each(view.record(rec)); err != nil {
				return err
			}
		}
	}
	raw, _ := json.Marshal(map[string]any{"contacts": contactIDs(contacts), "conversations": len(seen)})
	return p.Audit.AddAudit(ctx, &AuditEntry{ActorID: actorID, Action: ActionSubjectExport, Detail: string(raw)})
}

// SubjectRemoval is what RemoveSubject did.
type SubjectRemoval struct {
	// ContactID is the contact removed; 0 for someone named by platform
	// id who only wrote in others' threads, or whose contact was
	// pseudonymised already.
	ContactID int64 `json:"contact_id"`
	// Platform is the platform of the person removed; empty when they
	// were named by a platform id alone and nothing in the inbox names
	// them, so the kept webhook bodies of both platforms were checked.
	Platform      Platform           `json:"platform,omitempty"`
	Action        PersonalDataAction `json:"action"`
	Conversations []int64            `json:"conversations"`
	// RawDeliveries is how many raw webhook deliveries naming the person
	// (see MentionsPlatformID) were deleted: those holding only their
	// events. RawDeliveriesRewritten is how many that hold other
	// people's events too were rewritten without the person's.
	RawDeliveries          int64 `json:"raw_deliveries"`
	RawDeliveriesRewritten int64 `json:"raw_deliveries_rewritten"`
	// DeadLetters and DeadLettersRewritten are the same for the dead
	// letters of QueueDeliveries; nil (null) when they were not checked
	// because Privacy has no DeadLetters.
	DeadLetters          *int64 `json:"dead_letters"`
	DeadLettersRewritten *int64 `json:"dead_letters_rewritten"`
}

// RemoveSubject erases or pseudonymises the personal data of one contact
// with the reason recorded in the audit trail. It refuses while any
// conversation the contact is part of is still being worked on or is not
// archived in its current state: public records must be kept.
func (p *Privacy) RemoveSubject(ctx context.Context, actorID, contactID int64, action PersonalDataAction, reason string) (*SubjectRemoval, error) {
	reason, err := removalReason(action, reason)
	if err != nil {
		return nil, err
	}
	c, err := p.Data.FindContact(ctx, contactID)
	if err != nil {
		return nil, err
	}
	who := subjectName{sv: fmt.Sprintf("Kontakt %d", c.ID), en: fmt.Sprintf("Contact %d", c.ID)}
	return p.removeSubject(ctx, actorID, who, []*Contact{c}, c.Platform, c.ExternalID, action, reason)
}

// RemoveSubjectByPlatformID is RemoveSubject for the person with the
// platform id on platform: their contact, and, without a contact of their
// own, what they wrote in others' threads. platform may be empty when
// only one platform has anyone with the id; an id that both have is
// refused (EINVALID), since those are different people. The raw
// deliveries and dead letters naming the id are handled even when the
// inbox keeps nothing else about them (retention pseudonymised it), those
// of the other platform left alone; when nothing at all names the id it
// returns ENOTFOUND.
func (p *Privacy) RemoveSubjectByPlatformID(ctx context.Context, actorID int64, platform Platform, platformID string,
	action PersonalDataAction, reason string) (*SubjectRemoval, error) {
	reason, err := removalReason(action, reason)
	if err != nil {
		return nil, err
	}
	platformID = strings.TrimSpace(platformID)
	if platformID == "" {
		return nil, ruleError(EINVALID, "Ange personen: dess plattforms-id.", "Name the person: their platform id.")
	}
	contacts, platform, err := p.contactsByPlatformID(ctx, platform, platformID)
	if err != nil {
		return nil, err
	}
	who := subjectName{sv: "Personen med detta plattforms-id", en: "The person with this platform id"}
	return p.removeSubject(ctx, actorID, who, contacts, platform, platformID, action, reason)
}

// removalReason checks a removal's action and reason and returns the
// reason trimmed.
func removalReason(action PersonalDataAction, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case !action.Valid():
		return "", ruleError(EINVALID, "Okänd åtgärd %q; använd pseudonymise eller delete.", "Unknown action %q; use pseudonymise or delete.", action)
	case reason == "":
		return "", ruleError(EINVALID, "Ange skälet till begäran (--reason); det sparas i granskningsloggen.",
			"Give the reason for the request (--reason); it is recorded in the audit trail.")
	case len(reason) > MaxNoteLength:
		return "", ruleError(EINVALID, "Skälet är längre än %d byte.", "The reason is longer than %d bytes.", MaxNoteLength)
	}
	return reason, nil
}

// subjectName names the person a removal is about in its refusals, in
// Swedish and English.
type subjectName struct{ sv, en string }

// removeSubject removes the personal data of contacts, who all have the
// platform id platformID on platform, once every conversation they are
// part of may lose it. Without contacts it removes the person from the
// kept webhook bodies, and returns ENOTFOUND when none names them. Only
// the bodies of platform are changed; with platform empty (not known),
// those of both.
func (p *Privacy) removeSubject(ctx context.Context, actorID int64, who subjectName, contacts []*Contact, platform Platform, platformID string,
	action PersonalDataAction, reason string) (*SubjectRemoval, error) {
	var ids []int64
	var convs []*Conversation
	own := map[*Contact][]int64{}
	seen := map[int64]bool{}
	for _, c := range contacts {
		cids, err := p.Data.FindSubjectConversations(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, id := range cids {
			rec, err := p.Records.FindConversationRecord(ctx, id)
			if err != nil {
				return nil, err
			}
			if c.ID != 0 && rec.Conversation.ContactID == c.ID {
				own[c] = append(own[c], id)
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
				convs = append(convs, rec.Conversation)
			}
		}
	}
	slices.Sort(ids)
	if err := p.mayRemove(ctx, who, convs); err != nil {
		return nil, err
	}
	// The dead letters and the raw deliveries (kept for reparsing) hold
	// what the person wrote and their name as Meta sent them: they go
	// first, so that a removal that fails after them leaves only the
	// copies changed, and can run again while the contact still has its
	// platform id.
	dead, err := p.redactDeadLetters(ctx, platform, platformID)
	if err != nil {
		return nil, err
	}
	raw, err := p.redactRawDeliveries(ctx, platform, platformID)
	if err != nil {
		return nil, err
	}
	out := &SubjectRemoval{Action: action, Platform: platform, Conversations: ids,
		RawDeliveries: raw.Deleted, RawDeliveriesRewritten: raw.Rewritten}
	if dead != nil {
		out.DeadLetters, out.DeadLettersRewritten = &dead.Deleted, &dead.Rewritten
	}
	for _, c := range slices.Backward(contacts) {
		if c.ID != 0 {
			out.ContactID = c.ID
		}
	}
	if len(contacts) == 0 && raw == (bodyRemoval{}) && (dead == nil || *dead == (bodyRemoval{})) {
		return nil, ruleError(ENOTFOUND, "Det finns inget sparat om det här plattforms-id:t.", "Nothing kept names this platform id.")
	}
	audit := func(c *Contact) AuditEntry {
		detail, _ := json.Marshal(map[string]any{"contact_id": c.ID, "platform": platform, "action": action, "reason": reason,
			"raw_deliveries": out.RawDeliveries, "raw_deliveries_rewritten": out.RawDeliveriesRewritten,
			"dead_letters": out.DeadLetters, "dead_letters_rewritten": out.DeadLettersRewritten})
		return AuditEntry{ActorID: actorID, Action: ActionSubjectRemoval, Detail: string(detail)}
	}
	for _, c := range contacts {
		r := &Removal{Action: action, ConversationIDs: own[c], Contact: c, Scrub: p.Scrub, Audit: audit(c)}
		if err := p.Data.RemovePersonalData(ctx, r); err != nil {
			return nil, err
		}
	}
	if len(contacts) == 0 {
		// Only the kept bodies named them: the removal is audited all
		// the same.
		e := audit(&Contact{})
		if err := p.Audit.AddAudit(ctx, &e); err != nil {
			return nil, err
		}
	}
	return out, nil
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
func (p *Privacy) mayRemove(ctx context.Context, who subjectName, convs []*Conversation) error {
	var open, ids []int64
	for _, conv := range convs {
		ids = append(ids, conv.ID)
		if conv.Status != StatusResolved && conv.Status != StatusSpam {
			open = append(open, conv.ID)
		}
	}
	if len(open) > 0 {
		return Errorf(ECONFLICT, "%s har ärenden som inte är avslutade (%s); avsluta dem först. / "+
			"%s has conversations that are not closed (%s); close them first.", who.sv, idList(open), who.en, idList(open))
	}
	missing, err := p.Data.FindNotArchived(ctx, ids)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return Errorf(ECONFLICT, "%s har ärenden som ännu inte är arkiverade i sitt nuvarande skick (%s); de är allmänna handlingar "+
			"och måste arkiveras först (inkorg archive export). / %s has conversations not yet archived as they are now (%s); "+
			"they are public records and must be archived first (inkorg archive export).", who.sv, idList(missing), who.en, idList(missing))
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

// CheckSubjectRequests returns the error that refuses actor data-subject
// requests, or nil when actor may handle them (admins). The API checks it
// before it reads a request, so a user who may not handle them is told
// so, not what is wrong with the request.
func CheckSubjectRequests(actor *User) error {
	if !actor.CanHandleSubjectRequests() {
		return ruleError(EFORBIDDEN, "Bara administratörer hanterar begäranden från registrerade.", "Only admins handle data-subject requests.")
	}
	return nil
}

// SubjectAccessFor returns, to an admin, everything about the contact
// with contactID or the person with the platform id on platform (see
// SubjectContacts), and audits the access.
func (p *Privacy) SubjectAccessFor(ctx context.Context, actor *User, contactID int64, platform Platform, platformID string) (*SubjectAccess, error) {
	if err := CheckSubjectRequests(actor); err != nil {
		return nil, err
	}
	contacts, err := p.SubjectContacts(ctx, contactID, platform, platformID)
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

// RemoveSubjectAs is RemoveSubject, or with contactID 0
// RemoveSubjectByPlatformID, for an admin through the API.
func (p *Privacy) RemoveSubjectAs(ctx context.Context, actor *User, contactID int64, platform Platform, platformID string,
	action PersonalDataAction, reason string) (*SubjectRemoval, error) {
	if err := CheckSubjectRequests(actor); err != nil {
		return nil, err
	}
	platformID = strings.TrimSpace(platformID)
	switch {
	case platform != "" && !platform.Valid():
		return nil, unknownPlatform(platform)
	case contactID != 0 && platformID != "":
		return nil, ruleError(EINVALID, "Ange kontakten med dess id eller dess plattforms-id, inte båda.",
			"Name the contact by its id or by its platform id, not both.")
	case contactID != 0 && platform != "":
		return nil, ruleError(EINVALID, "Ange plattform bara tillsammans med ett plattforms-id: ett kontakt-id pekar redan ut en person på en plattform.",
			"Name the platform only with a platform id: a contact id names one person on one platform already.")
	case contactID != 0:
		return p.RemoveSubject(ctx, actor.ID, contactID, action, reason)
	}
	return p.RemoveSubjectByPlatformID(ctx, actor.ID, platform, platformID, action, reason)
}
