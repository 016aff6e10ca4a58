package inbox

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Meta's messaging rules, checked before anything is queued.
const (
	// MessagingWindow is how long after the citizen's last message a
	// private message may be sent as a plain response.
	MessagingWindow = 24 * time.Hour
	// HumanAgentWindow is how long after it a human agent may answer with
	// the HUMAN_AGENT tag, for accounts Meta approved for it.
	HumanAgentWindow = 7 * 24 * time.Hour
	// PrivateReplyWindow is how long after a comment its author may get
	// one private reply.
	PrivateReplyWindow = 7 * 24 * time.Hour
)

// Text limits of outbound messages.
const (
	// MaxMessengerRunes: Messenger text "must be … less than 2000
	// characters".
	MaxMessengerRunes = 1999
	// MaxInstagramDirectBytes: Instagram Direct text "must be … 1000 bytes
	// or less".
	MaxInstagramDirectBytes = 1000
	// MaxFacebookCommentRunes bounds a public Facebook comment reply. Meta
	// documents no limit for comments; replies longer than this are not
	// comments but articles and belong on goteborg.se.
	MaxFacebookCommentRunes = 8000
	// MaxInstagramCommentRunes is Instagram's limit for a comment.
	MaxInstagramCommentRunes = 2200
)

// ruleError is an error an agent is shown, in Swedish and then English.
func ruleError(code, sv, en string, args ...any) *Error {
	return Errorf(code, "%s / %s", fmt.Sprintf(sv, args...), fmt.Sprintf(en, args...))
}

// replyCheck is everything the rules look at for one reply.
type replyCheck struct {
	conv    *Conversation
	account *Account
	// target is the comment answered; nil for a direct message.
	target *Message
	kind   ReplyKind
	text   string
	// earlier are the outbound actions of the conversation so far.
	earlier []*OutboundAction
	now     time.Time
}

// checkReply applies Meta's rules to a reply and reports whether a direct
// message must carry the HUMAN_AGENT tag.
func checkReply(rc replyCheck) (humanAgent bool, err error) {
	if err := checkReplyChannel(rc); err != nil {
		return false, err
	}
	if err := checkReplyText(rc.conv.Platform, rc.kind, rc.text); err != nil {
		return false, err
	}
	switch rc.kind {
	case ReplyDirect:
		return checkMessagingWindow(rc.conv, rc.account, rc.now)
	case ReplyPrivate:
		return false, checkPrivateReply(rc)
	}
	return false, checkPublicReply(rc)
}

// checkReplyChannel checks that the kind of reply fits the conversation and
// that the account can send.
func checkReplyChannel(rc replyCheck) error {
	c := rc.conv
	switch {
	case rc.kind != ReplyPublic && rc.kind != ReplyPrivate && rc.kind != ReplyDirect:
		return ruleError(EINVALID, "Okänd svarstyp %q; använd public, private eller direct.",
			"Unknown reply kind %q; use public, private or direct.", rc.kind)
	case c.Channel.Public() && rc.kind == ReplyDirect:
		return ruleError(EINVALID, "En kommentarstråd besvaras offentligt eller med ett privat svar.",
			"A comment thread is answered publicly or with a private reply.")
	case !c.Channel.Public() && rc.kind != ReplyDirect:
		return ruleError(EINVALID, "En meddelandetråd besvaras med ett direktmeddelande.",
			"A message thread is answered with a direct message.")
	case rc.account == nil:
		return ruleError(EINVALID, "Kontot som tråden hör till är inte kopplat till inkorg; svaret kan inte skickas.",
			"The account this thread belongs to is not connected to inkorg; the reply cannot be sent.")
	case rc.account.NeedsToken:
		return ruleError(ECONFLICT, "Kontot %s behöver en ny åtkomsttoken innan något kan skickas. Kontakta en administratör.",
			"The account %s needs a new access token before anything can be sent. Contact an administrator.", rc.account.Name)
	}
	return nil
}

// checkReplyText enforces Meta's text limits for the kind of reply.
func checkReplyText(p Platform, kind ReplyKind, text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return ruleError(EINVALID, "Skriv ett svar.", "Write a reply.")
	case !utf8.ValidString(text):
		return ruleError(EINVALID, "Svaret innehåller ogiltiga tecken.", "The reply contains invalid characters.")
	}
	n := utf8.RuneCountInString(text)
	switch {
	case kind == ReplyPublic && p == PlatformFacebook && n > MaxFacebookCommentRunes:
		return tooLong(n, MaxFacebookCommentRunes, "tecken", "characters")
	case kind == ReplyPublic && p == PlatformInstagram && n > MaxInstagramCommentRunes:
		return tooLong(n, MaxInstagramCommentRunes, "tecken", "characters")
	case kind != ReplyPublic && p == PlatformFacebook && n > MaxMessengerRunes:
		return tooLong(n, MaxMessengerRunes, "tecken", "characters")
	case kind != ReplyPublic && p == PlatformInstagram && len(text) > MaxInstagramDirectBytes:
		return tooLong(len(text), MaxInstagramDirectBytes, "byte", "bytes")
	}
	return nil
}

func tooLong(n, limit int, unitSV, unitEN string) error {
	return Errorf(EINVALID, "Svaret är för långt: %d %s, högst %d tillåts här. / The reply is too long: %d %s, at most %d are allowed here.",
		n, unitSV, limit, n, unitEN, limit)
}

