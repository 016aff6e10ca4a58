package inbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// One Meta delivery can hold several people's events: a batch of entries,
// each with several changes or messaging items. An erasure removes from a
// kept webhook body (a raw delivery or a dead letter) only the events of
// the person: those they sent, wrote or received. Other people's events
// stay, to be ingested by a replay or a reparse; where they name the
// person, in a tag say, the person's id is replaced by its pseudonym and
// their name removed. A body with nothing else in it goes whole.

// eventLists are the keys of an entry whose arrays hold one event each.
var eventLists = []string{"changes", "messaging", "standby"}

// partyKeys name, in an event or its value, someone taking part in it.
var partyKeys = []string{"sender", "recipient", "from"}

// redactBody says what an erasure does to a kept webhook body: nothing
// when it does not name the person with the platform id id on platform
// (or names them only where nothing can be removed, as in someone else's
// text), drop it when nothing of anyone else would be left, or else
// rewrite it to out. A delivery of the other platform is left alone: the
// same digits there are someone else. With platform empty (not known) it
// takes the id to be the person's on both. Run on its own output it does
// nothing, so a rewritten body is never rewritten again.
func redactBody(body []byte, platform Platform, id string) (out []byte, drop bool) {
	if !MentionsPlatformID(body, id) {
		return nil, false
	}
	r := &redaction{platform: platform, id: id}
	if out = r.delivery(body); out == nil {
		return nil, !r.elsewhere
	}
	if !r.changed {
		return nil, false
	}
	return out, false
}

// redaction removes one person, by platform id, from a webhook body.
type redaction struct {
	// platform is the person's platform; empty when not known.
	platform      Platform
	id, pseudonym string
	// changed is set once something of theirs is removed.
	changed bool
	// elsewhere is set when the body is a delivery of another platform
	// than the person's.
	elsewhere bool
}

