package redisq

import (
	"encoding/json"
	"slices"
)

// encodeHeaders returns headers as a JSON object, byte for byte what
// json.Marshal returns for the map, without its reflection: the receiver
// publishes three short ASCII headers with every webhook delivery.
func encodeHeaders(headers map[string]string) ([]byte, error) {
	keys := make([]string, 0, len(headers))
	size := 2
	for k, v := range headers {
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSONString(b, k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = appendJSONString(b, headers[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as a JSON string the way json.Marshal writes
// it: printable ASCII other than the quote, the backslash and the HTML
// characters as is, anything else through json.Marshal.
func appendJSONString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			if err != nil {
				return nil, err
			}
			return append(b, q...), nil
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}
