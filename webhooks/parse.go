package webhooks

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"inkorg/inbox"
)

// Values of a delivery's "object" field this package understands.
const (
	objectPage      = "page"
	objectInstagram = "instagram"
)

// skipReason says why part of a delivery made no event. The values are few
// and fixed because they label a metric.
type skipReason string

const (
	// skipObject: the delivery is for an object other than page or instagram.
	skipObject skipReason = "unsupported_object"
	// skipField: a change field, or an entry shape, that this version does
	// not read.
	skipField skipReason = "unsupported_field"
	// skipChange: a feed change this version does not read (likes, shares,
	// the Page's own posts, verbs such as block or follow).
	skipChange skipReason = "unsupported_change"
	// skipEvent: a messaging item that carries nothing inkorg keeps
	// (opt-ins, referrals, handovers, policy notices).
	skipEvent skipReason = "unsupported_event"
	// skipNoText: a message or comment with neither text nor attachments.
	skipNoText skipReason = "no_content"
	// skipMalformed: an entry, change or item that is not a JSON object.
	// A member of another type than Meta documents does not make its part
	// malformed; see decodePart.
	skipMalformed skipReason = "malformed"
	// skipInvalid: the normalised event lacks something inbox.Event needs
	// (an id, a time, a contact).
	skipInvalid skipReason = "invalid"
	// skipIgnoredValue: a member of an item that made its event, left
	// out because its value is of another type than Meta documents (see
	// decodePart); the event is kept without it.
	skipIgnoredValue skipReason = "ignored_value"
	// skipCovered: a part that repeats what another field of the same
	// subscription delivers in full (a mention of the Page in a comment on
	// the Page's own post, which also comes as a feed change).
	skipCovered skipReason = "covered_by_feed"
)

// skipKey is what a skipped part is counted by.
type skipKey struct {
	Reason skipReason
	Object string
	Field  string
}

// skippedPart is one part of a delivery that made no event, with the
// shape of its JSON (keys and types, never values) for the log.
type skippedPart struct {
	skipKey
	// Member is the path of an ignored value (skipIgnoredValue), such as
	// "message.text"; empty for a whole part.
	Member string
	Shape  string
}

// maxSkippedParts bounds the parts one delivery records for the log; the
// counts are always complete.
const maxSkippedParts = 32

// parsed is what a delivery yielded: its events, and a count of what was
// left out and why.
type parsed struct {
	// received is when the delivery arrived: the time of an event whose
	// payload gives none; zero when not known.
	received time.Time
	// elements is how many elements the delivery has when it is a
	// top-level JSON array of deliveries, 0 when it is one.
	elements int
	events   []inbox.Event
	skipped  map[skipKey]int
	parts    []skippedPart
}

// skip counts a part of the delivery that made no event. raw, when given,
// is kept as a shape for the log.
func (p *parsed) skip(r skipReason, object, field string, raw json.RawMessage) {
	p.skipMember(r, object, field, "", raw)
}

// skipMember is skip naming the member of raw that was left out.
func (p *parsed) skipMember(r skipReason, object, field, member string, raw json.RawMessage) {
	if p.skipped == nil {
		p.skipped = make(map[skipKey]int)
	}
	k := skipKey{Reason: r, Object: labelValue(object), Field: labelValue(field)}
	p.skipped[k]++
	if raw != nil && len(p.parts) < maxSkippedParts {
		p.parts = append(p.parts, skippedPart{skipKey: k, Member: member, Shape: shapeOf(raw)})
	}
}

// decode decodes raw into v (see decodePart), counting a member left out
// for its type under object and field, with the member's path and the
// part's shape for the log.
func (p *parsed) decode(object, field string, raw json.RawMessage, v any) error {
	member, err := decodePart(raw, v)
	if member != "" {
		if field == "" {
			field = messagingField(raw)
		}
		p.skipMember(skipIgnoredValue, object, field, member, raw)
	}
	return err
}

// add keeps e when it validates, so that every event Parse returns can be
// applied. raw is the part e was read from: an event that does not
// validate is counted and its shape logged, as any other skipped part.
func (p *parsed) add(object, field string, e inbox.Event, raw json.RawMessage) {
	if e.OccurredAt.IsZero() && !p.received.IsZero() {
		e.OccurredAt = p.received.UTC()
	}
	if e.Validate() != nil {
		p.skip(skipInvalid, object, field, raw)
		return
	}
	p.events = append(p.events, e)
}

// Parse maps one Meta webhook delivery to normalised events, in the order
// they appear in the body.
//
// It understands Facebook Page feed comments, visitor posts, reactions and
// mentions; Messenger and Instagram Direct messages with their
// attachments, echoes, edits, deletions, reactions, postbacks and
// receipts; and Instagram comments and mentions. Anything else is skipped
// and counted, not an error, so one unknown item never holds back the rest
// of a batch. A field of another type than Meta documents is read when its
// value says one thing only (a boolean or a number written as a string)
// and ignored otherwise, and the rest of its item is kept. A top-level
// JSON array of deliveries is read as each of them in turn. A body that is
// not a JSON object with an "object" string and an "entry" array, nor an
// array with at least one, is EINVALID. Every returned event passes
// Validate.
func Parse(body []byte) ([]inbox.Event, error) {
	p, err := parseDelivery(body, time.Time{})
	return p.events, err
}

// envelope is the outside of every delivery.
type envelope struct {
	Object string          `json:"object"`
	Entry  json.RawMessage `json:"entry"`
}

