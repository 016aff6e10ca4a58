package webhooks

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"inkorg/inbox"
)

// deliveryObject is the receiver's check of a signed body: it must be
// valid JSON, an object, with an "object" member holding a non-blank
// string, which it returns; or a top-level array of such objects, as some
// senders batch them (and some of Meta's Instagram examples show), with
// at least one element that is one, whose object it returns. It accepts
// and refuses exactly what decodeBatch does, with the same errors, but
// decodes nothing else: the body is parsed in full by the ingest worker,
// off the request path. After json.Valid it only walks the top level of
// the object (or of the array's elements), skipping nested values by their
// brackets, and allocates nothing for a body whose object key and value
// have no escapes.
func deliveryObject(body []byte) (string, error) {
	if !json.Valid(body) {
		return "", errNotObject()
	}
	if i := skipSpace(body, 0); i < len(body) && body[i] == '[' {
		return arrayObject(body[i:])
	}
	return oneObject(body)
}

// oneObject is deliveryObject of a body that is no array.
func oneObject(body []byte) (string, error) {
	object, ok := topLevelObject(body)
	if !ok {
		return "", errNotObject()
	}
	if strings.TrimSpace(object) == "" {
		return "", inbox.Errorf(inbox.EINVALID, "Delivery has no object field.")
	}
	return object, nil
}

// arrayObject is deliveryObject of a top-level array, which must be valid
// JSON: the object of its first element that is a delivery.
func arrayObject(body []byte) (string, error) {
	n := 0
	for i := skipSpace(body, 1); i < len(body) && body[i] != ']'; n++ {
		end := valueEnd(body, i)
		if object, err := oneObject(body[i:end]); err == nil {
			return object, nil
		}
		if i = skipSpace(body, end); i < len(body) && body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	return "", errNoDeliveryIn(n)
}

func errNotObject() error {
	return inbox.Errorf(inbox.EINVALID, "Delivery is not a JSON object with an object field.")
}

// errNoDeliveryIn is the error of a top-level array of n elements none of
// which is a delivery.
func errNoDeliveryIn(n int) error {
	if n == 0 {
		return inbox.Errorf(inbox.EINVALID, "Delivery is an empty JSON array, not a JSON object with an object field.")
	}
	return inbox.Errorf(inbox.EINVALID, "Delivery is a JSON array, but none of its %d elements is a JSON object with an object field.", n)
}

// batch is a delivery body read as deliveries: the body itself when it is
// a JSON object, or the elements of a top-level array in order.
type batch struct {
	// one is the delivery of a body that is a JSON object.
	one envelope
	// elements are the elements of a top-level array; nil for an object.
	elements []element
}

// element is one element of a top-level array, with its envelope or the
// error that says why it is no delivery.
type element struct {
	raw json.RawMessage
	env envelope
	err error
}

// decodeBatch reads body as one delivery or a top-level array of them.
// An object must be a delivery (see decodeEnvelope); an array must hold
// at least one, and its other elements are left for the parser to count.
func decodeBatch(body []byte) (batch, error) {
	if i := skipSpace(body, 0); i >= len(body) || body[i] != '[' {
		env, err := decodeEnvelope(body)
		return batch{one: env}, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return batch{}, inbox.WrapError(inbox.EINVALID, err, "Delivery is not a JSON object with an object field.")
	}
	b := batch{elements: make([]element, len(raws))}
	for i, raw := range raws {
		env, err := decodeEnvelope(raw)
		b.elements[i] = element{raw: raw, env: env, err: err}
	}
	if b.object() == "" {
		return batch{}, errNoDeliveryIn(len(raws))
	}
	return b, nil
}

// object is the object of the batch's first delivery.
func (b batch) object() string {
	if b.elements == nil {
		return b.one.Object
	}
	for _, el := range b.elements {
		if el.err == nil {
			return el.env.Object
		}
	}
	return ""
}

// bodyShapes are the values of bodyShape.
var bodyShapes = []string{"object", "array", "string", "number", "bool", "null", "not_json", "empty"}

// bodyShape names the kind of JSON value body is, for the metric and the
// log of a delivery that does not parse: object, array, string, number,
// bool or null, not_json, or empty.
func bodyShape(body []byte) string {
	i := skipSpace(body, 0)
	switch {
	case i == len(body):
		return "empty"
	case !json.Valid(body):
		return "not_json"
	}
	switch body[i] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// topLevelObject returns the value of the "object" member of body, which
// must be valid JSON. Like encoding/json it matches the key without regard
// to case, lets the last of duplicate keys win and reads null as absent;
// ok is false when body is not an object (or null) or the member is not a
// string.
func topLevelObject(body []byte) (object string, ok bool) {
	i := skipSpace(body, 0)
	if i < len(body) && body[i] == 'n' {
		// null decodes into nothing, so the object is missing.
		return "", true
	}
	if i >= len(body) || body[i] != '{' {
		return "", false
	}
	i++
	for {
		i = skipSpace(body, i)
		if i >= len(body) {
			return "", false
		}
		if body[i] == '}' {
			return object, true
		}
		keyEnd := stringEnd(body, i)
		if keyEnd < 0 {
			return "", false
		}
		key := body[i:keyEnd]
		i = skipSpace(body, keyEnd)
		if i >= len(body) || body[i] != ':' {
			return "", false
		}
		i = skipSpace(body, i+1)
		valueEnd := valueEnd(body, i)
		if valueEnd < 0 {
			return "", false
		}
		if isObjectKey(key) {
			switch body[i] {
			case '"':
				object = unquote(body[i:valueEnd])
			case 'n': // null leaves the field as it was
			default:
				return "", false
			}
		}
		i = skipSpace(body, valueEnd)
		if i < len(body) && body[i] == ',' {
			i++
		}
	}
}

// isObjectKey reports whether the quoted key names the "object" member,
// compared as encoding/json compares field names.
func isObjectKey(quoted []byte) bool {
	const name = "object"
	raw := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return bytes.EqualFold(raw, []byte(name))
	}
	return strings.EqualFold(unquote(quoted), name)
}

// unquote returns the string a JSON string literal holds, as
// encoding/json decodes it.
func unquote(quoted []byte) string {
	raw := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw)
	}
	var s string
	_ = json.Unmarshal(quoted, &s)
	return s
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index after the string literal starting at i, or
// -1 when there is none.
func stringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// valueEnd returns the index after the JSON value starting at i, or -1
// when it does not end within b.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := stringEnd(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j
		}
		j++
	}
	return j
}
