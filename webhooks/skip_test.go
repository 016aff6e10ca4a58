package webhooks

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
)

// TestParseSkipReasons checks why the fixtures that make no event make
// none: a shape that is understood must never be skipped by accident.
func TestParseSkipReasons(t *testing.T) {
	tests := []struct {
		file string
		want map[skipReason]int
	}{
		{"fb_feed_comment_edited.json", map[skipReason]int{skipChange: 1}},
		{"fb_feed_comment_hide.json", map[skipReason]int{skipChange: 1}},
		{"fb_feed_comment_remove.json", map[skipReason]int{skipChange: 1}},
		{"fb_feed_post_add.json", map[skipReason]int{skipChange: 1}},
		{"fb_feed_reaction_on_comment.json", map[skipReason]int{skipChange: 1}},
		{"fb_feed_two_entries_batch.json", map[skipReason]int{skipField: 2}},
		{"fb_mention_comment_add.json", map[skipReason]int{skipField: 1}},
		{"messenger_message_image.json", map[skipReason]int{skipNoText: 1}},
		{"messenger_message_edit.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_message_is_deleted.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_reaction_react.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_reaction_unreact.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_read.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_delivery.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_postback.json", map[skipReason]int{skipEvent: 1}},
		{"ig_mention_in_comment.json", map[skipReason]int{skipField: 1}},
		{"ig_dm_unsupported_attachment.json", map[skipReason]int{skipNoText: 1}},
		{"ig_dm_seen.json", map[skipReason]int{skipEvent: 1}},
		{"messenger_message_text.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := parseDelivery(body)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(p.skipped, tt.want) {
				t.Errorf("skipped: got %v, want %v", p.skipped, tt.want)
			}
		})
	}
}

func TestParseSkipsOtherObjectWithoutDecoding(t *testing.T) {
	p, err := parseDelivery([]byte(`{"object":"permissions","entry":[1,"x",{"id":"1"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.skipped, map[skipReason]int{skipObject: 3}; !maps.Equal(got, want) {
		t.Errorf("skipped: got %v, want %v", got, want)
	}
}