// decodeEnvelope checks that body is a JSON object naming its object type:
// the body, or each element of a top-level array (see decodeBatch).
func decodeEnvelope(body []byte) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return envelope{}, inbox.WrapError(inbox.EINVALID, err, "Delivery is not a JSON object with an object field.")
	}
	if strings.TrimSpace(env.Object) == "" {
		return envelope{}, inbox.Errorf(inbox.EINVALID, "Delivery has no object field.")
	}
	return env, nil
}

// parseDelivery parses a delivery, or a top-level array of them (see
// decodeBatch) one after another. An element of an array that is no
// delivery, or has no entry array, is skipped and counted as a malformed
// part with its shape, as a malformed entry is, so it does not hold back
// the rest; an array none of whose elements can be read is EINVALID, as
// a single delivery that cannot be read is.
func parseDelivery(body []byte, received time.Time) (parsed, error) {
	b, err := decodeBatch(body)
	if err != nil {
		return parsed{}, err
	}
	p := parsed{received: received}
	if b.elements == nil {
		entries, err := envelopeEntries(b.one)
		if err != nil {
			return parsed{}, err
		}
		p.entries(b.one.Object, entries)
		return p, nil
	}
	p.elements = len(b.elements)
	read := 0
	var first error
	for _, el := range b.elements {
		err := el.err
		var entries []json.RawMessage
		if err == nil {
			entries, err = envelopeEntries(el.env)
		}
		if err != nil {
			if first == nil {
				first = err
			}
			p.skip(skipMalformed, el.env.Object, "delivery", el.raw)
			continue
		}
		read++
		p.entries(el.env.Object, entries)
	}
	if read == 0 {
		return parsed{}, inbox.WrapError(inbox.EINVALID, first, "Delivery is a JSON array, but none of its %d elements is a delivery with an entry array.", len(b.elements))
	}
	return p, nil
}

// entries parses the entries of one delivery for object.
func (p *parsed) entries(object string, entries []json.RawMessage) {
	for _, raw := range entries {
		p.entry(object, raw)
	}
}

// envelopeEntries returns the elements of a delivery's entry array.
func envelopeEntries(env envelope) ([]json.RawMessage, error) {
	var entries []json.RawMessage
	if len(env.Entry) == 0 || bytes.Equal(env.Entry, []byte("null")) {
		return nil, inbox.Errorf(inbox.EINVALID, "Delivery has no entry array.")
	}
	if err := json.Unmarshal(env.Entry, &entries); err != nil {
		return nil, inbox.WrapError(inbox.EINVALID, err, "Delivery's entry is not an array.")
	}
	return entries, nil
}

// entry is one element of a delivery's entry array: one Page or Instagram
// account, with changes[] (seconds) or messaging[] (milliseconds). Meta's
// Instagram Login examples put one change's field and value on the entry
// itself, without the changes[] wrapper; both forms are read.
type entry struct {
	ID        metaID            `json:"id"`
	Time      timestamp         `json:"time"`
	Changes   []json.RawMessage `json:"changes"`
	Messaging []json.RawMessage `json:"messaging"`
	Standby   []json.RawMessage `json:"standby"`
	Field     string            `json:"field"`
	Value     json.RawMessage   `json:"value"`
}

func (p *parsed) entry(object string, raw json.RawMessage) {
	if object != objectPage && object != objectInstagram {
		p.skip(skipObject, object, "", nil)
		return
	}
	var e entry
	if err := p.decode(object, "entry", raw, &e); err != nil {
		p.skip(skipMalformed, object, "entry", raw)
		return
	}
	for _, c := range e.Changes {
		p.change(object, e, c)
	}
	if e.Field != "" {
		p.changeValue(object, e, change{Field: e.Field, Value: e.Value}, raw)
	}
	for _, m := range e.Messaging {
		p.messaging(object, e, m)
	}
	// Standby items are the thread's events while another app has thread
	// control in Meta's handover protocol: the citizen's messages and the
	// city's echoes still happened and are recorded as messaging[] ones.
	for _, s := range e.Standby {
		p.messaging(object, e, s)
	}
	if len(e.Changes)+len(e.Messaging)+len(e.Standby) == 0 && e.Field == "" {
		p.skip(skipField, object, "entry", raw)
	}
}

// change is one element of an entry's changes array.
type change struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

func (p *parsed) change(object string, e entry, raw json.RawMessage) {
	var c change
	if err := p.decode(object, "changes", raw, &c); err != nil {
		p.skip(skipMalformed, object, "changes", raw)
		return
	}
	p.changeValue(object, e, c, raw)
}

func (p *parsed) changeValue(object string, e entry, c change, raw json.RawMessage) {
	if len(c.Value) == 0 || bytes.Equal(c.Value, []byte("null")) {
		// An entry without value (Meta sends some Page fields bare) says
		// only that something changed.
		p.skip(skipField, object, c.Field, raw)
		return
	}
	switch {
	case object == objectPage && c.Field == "feed":
		p.feedChange(e, c.Value)
	case object == objectPage && c.Field == "mention":
		p.pageMention(e, c.Value)
	case object == objectInstagram && (c.Field == "comments" || c.Field == "live_comments"):
		p.instagramComment(e, c.Field, c.Value)
	case object == objectInstagram && c.Field == "mentions":
		p.instagramMention(e, c.Value)
	default:
		p.skip(skipField, object, c.Field, raw)
	}
}

// labelValue bounds a metric label taken from a payload: Meta's field
// names are short snake_case words; anything else counts as "other".
func labelValue(s string) string {
	if len(s) > 40 {
		return "other"
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' && (c < '0' || c > '9') {
			return "other"
		}
	}
	return s
}