// checkMessagingWindow reports whether a direct message may be sent now,
// and whether it needs the HUMAN_AGENT tag.
func checkMessagingWindow(c *Conversation, a *Account, now time.Time) (bool, error) {
	if c.LastInboundAt == nil {
		return false, ruleError(EINVALID, "Medborgaren har inte skrivit i tråden; ett meddelande kan bara skickas som svar.",
			"The citizen has not written in this thread; a message can only be sent as an answer.")
	}
	since := now.Sub(*c.LastInboundAt)
	switch {
	case since <= MessagingWindow:
		return false, nil
	case since <= HumanAgentWindow && a.HumanAgent:
		return true, nil
	case a.HumanAgent:
		return false, ruleError(EINVALID,
			"Svarstiden har gått ut: mer än 7 dagar sedan medborgarens senaste meddelande. Svara när medborgaren skriver igen, eller hänvisa till 031-365 00 00.",
			"The time to answer has run out: more than 7 days since the citizen's last message. Answer when the citizen writes again, or refer them to 031-365 00 00.")
	}
	return false, ruleError(EINVALID,
		"Svarstiden har gått ut: mer än 24 timmar sedan medborgarens senaste meddelande, och kontot är inte godkänt för handläggartaggen (7 dagar). Svara när medborgaren skriver igen.",
		"The time to answer has run out: more than 24 hours since the citizen's last message, and the account is not approved for the human-agent tag (7 days). Answer when the citizen writes again.")
}

// checkPrivateReply enforces one private reply per comment, within 7 days
// of the comment.
func checkPrivateReply(rc replyCheck) error {
	if err := checkTargetComment(rc.target); err != nil {
		return err
	}
	if rc.now.Sub(rc.target.SentAt) > PrivateReplyWindow {
		return ruleError(EINVALID, "Ett privat svar kan bara skickas inom 7 dagar från kommentaren. Svara offentligt i stället.",
			"A private reply can only be sent within 7 days of the comment. Answer publicly instead.")
	}
	for _, a := range rc.earlier {
		if a.Kind == OutboundPrivateReply && a.TargetMessageID == rc.target.ID && a.State != OutboundFailed {
			return ruleError(ECONFLICT, "Kommentaren har redan fått ett privat svar; Meta tillåter bara ett per kommentar.",
				"The comment has had a private reply already; Meta allows only one per comment.")
		}
	}
	return nil
}

// checkPublicReply checks the comment a public reply answers.
func checkPublicReply(rc replyCheck) error {
	if err := checkTargetComment(rc.target); err != nil {
		return err
	}
	if rc.conv.Platform != PlatformInstagram {
		return nil
	}
	switch {
	case rc.target.Live:
		return ruleError(EINVALID, "Kommentarer på en livesändning kan inte besvaras offentligt. Skicka ett privat svar i stället, medan sändningen pågår.",
			"Comments on a live broadcast cannot be answered publicly. Send a private reply instead, while the broadcast is on.")
	case rc.target.ParentExternalID != "":
		return ruleError(EINVALID, "På Instagram går det bara att svara på en kommentar på översta nivån, inte på ett svar. Svara på trådens första kommentar.",
			"On Instagram only top-level comments can be answered, not replies. Answer the thread's first comment.")
	case rc.target.Hidden:
		return ruleError(EINVALID, "Instagram tillåter inte svar på dolda kommentarer. Visa kommentaren först.",
			"Instagram does not allow replies to hidden comments. Unhide the comment first.")
	}
	return nil
}

// checkTargetComment checks that a reply names a citizen's comment that
// still exists.
func checkTargetComment(m *Message) error {
	switch {
	case m == nil:
		return ruleError(EINVALID, "Det finns ingen kommentar från medborgaren att svara på.",
			"There is no comment from the citizen to answer.")
	case m.Direction != DirectionInbound:
		return ruleError(EINVALID, "Svara på medborgarens kommentar, inte på ett eget svar.",
			"Answer the citizen's comment, not one of the city's own replies.")
	case m.Deleted():
		return ruleError(EINVALID, "Kommentaren är borttagen och kan inte besvaras.",
			"The comment has been removed and cannot be answered.")
	}
	return nil
}

// checkModeration checks that action may be done to comment m.
func checkModeration(c *Conversation, m *Message, action CommentAction, a *Account) error {
	switch {
	case action != CommentHide && action != CommentUnhide && action != CommentDelete:
		return ruleError(EINVALID, "Okänd åtgärd %q; använd hide, unhide eller delete.",
			"Unknown action %q; use hide, unhide or delete.", action)
	case !c.Channel.Public():
		return ruleError(EINVALID, "Bara kommentarer kan döljas eller tas bort, inte privata meddelanden.",
			"Only comments can be hidden or deleted, not private messages.")
	case a == nil:
		return ruleError(EINVALID, "Kontot som kommentaren hör till är inte kopplat till inkorg.",
			"The account the comment belongs to is not connected to inkorg.")
	case a.NeedsToken:
		return ruleError(ECONFLICT, "Kontot %s behöver en ny åtkomsttoken. Kontakta en administratör.",
			"The account %s needs a new access token. Contact an administrator.", a.Name)
	case m.Deleted():
		return ruleError(EINVALID, "Kommentaren är redan borttagen.", "The comment has been removed already.")
	case !m.Published():
		return ruleError(EINVALID, "Svaret är inte publicerat än.", "The reply is not published yet.")
	case action != CommentDelete && m.Direction == DirectionOutbound:
		return ruleError(EINVALID, "Stadens egna kommentarer döljs inte; ta bort dem i stället.",
			"The city's own comments are not hidden; delete them instead.")
	case action == CommentHide && m.Hidden:
		return ruleError(EINVALID, "Kommentaren är redan dold.", "The comment is hidden already.")
	case action == CommentUnhide && !m.Hidden:
		return ruleError(EINVALID, "Kommentaren är inte dold.", "The comment is not hidden.")
	}
	return nil
}
