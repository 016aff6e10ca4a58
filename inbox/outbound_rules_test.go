package inbox

import (
	"strings"
	"testing"
	"time"
)

func TestCheckReply(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	fb := &Account{ID: 1, Name: "Göteborgs Stad", ExternalID: "p1"}
	fbAgent := &Account{ID: 1, Name: "Göteborgs Stad", ExternalID: "p1", HumanAgent: true}
	messenger := func(last *time.Time) *Conversation {
		return &Conversation{ID: 7, Platform: PlatformFacebook, Channel: ChannelMessenger, LastInboundAt: last}
	}
	igDirect := &Conversation{ID: 8, Platform: PlatformInstagram, Channel: ChannelInstagramDirect, LastInboundAt: ago(time.Hour)}
	fbComments := &Conversation{ID: 9, Platform: PlatformFacebook, Channel: ChannelFacebookComment}
	igComments := &Conversation{ID: 10, Platform: PlatformInstagram, Channel: ChannelInstagramComment}
	comment := func(age time.Duration) *Message {
		return &Message{ID: 70, Direction: DirectionInbound, ExternalID: "c1", SentAt: now.Add(-age)}
	}
	igReply := &Message{ID: 71, Direction: DirectionInbound, ExternalID: "c2", ParentExternalID: "c1", SentAt: now}
	hidden := &Message{ID: 72, Direction: DirectionInbound, ExternalID: "c3", Hidden: true, SentAt: now}
	live := &Message{ID: 73, Direction: DirectionInbound, ExternalID: "c4", Live: true, SentAt: now.Add(-time.Minute)}
	tests := []struct {
		name      string
		rc        replyCheck
		wantCode  string // "" for allowed
		wantHuman bool
		wantText  string
	}{
		{name: "OK/DirectInside24h", rc: replyCheck{conv: messenger(ago(23 * time.Hour)), account: fb, kind: ReplyDirect, text: "Hej"}},
		{name: "ErrOutsideWindow", rc: replyCheck{conv: messenger(ago(25 * time.Hour)), account: fb, kind: ReplyDirect, text: "Hej"},
			wantCode: EINVALID, wantText: "24 timmar"},
		{name: "OK/HumanAgentWithin7Days", rc: replyCheck{conv: messenger(ago(6 * 24 * time.Hour)), account: fbAgent, kind: ReplyDirect, text: "Hej"},
			wantHuman: true},
		{name: "ErrHumanAgentAfter7Days", rc: replyCheck{conv: messenger(ago(8 * 24 * time.Hour)), account: fbAgent, kind: ReplyDirect, text: "Hej"},
			wantCode: EINVALID, wantText: "7 dagar"},
		{name: "ErrNoCitizenMessage", rc: replyCheck{conv: messenger(nil), account: fb, kind: ReplyDirect, text: "Hej"}, wantCode: EINVALID},
		{name: "OK/MessengerAt1999", rc: replyCheck{conv: messenger(ago(time.Hour)), account: fb, kind: ReplyDirect, text: strings.Repeat("å", 1999)}},
		{name: "ErrMessengerAt2000", rc: replyCheck{conv: messenger(ago(time.Hour)), account: fb, kind: ReplyDirect, text: strings.Repeat("å", 2000)},
			wantCode: EINVALID, wantText: "för långt: 2000 tecken, högst 1999 tillåts här. / The reply is too long: 2000 characters, at most 1999"},
		{name: "ErrInstagramDirectOver1000Bytes", rc: replyCheck{conv: igDirect, account: fb, kind: ReplyDirect, text: strings.Repeat("å", 501)},
			wantCode: EINVALID, wantText: "1002 byte, högst 1000 tillåts här. / The reply is too long: 1002 bytes"},
		{name: "OK/InstagramDirect1000Bytes", rc: replyCheck{conv: igDirect, account: fb, kind: ReplyDirect, text: strings.Repeat("å", 500)}},
		{name: "ErrFacebookCommentTooLong", rc: replyCheck{conv: fbComments, account: fb, target: comment(time.Hour), kind: ReplyPublic, text: strings.Repeat("a", 8001)},
			wantCode: EINVALID},
		{name: "ErrInstagramCommentTooLong", rc: replyCheck{conv: igComments, account: fb, target: comment(time.Hour), kind: ReplyPublic, text: strings.Repeat("a", 2201)},
			wantCode: EINVALID},
		{name: "ErrEmpty", rc: replyCheck{conv: fbComments, account: fb, target: comment(time.Hour), kind: ReplyPublic, text: "  "}, wantCode: EINVALID},
		{name: "OK/PublicFacebook", rc: replyCheck{conv: fbComments, account: fb, target: comment(30 * 24 * time.Hour), kind: ReplyPublic, text: "Hej"}},
		{name: "OK/PrivateWithin7Days", rc: replyCheck{conv: fbComments, account: fb, target: comment(6 * 24 * time.Hour), kind: ReplyPrivate, text: "Hej"}},
		{name: "ErrPrivateAfter7Days", rc: replyCheck{conv: fbComments, account: fb, target: comment(8 * 24 * time.Hour), kind: ReplyPrivate, text: "Hej"},
			wantCode: EINVALID, wantText: "7 dagar"},
		{name: "ErrSecondPrivateReply", rc: replyCheck{conv: fbComments, account: fb, target: comment(time.Hour), kind: ReplyPrivate, text: "Hej",
			earlier: []*OutboundAction{{Kind: OutboundPrivateReply, TargetMessageID: 70, State: OutboundSent}}}, wantCode: ECONFLICT, wantText: "ett per kommentar"},
		{name: "OK/PrivateAfterFailedOne", rc: replyCheck{conv: fbComments, account: fb, target: comment(time.Hour), kind: ReplyPrivate, text: "Hej",
			earlier: []*OutboundAction{{Kind: OutboundPrivateReply, TargetMessageID: 70, State: OutboundFailed}}}},
		{name: "ErrInstagramReplyToReply", rc: replyCheck{conv: igComments, account: fb, target: igReply, kind: ReplyPublic, text: "Hej"},
			wantCode: EINVALID, wantText: "översta nivån"},
		{name: "ErrInstagramHiddenComment", rc: replyCheck{conv: igComments, account: fb, target: hidden, kind: ReplyPublic, text: "Hej"}, wantCode: EINVALID},
		{name: "ErrInstagramLiveCommentPublic", rc: replyCheck{conv: igComments, account: fb, target: live, kind: ReplyPublic, text: "Hej"},
			wantCode: EINVALID, wantText: "Skicka ett privat svar"},
		{name: "OK/InstagramLiveCommentPrivate", rc: replyCheck{conv: igComments, account: fb, target: live, kind: ReplyPrivate, text: "Hej"}},
		{name: "OK/InstagramTopLevel", rc: replyCheck{conv: igComments, account: fb, target: comment(time.Hour), kind: ReplyPublic, text: "Hej"}},
		{name: "ErrDirectInCommentThread", rc: replyCheck{conv: fbComments, account: fb, kind: ReplyDirect, text: "Hej"}, wantCode: EINVALID},
		{name: "ErrPublicInMessenger", rc: replyCheck{conv: messenger(ago(time.Hour)), account: fb, kind: ReplyPublic, text: "Hej"}, wantCode: EINVALID},
		{name: "ErrUnknownAccount", rc: replyCheck{conv: messenger(ago(time.Hour)), kind: ReplyDirect, text: "Hej"}, wantCode: EINVALID},
		{name: "ErrNeedsToken", rc: replyCheck{conv: messenger(ago(time.Hour)), account: &Account{ID: 1, NeedsToken: true}, kind: ReplyDirect, text: "Hej"},
			wantCode: ECONFLICT, wantText: "token"},
		{name: "ErrNoComment", rc: replyCheck{conv: fbComments, account: fb, kind: ReplyPublic, text: "Hej"}, wantCode: EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.rc.now = now
			human, err := checkReply(tt.rc)
			if got := ErrorCode(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if human != tt.wantHuman {
				t.Errorf("human agent = %v, want %v", human, tt.wantHuman)
			}
			msg := ErrorMessage(err)
			if !strings.Contains(msg, tt.wantText) {
				t.Errorf("message %q does not contain %q", msg, tt.wantText)
			}
			if err != nil && !strings.Contains(msg, " / ") {
				t.Errorf("message %q is not in Swedish and English", msg)
			}
		})
	}
}

