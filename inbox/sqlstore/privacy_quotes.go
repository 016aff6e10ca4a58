package sqlstore

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// Shorter texts and names are too common to be taken for a quote.
const (
	minQuotedText = 12
	minQuotedName = 3
)

// quotes identify a person in what staff wrote in a conversation that is
// not theirs: a note or a routing question naming them or quoting them.
type quotes struct {
	names, texts  []string
	id, pseudonym string
}

// quotesOf returns the quotes of contact c, the author of msgs, read
// before their rewrite.
func quotesOf(c *inbox.Contact, msgs []messageRow) quotes {
	q := quotes{id: c.ExternalID, pseudonym: pseudonym(string(c.Platform), c.ExternalID)}
	add := func(list *[]string, s string, min int) {
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) >= min && s != inbox.DeletedText && !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	add(&q.names, c.Name, minQuotedName)
	add(&q.names, c.Username, minQuotedName)
	for _, m := range msgs {
		add(&q.names, m.AuthorName, minQuotedName)
		add(&q.texts, m.Text, minQuotedText)
		if m.OriginalText != nil {
			add(&q.texts, *m.OriginalText, minQuotedText)
		}
	}
	// A longer quote goes before a part of it.
	longest := func(a, b string) int { return cmp.Compare(len(b), len(a)) }
	slices.SortFunc(q.names, longest)
	slices.SortFunc(q.texts, longest)
	return q
}

// unquote returns s with the person's texts as the removal leaves them,
// their names replaced by their pseudonym (or DeletedText when deleting)
// and their platform id, as a whole number, by its pseudonym.
func (rw rewriter) unquote(s string, q quotes) string {
	for _, t := range q.texts {
		s = strings.ReplaceAll(s, t, rw.text(t))
	}
	name := inbox.DeletedText
	if rw.action == inbox.Pseudonymise {
		name = q.pseudonym
	}
	for _, n := range q.names {
		s = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(n)).ReplaceAllLiteralString(s, name)
	}
	if q.id != "" && !strings.HasPrefix(q.id, pseudonymPrefix) {
		s = regexp.MustCompile(`\b`+regexp.QuoteMeta(q.id)+`\b`).ReplaceAllLiteralString(s, q.pseudonym)
	}
	return s
}

// unquoteConversation removes the person from the notes and the routing
// question of a conversation they wrote in that is someone else's, whose
// other texts stay.
func (rw rewriter) unquoteConversation(tx *gorm.DB, id int64, q quotes) error {
	var notes []noteRow
	if err := tx.Where("conversation_id = ?", id).Find(&notes).Error; err != nil {
		return err
	}
	for _, n := range notes {
		if text := rw.unquote(n.Text, q); text != n.Text {
			if err := tx.Model(&noteRow{}).Where("id = ?", n.ID).Update("text", text).Error; err != nil {
				return err
			}
		}
	}
	var questions []string
	if err := tx.Model(&conversationRow{}).Where("id = ?", id).Pluck("route_question", &questions).Error; err != nil {
		return err
	}
	if len(questions) == 1 {
		if text := rw.unquote(questions[0], q); text != questions[0] {
			return tx.Model(&conversationRow{}).Where("id = ?", id).Update("route_question", text).Error
		}
	}
	return nil
}
