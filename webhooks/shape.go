package webhooks

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Limits of a shape, so that a huge or deep part logs a short line.
const (
	shapeMaxDepth = 4
	shapeMaxKeys  = 24
	shapeMaxLen   = 512
)

// shapeOf describes the structure of a JSON value without its content:
// object keys (sorted) with the shapes of their values, "[shape]" for an
// array by its first element, and the type names string, number, bool and
// null. Citizen text never appears in it, only field names, so it can be
// logged.
func shapeOf(raw json.RawMessage) string {
	var b strings.Builder
	writeShape(&b, raw, 0)
	s := b.String()
	if len(s) > shapeMaxLen {
		s = s[:shapeMaxLen] + "…"
	}
	return s
}

func writeShape(b *strings.Builder, raw json.RawMessage, depth int) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		b.WriteString("invalid")
		return
	}
	switch raw[0] {
	case '{':
		writeObjectShape(b, raw, depth)
	case '[':
		writeArrayShape(b, raw, depth)
	case '"':
		b.WriteString("string")
	case 't', 'f':
		b.WriteString("bool")
	case 'n':
		b.WriteString("null")
	default:
		b.WriteString("number")
	}
}

func writeObjectShape(b *strings.Builder, raw json.RawMessage, depth int) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		b.WriteString("invalid")
		return
	}
	if depth >= shapeMaxDepth {
		b.WriteString("{…}")
		return
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i == shapeMaxKeys {
			b.WriteString(",…")
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(labelKey(k))
		b.WriteByte(':')
		writeShape(b, obj[k], depth+1)
	}
	b.WriteByte('}')
}

func writeArrayShape(b *strings.Builder, raw json.RawMessage, depth int) {
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil {
		b.WriteString("invalid")
		return
	}
	if len(arr) == 0 || depth >= shapeMaxDepth {
		b.WriteString("[]")
		return
	}
	b.WriteByte('[')
	writeShape(b, arr[0], depth+1)
	b.WriteByte(']')
}

// labelKey keeps a key in a shape when it looks like a field name; keys
// that could carry content (such as ids used as keys) are replaced.
func labelKey(k string) string {
	if labelValue(k) == k {
		return k
	}
	return "?"
}