func TestCheckModeration(t *testing.T) {
	acc := &Account{ID: 1, Name: "Göteborgs Stad"}
	comments := &Conversation{Platform: PlatformFacebook, Channel: ChannelFacebookComment}
	inbound := &Message{Direction: DirectionInbound, ExternalID: "c1"}
	hiddenMsg := &Message{Direction: DirectionInbound, ExternalID: "c1", Hidden: true}
	own := &Message{Direction: DirectionOutbound, ExternalID: "c9"}
	queued := &Message{Direction: DirectionOutbound, ExternalID: idempotencyPrefix + "x"}
	tests := []struct {
		name   string
		conv   *Conversation
		m      *Message
		action CommentAction
		want   string
	}{
		{"OK/Hide", comments, inbound, CommentHide, ""},
		{"OK/Unhide", comments, hiddenMsg, CommentUnhide, ""},
		{"OK/DeleteOwn", comments, own, CommentDelete, ""},
		{"ErrHideHidden", comments, hiddenMsg, CommentHide, EINVALID},
		{"ErrUnhideVisible", comments, inbound, CommentUnhide, EINVALID},
		{"ErrHideOwn", comments, own, CommentHide, EINVALID},
		{"ErrUnpublished", comments, queued, CommentDelete, EINVALID},
		{"ErrPrivateMessage", &Conversation{Channel: ChannelMessenger}, inbound, CommentHide, EINVALID},
		{"ErrUnknownAction", comments, inbound, "pin", EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkModeration(tt.conv, tt.m, tt.action, acc)
			if got := ErrorCode(err); got != tt.want {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}
