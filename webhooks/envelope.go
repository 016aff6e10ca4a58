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
// string, which it returns. It accepts and refuses exactly what
// decodeEnvelope does, with the same errors, but decodes nothing else:
// the body is parsed in full by the ingest worker, off the request path.
// After json.Valid it only walks the top level of the object, skipping
// nested values by their brackets, and allocates nothing for a body whose
// object key and value have no escapes.
func deliveryObject(body []byte) (string, error) {
	if !json.Valid(body) {
		return "", inbox.Errorf(inbox.EINVALID, "Delivery is not a JSON object with an object field.")
	}
	object, ok := topLevelObject(body)
	if !ok {
		return "", inbox.Errorf(inbox.EINVALID, "Delivery is not a JSON object with an object field.")
	}
	if strings.TrimSpace(object) == "" {
		return "", inbox.Errorf(inbox.EINVALID, "Delivery has no object field.")
	}
	return object, nil
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
