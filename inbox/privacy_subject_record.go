package inbox

import "slices"

// subjectParty is a person a data-subject request names: a platform id on
// one platform.
type subjectParty struct {
	platform Platform
	id       string
}

// subjectView narrows conversation records to what a data-subject export
// may hand to the people it is about. A comment thread holds other
// citizens too: their messages, names, ids, reactions and the triage and
// moderation of what they wrote are their personal data, not the
// requester's (GDPR article 15.4), and the staff's notes and actions on
// someone else's conversation are about that person.
type subjectView struct {
	parties  []subjectParty
	contacts []int64
}

func newSubjectView(contacts []*Contact) *subjectView {
	v := &subjectView{}
	for _, c := range contacts {
		v.parties = append(v.parties, subjectParty{c.Platform, c.ExternalID})
		if c.ID != 0 {
			v.contacts = append(v.contacts, c.ID)
		}
	}
	return v
}

// theirs reports whether the platform id on platform is one of the people's.
func (v *subjectView) theirs(platform Platform, id string) bool {
	return id != "" && slices.Contains(v.parties, subjectParty{platform, id})
}

// record returns the part of rec about the people: in their own
// conversation everything but other citizens' messages and what names
// them; in someone else's only their own messages, the city's replies to
// them and what concerns those messages.
func (v *subjectView) record(rec *ConversationRecord) *ConversationRecord {
	conv := *rec.Conversation
	own := slices.Contains(v.contacts, conv.ContactID)
	out := &ConversationRecord{Conversation: &conv, ReadAt: rec.ReadAt, Messages: []*Message{}, Notes: []*Note{},
		Triage: []*Triage{}, Audit: []*AuditEntry{}, Moderation: []*ModerationEntry{}}
	kept := map[string]bool{}
	withheld := false
	for _, m := range rec.Messages {
		if !v.keepMessage(m, own, kept) {
			withheld = true
			continue
		}
		kept[m.ExternalID] = true
		out.Messages = append(out.Messages, m)
	}
	if withheld {
		// The preview copies the latest message, which may be another's.
		conv.Preview = ""
	}
	if !own {
		// Its tags and routing question describe the other's question.
		conv.ContactID, conv.Contact, conv.Triage, conv.Tags, conv.RouteQuestion = 0, nil, nil, nil, ""
	} else {
		out.Notes, out.Audit = rec.Notes, rec.Audit
	}
	out.Changes = v.changes(rec.Changes, conv.AccountExternalID, conv.Platform, kept)
	ids := map[int64]bool{}
	for _, m := range out.Messages {
		ids[m.ID] = true
	}
	for _, t := range rec.Triage {
		if ids[t.MessageID] {
			out.Triage = append(out.Triage, t)
		}
	}
	for _, e := range rec.Moderation {
		if ids[e.MessageID] {
			out.Moderation = append(out.Moderation, e)
		}
	}
	out.Users = staffNames(out, rec.Users)
	return out
}

// keepMessage reports whether m goes into the export: a message the
// people wrote, or, from the city, one in their own conversation or
// answering one of theirs listed before it.
func (v *subjectView) keepMessage(m *Message, own bool, kept map[string]bool) bool {
	if m.Direction == DirectionInbound {
		return v.theirs(m.Platform, m.AuthorExternalID)
	}
	return own || kept[m.ParentExternalID]
}

// changes returns the changes to the kept messages, and the people's own
// reactions to others'; another citizen's reaction to theirs stays
// without that citizen's id.
func (v *subjectView) changes(all []*MessageChange, accountID string, platform Platform, kept map[string]bool) []*MessageChange {
	out := []*MessageChange{}
	for _, ch := range all {
		mine := v.theirs(platform, ch.ActorExternalID)
		switch {
		case mine:
			out = append(out, ch)
		case !kept[ch.MessageExternalID]:
		case ch.ActorExternalID == "" || ch.ActorExternalID == accountID:
			out = append(out, ch)
		default:
			c := *ch
			c.ActorExternalID = ""
			out = append(out, &c)
		}
	}
	return out
}

// staffNames returns the names of the staff rec still refers to.
func staffNames(rec *ConversationRecord, names map[int64]string) map[int64]string {
	out := map[int64]string{}
	for _, id := range rec.StaffIDs() {
		if name, ok := names[id]; ok {
			out[id] = name
		}
	}
	return out
}