// delivery returns body without the person's events and with their id
// replaced by its pseudonym elsewhere, or nil when no one else's event is
// left, body is not a webhook delivery that can be taken apart, or it is
// one of another platform (r.elsewhere).
func (r *redaction) delivery(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var d map[string]any
	if dec.Decode(&d) != nil || dec.More() {
		return nil
	}
	platform := PlatformFacebook
	if d["object"] == "instagram" {
		platform = PlatformInstagram
	}
	if r.platform != "" && platform != r.platform {
		r.elsewhere = true
		return nil
	}
	entries, ok := d["entry"].([]any)
	if !ok {
		return nil
	}
	r.pseudonym = Pseudonym(platform, r.id)
	kept := entries[:0]
	events := 0
	for _, e := range entries {
		if n, keep := r.entry(e); keep {
			kept = append(kept, e)
			events += n
		}
	}
	if events == 0 {
		return nil
	}
	d["entry"] = kept
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Keep <, > and & as Meta sent them.
	enc.SetEscapeHTML(false)
	if enc.Encode(r.replace(d)) != nil {
		return nil
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// entry removes the person's events from one entry and reports how many
// events are left and whether the entry stays: an entry that is one event
// itself (a change's field and value without changes[]) stays when the
// person takes no part in it.
func (r *redaction) entry(e any) (int, bool) {
	entry, ok := e.(map[string]any)
	if !ok {
		r.changed = true
		return 0, false
	}
	if _, single := entry["value"]; single {
		if r.takesPart(entry) {
			return 0, false
		}
		return 1, true
	}
	had, left := false, 0
	for _, key := range eventLists {
		list, ok := entry[key].([]any)
		if !ok {
			continue
		}
		had = true
		kept := list[:0]
		for _, ev := range list {
			if !r.takesPart(ev) {
				kept = append(kept, ev)
			}
		}
		entry[key] = kept
		left += len(kept)
	}
	return left, !had || left > 0
}

// takesPart reports whether the person sent, wrote or received the event:
// a party of the event or of its value has their id, or, in an older
// payload, the value's sender_id is theirs. It marks r changed if so.
func (r *redaction) takesPart(ev any) bool {
	m, _ := ev.(map[string]any)
	for _, obj := range []map[string]any{m, asObject(m["value"])} {
		for _, k := range partyKeys {
			if r.isID(asObject(obj[k])["id"]) {
				r.changed = true
				return true
			}
		}
		if r.isID(obj["sender_id"]) {
			r.changed = true
			return true
		}
	}
	return false
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// isID reports whether a JSON value is the person's platform id, as a
// string or a number.
func (r *redaction) isID(v any) bool {
	switch v := v.(type) {
	case string:
		return v == r.id
	case json.Number:
		return v.String() == r.id
	}
	return false
}

// replace replaces the person's platform id wherever it is a value or a
// key with their pseudonym, and drops the name and username of an object
// it identifies.
func (r *redaction) replace(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if r.isID(v["id"]) {
			delete(v, "name")
			delete(v, "username")
		}
		for k, val := range v {
			val = r.replace(val)
			if k == r.id {
				delete(v, k)
				k, r.changed = r.pseudonym, true
			}
			v[k] = val
		}
		return v
	case []any:
		for i := range v {
			v[i] = r.replace(v[i])
		}
		return v
	}
	if r.isID(v) {
		r.changed = true
		return r.pseudonym
	}
	return v
}

// PseudonymPrefix starts every pseudonym, so none is made of another.
const PseudonymPrefix = "pseudonym:"

// Pseudonym is the stable stand-in for a platform id, the one the store
// writes when it pseudonymises: the same id always gets the same
// pseudonym, so statistics can still count people (and a rewritten
// delivery body, reparsed, points to the same pseudonymised person), while
// the id itself cannot be read back from it. An empty id or a pseudonym
// stays as it is.
func Pseudonym(platform Platform, externalID string) string {
	if externalID == "" || strings.HasPrefix(externalID, PseudonymPrefix) {
		return externalID
	}
	sum := sha256.Sum256([]byte(string(platform) + ":" + externalID))
	return PseudonymPrefix + hex.EncodeToString(sum[:10])
}

// withoutSignature returns headers without the delivery's signature, which
// a rewritten body no longer matches.
func withoutSignature(headers map[string]string) map[string]string {
	out := make(map[string]string, len(headers))
	for k, v := range headers {
		if !strings.Contains(strings.ToLower(k), "signature") {
			out[k] = v
		}
	}
	return out
}

// bodyRemoval counts what an erasure did to the kept webhook bodies of one
// kind.
type bodyRemoval struct {
	Deleted, Rewritten int64
}

// rawDeliveryPage is how many raw deliveries an erasure reads at a time.
const rawDeliveryPage = 500

// redactRawDeliveries removes the person with the platform id on platform
// from the raw deliveries (see redactBody). A rewritten delivery is stored (received when the
// original was, without its signature) before the original is deleted, so
// a failure in between leaves both, and the erasure can run again.
func (p *Privacy) redactRawDeliveries(ctx context.Context, platform Platform, id string) (bodyRemoval, error) {
	raws, ok := p.Data.(RawDeliveryStore)
	if !ok {
		return bodyRemoval{}, Errorf(EINTERNAL, "The store cannot rewrite raw deliveries.")
	}
	rewritten := map[[sha256.Size]byte]bool{}
	for after := int64(0); ; {
		page, err := raws.FindRawDeliveries(ctx, RawDeliveryFilter{AfterID: after, Limit: rawDeliveryPage})
		if err != nil {
			return bodyRemoval{}, err
		}
		if len(page) == 0 {
			break
		}
		for _, d := range page {
			after = d.ID
			body, _ := redactBody(d.Body, platform, id)
			if body == nil {
				continue
			}
			kept := &RawDelivery{Body: body, ContentType: d.ContentType, ReceivedAt: d.ReceivedAt}
			if _, err := raws.SaveRawDelivery(ctx, kept); err != nil {
				return bodyRemoval{}, err
			}
			rewritten[sha256.Sum256(d.Body)] = true
		}
	}
	var r bodyRemoval
	// A delivery stored meanwhile that holds others' events too is left
	// for the next run rather than deleted unread.
	n, err := p.Data.DeleteRawDeliveriesMatching(ctx, func(body []byte) bool {
		if rewritten[sha256.Sum256(body)] {
			r.Rewritten++
			return true
		}
		_, drop := redactBody(body, platform, id)
		return drop
	})
	r.Deleted = max(n-r.Rewritten, 0)
	return r, err
}

// redactDeadLetters removes the person with the platform id on platform
// from the dead letters of QueueDeliveries, or returns nil when p has no DeadLetters to
// check. Only that queue carries webhook bodies; an outbound message
// holds an action id.
func (p *Privacy) redactDeadLetters(ctx context.Context, platform Platform, id string) (*bodyRemoval, error) {
	if p.DeadLetters == nil {
		return nil, nil
	}
	var r bodyRemoval
	var err error
	r.Deleted, r.Rewritten, err = EditDeadLetters(ctx, p.DeadLetters, QueueDeliveries, func(d *DeadLetter) DeadLetterChange {
		switch body, drop := redactBody(d.Body, platform, id); {
		case drop:
			return DeadLetterChange{Drop: true}
		case body != nil:
			return DeadLetterChange{Body: body, Headers: withoutSignature(d.Headers)}
		}
		return DeadLetterChange{}
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}
