package graph

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
)

func TestFetchPost(t *testing.T) {
	posted := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	t.Run("OK/Facebook", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		sb.SetPost("1234567890321", false, PostContent{ID: "1234567890321_555", Text: "Valhallabadet stänger för renovering 1 december.",
			Permalink: "https://www.facebook.com/goteborgsstad/posts/555", Created: posted})
		got, err := c.FetchPost(context.Background(), testToken, inbox.PlatformFacebook, "1234567890321_555")
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != "Valhallabadet stänger för renovering 1 december." || got.Permalink != "https://www.facebook.com/goteborgsstad/posts/555" ||
			!got.Created.Equal(posted) || got.MediaType != "" {
			t.Errorf("post = %+v", got)
		}
		call := lastCall(t, sb)
		checkCall(t, call, http.MethodGet, "/1234567890321_555")
		if f := body(t, call)["fields"]; f != "message,permalink_url,created_time" {
			t.Errorf("fields = %v, want message,permalink_url,created_time", f)
		}
	})
	t.Run("OK/Instagram", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		sb.SetPost("17841400000000000", true, PostContent{ID: "17900000000000001", Text: "Höstlov i Göteborg 🍂",
			Permalink: "https://www.instagram.com/p/Cabc123/", MediaType: "REELS", Created: posted})
		got, err := c.FetchPost(context.Background(), testToken, inbox.PlatformInstagram, "17900000000000001")
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != "Höstlov i Göteborg 🍂" || got.Permalink != "https://www.instagram.com/p/Cabc123/" || got.MediaType != "REELS" || !got.Created.Equal(posted) {
			t.Errorf("media = %+v", got)
		}
		if f := body(t, lastCall(t, sb))["fields"]; f != "caption,permalink,media_product_type,timestamp" {
			t.Errorf("fields = %v, want caption,permalink,media_product_type,timestamp", f)
		}
	})
	t.Run("ErrUnknownPost", func(t *testing.T) {
		c, _ := newTestClient(t, Config{})
		_, err := c.FetchPost(context.Background(), testToken, inbox.PlatformFacebook, "1_404")
		var e *Error
		if !errors.As(err, &e) || e.Class != InvalidRequest || e.Code != 100 || e.Subcode != 33 {
			t.Errorf("err = %v, want invalid_request 100/33", err)
		}
	})
	t.Run("ErrThrottled", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		sb.SetPost("1", false, PostContent{ID: "1_2", Text: "x"})
		sb.FailNext(1, DocumentedError(32, 0))
		_, err := c.FetchPost(context.Background(), testToken, inbox.PlatformFacebook, "1_2")
		if !Throttled(err) || ClassOf(err) != Transient {
			t.Errorf("err = %v, want a transient rate limit", err)
		}
	})
}
