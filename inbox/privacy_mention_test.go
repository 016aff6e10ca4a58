package inbox_test

import (
	"testing"

	"inkorg/inbox"
)

func TestMentionsPlatformID(t *testing.T) {
	const id = "7301234567890001"
	for _, tc := range []struct {
		body string
		want bool
	}{
		{`{"from":{"id":"7301234567890001","name":"Erik"}}`, true},
		{`{"sender":{"id":7301234567890001}}`, true},
		{`{"ids":[7301234567890001,2]}`, true},
		{`{"from":{"id": 7301234567890001 }}`, true},
		{`{"from":{"id":"73012345678900012"}}`, false},
		{`{"from":{"id":"17301234567890001"}}`, false},
		{`{"sender":{"id":73012345678900019}}`, false},
		{`{"post_id":"104729385720000_7301234567890001"}`, false},
		{`{"text":"nothing here"}`, false},
		{``, false},
	} {
		if got := inbox.MentionsPlatformID([]byte(tc.body), id); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.body, got, tc.want)
		}
	}
	if inbox.MentionsPlatformID([]byte(`{"id":""}`), "") {
		t.Error("an empty id matched")
	}
}
