package webhooks

import (
	"bytes"
	"encoding/json"
	"strings"

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
	// skipField: a change field, or an entry shape (such as standby[]), that
	// this version does not read.
	skipField skipReason = "unsupported_field"
	// skipChange: a feed change other than a comment being added (edits,
	// removals, hides, reactions, posts).
	skipChange skipReason = "unsupported_change"
	// skipEvent: a messaging item that is not a new message (reads,
	// deliveries, reactions, postbacks, edits, unsends).
	skipEvent skipReason = "unsupported_event"
	// skipNoText: a message or comment without text (attachments only).
	skipNoText skipReason = "no_text"
	// skipMalformed: an entry or item whose JSON does not have the shape
	// Meta documents.
	skipMalformed skipReason = "malformed"
	// skipInvalid: the normalised event lacks something inbox.Event needs
	// (an id, a time, a contact).
	skipInvalid skipReason = "invalid"
)

// skipReasons lists every skipReason, for metrics.
var skipReasons = []skipReason{skipObject, skipField, skipChange, skipEvent, skipNoText, skipMalformed, skipInvalid}

// parsed is what a delivery yielded: its events, and a count of what was
// left out and why.
type parsed struct {
	events  []inbox.Event
	skipped map[skipReason]int
}

func (p *parsed) skip(r skipReason) {
	if p.skipped == nil {
		p.skipped = make(map[skipReason]int)
	}
	p.skipped[r]++
}

// add keeps e when it validates, so that every event Parse returns can be
// applied.
func (p *parsed) add(e inbox.Event) {
	if e.Validate() != nil {
		p.skip(skipInvalid)
		return
	}
	p.events = append(p.events, e)
}

// Parse maps one Meta webhook delivery to normalised events, in the order
// they appear in the body.
//
// It understands Facebook Page feed comments being added, Messenger text
// messages and their echoes, Instagram comments and Instagram Direct text
// messages. Everything else Meta sends (edits, removals, reactions, reads,
// postbacks, attachments without text, other objects) is skipped, not an
// error, so one unknown item never holds back the rest of a batch. A body
// that is not a JSON object with an "object" string and an "entry" array
// is EINVALID. Every returned event passes Validate.
func Parse(body []byte) ([]inbox.Event, error) {
	p, err := parseDelivery(body)
	return p.events, err
}

// envelope is the outside of every delivery.
type envelope struct {
	Object string          `json:"object"`
	Entry  json.RawMessage `json:"entry"`
}

// decodeEnvelope checks that body is a JSON object naming its object type.
// The receiver uses it as its sanity check and the parser as its first step.
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

func parseDelivery(body []byte) (parsed, error) {
	env, err := decodeEnvelope(body)
	if err != nil {
		return parsed{}, err
	}
	var entries []json.RawMessage
	if len(env.Entry) == 0 || bytes.Equal(env.Entry, []byte("null")) {
		return parsed{}, inbox.Errorf(inbox.EINVALID, "Delivery has no entry array.")
	}
	if err := json.Unmarshal(env.Entry, &entries); err != nil {
		return parsed{}, inbox.WrapError(inbox.EINVALID, err, "Delivery's entry is not an array.")
	}
	var p parsed
	for _, raw := range entries {
		p.entry(env.Object, raw)
	}
	return p, nil
}

// entry is one element of a delivery's entry array: one Page or Instagram
// account, with either changes[] (seconds) or messaging[] (milliseconds).
type entry struct {
	ID        metaID            `json:"id"`
	Time      timestamp         `json:"time"`
	Changes   []json.RawMessage `json:"changes"`
	Messaging []json.RawMessage `json:"messaging"`
	Standby   []json.RawMessage `json:"standby"`
}

func (p *parsed) entry(object string, raw json.RawMessage) {
	if object != objectPage && object != objectInstagram {
		p.skip(skipObject)
		return
	}
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
		p.skip(skipMalformed)
		return
	}
	for _, c := range e.Changes {
		p.change(object, e, c)
	}
	for _, m := range e.Messaging {
		p.messaging(object, e, m)
	}
	// Standby items belong to another app in a handover; they are not ours
	// to answer.
	for range e.Standby {
		p.skip(skipField)
	}
	if len(e.Changes)+len(e.Messaging)+len(e.Standby) == 0 {
		p.skip(skipField)
	}
}

// change is one element of an entry's changes array.
type change struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

func (p *parsed) change(object string, e entry, raw json.RawMessage) {
	var c change
	if err := json.Unmarshal(raw, &c); err != nil {
		p.skip(skipMalformed)
		return
	}
	switch {
	case object == objectPage && c.Field == "feed":
		p.feedChange(e, c.Value)
	case object == objectInstagram && c.Field == "comments":
		p.instagramComment(e, c.Value)
	default:
		p.skip(skipField)
	}
}
