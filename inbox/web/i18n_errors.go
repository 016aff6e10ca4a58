package web

import (
	"strings"

	"inkorg/inbox"
)

// domainMessages are the domain's messages written in English only that
// staff meet on the pages, keyed by the message: Swedish first, English
// second (the message itself). The domain's own messages are written in
// both languages where they are made, "Swedish / English" (see
// bilingual); these are the rest, made by the store.
// TestWorkActionMessages finds every message a work action can return
// and checks it is one or the other.
var domainMessages = map[string][2]string{
	"Conversation not found.": {"Ärendet finns inte.", "Conversation not found."},
	"Message not found.":      {"Meddelandet finns inte.", "Message not found."},
	"User not found.":         {"Användaren finns inte.", "User not found."},
	"Rule not found.":         {"Regeln finns inte.", "Rule not found."},
	"Article not found.":      {"Artikeln finns inte.", "Article not found."},
	"Someone else changed the conversation meanwhile; reload it and try again.": {
		"Någon annan ändrade ärendet samtidigt; ladda om sidan och försök igen.",
		"Someone else changed the conversation meanwhile; reload it and try again."},
	"Work has no audit entry.":   {"Åtgärden saknar en granskningspost.", "Work has no audit entry."},
	"Outbound action not found.": {"Åtgärden mot Meta finns inte.", "Outbound action not found."},
	"The outbound action has changed meanwhile; reload it.": {
		"Åtgärden mot Meta har ändrats under tiden; ladda om sidan.", "The outbound action has changed meanwhile; reload it."},
	"Invalid page cursor; start again from the first page.": {
		"Sidans början gick inte att läsa; börja om från första sidan.", "Invalid page cursor; start again from the first page."},
}

// bilingualSeparator is what separates the Swedish from the English in a
// message written in both languages.
const bilingualSeparator = " / "

// bilingual splits a message written "Swedish / English" into its two
// languages. The same values fill in both halves, so the separator in the
// middle of an even number of parts is the one between the languages,
// even when a value (a tag, a name, a message quoted whole) holds one.
func bilingual(msg string) (sv, en string, ok bool) {
	parts := strings.Split(msg, bilingualSeparator)
	if len(parts) < 2 || len(parts)%2 != 0 {
		return "", "", false
	}
	half := len(parts) / 2
	return strings.Join(parts[:half], bilingualSeparator), strings.Join(parts[half:], bilingualSeparator), true
}

// localMessage returns the domain's message msg in lang: its translation,
// the half of a bilingual message in that language, or else msg as it is.
func localMessage(lang, msg string) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	if tr, ok := domainMessages[msg]; ok {
		return tr[i]
	}
	if sv, en, ok := bilingual(msg); ok {
		return [2]string{sv, en}[i]
	}
	return msg
}

// domainText is the user-safe message of err in lang.
func domainText(lang string, err error) string {
	return localMessage(lang, inbox.ErrorMessage(err))
}
