package inbox

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNoteLength is the longest note, question, answer or reason accepted,
// in bytes.
const MaxNoteLength = 5000

// AddNote adds an internal note to the conversation. Users named in it as
// @name, or @"Full Name" when the name has spaces, are mentioned; naming
// an unknown user, a deactivated one or one who may not see the
// conversation is EINVALID. Notes are for everyone working on the
// conversation, so a claim by another user does not stop them.
func (s *Service) AddNote(ctx context.Context, actor *User, id int64, text string) (*Note, error) {
	var note *Note
	_, err := s.act(ctx, actor, id, ActionNote, func(c *Conversation) (*outcome, error) {
		text, err := noteText(text, "anteckningen", "note")
		if err != nil {
			return nil, err
		}
		mentioned, err := s.resolveMentions(ctx, text)
		if err != nil {
			return nil, err
		}
		if err := mayMention(mentioned, c); err != nil {
			return nil, err
		}
		note = &Note{Kind: NoteComment, Text: text}
		for _, u := range mentioned {
			note.Mentions = append(note.Mentions, Mention{UserID: u.ID, Name: u.Name})
		}
		return &outcome{note: note}, nil
	})
	if err != nil {
		return nil, err
	}
	return note, nil
}

// resolveMentions returns the users the text mentions. A name matches
// regardless of case (@Lena is lena), unless two users' names differ only
// in case; then only the exact name does.
func (s *Service) resolveMentions(ctx context.Context, text string) ([]*User, error) {
	var users []*User
	for _, name := range ParseMentions(text) {
		u, err := s.mentioned(ctx, name)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, nil
}

// mayMention checks that each mentioned user can act on the mention: a
// deactivated user cannot sign in, and one who may not see c (a
// specialist of another administration) could not open it. Either is
// EINVALID naming them, so the writer can change the note.
func mayMention(users []*User, c *Conversation) error {
	for _, u := range users {
		switch {
		case !u.Active():
			return ruleError(EINVALID, "Anteckningen nämner @%s, som är inaktiverad.",
				"The note mentions @%s, who is deactivated.", u.Name)
		case !u.CanSee(c):
			return ruleError(EINVALID, "Anteckningen nämner @%s, som inte kan se ärendet: det är inte skickat till deras förvaltning.",
				"The note mentions @%s, who cannot see this conversation: it is not routed to their administration.", u.Name)
		}
	}
	return nil
}

// mentioned returns the user named name: exactly, else ignoring case.
func (s *Service) mentioned(ctx context.Context, name string) (*User, error) {
	u, err := s.store.FindUserByName(ctx, name)
	if ErrorCode(err) != ENOTFOUND {
		return u, err
	}
	users, err := s.store.FindUsersByNameFold(ctx, name)
	switch {
	case err != nil:
		return nil, err
	case len(users) == 0:
		return nil, ruleError(EINVALID, "Anteckningen nämner @%s, men det finns ingen användare med det namnet.",
			"The note mentions @%s, but there is no user with that name.", name)
	case len(users) > 1:
		return nil, ruleError(EINVALID, "Flera användare heter @%s med olika stora och små bokstäver; skriv namnet exakt.",
			"Several users are named @%s in different case; write the name exactly.", name)
	}
	return users[0], nil
}

// mentionPattern matches @name or @"Full Name" at the start of the text or
// after a space or bracket, so e-mail addresses are not mentions.
var mentionPattern = regexp.MustCompile(`(?:^|[\s(\[])@(?:"([^"\n]{1,100})"|([\p{L}\p{N}_.-]+))`)

// ParseMentions returns the names mentioned in text, each once, in the
// order they first appear.
func ParseMentions(text string) []string {
	var names []string
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		name := m[1]
		if name == "" {
			// A sentence may end right after a mention.
			name = strings.TrimRight(m[2], ".")
		}
		if name = strings.TrimSpace(name); name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// noteText trims text and checks it is a usable note; whatSV and whatEN
// name it in errors ("anteckningen", "note").
func noteText(text, whatSV, whatEN string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", Errorf(EINVALID, "Det finns ingen text i %s. / The %s is empty.", whatSV, whatEN)
	case len(text) > MaxNoteLength:
		return "", Errorf(EINVALID, "Texten i %s är längre än %d byte. / The %s is longer than %d bytes.", whatSV, MaxNoteLength, whatEN, MaxNoteLength)
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return "", Errorf(EINVALID, "Texten i %s innehåller ogiltiga tecken. / The %s is not valid text.", whatSV, whatEN)
	}
	return text, nil
}

// administrationPattern is the form of administration ids: lower-case
// words joined by hyphens.
var administrationPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// validateAdministration checks an administration id to route to.
func (s *Service) validateAdministration(id string) error {
	switch {
	case id == "":
		return ruleError(EINVALID, "Välj förvaltningen att skicka ärendet till.",
			"Name the administration to route the conversation to.")
	case len(id) > 64 || !administrationPattern.MatchString(id):
		return ruleError(EINVALID, "Förvaltningen %q är inget giltigt id; det är ord med små bokstäver och bindestreck.",
			"Administration id %q is not valid; it is lower-case words joined by hyphens.", id)
	case s.KnownAdministration != nil && !s.KnownAdministration(id):
		return ruleError(EINVALID, "Det finns ingen förvaltning %q.",
			"There is no administration %q.", id)
	}
	return nil
}

// Limits on tags.
const (
	MaxTags      = 30
	MaxTagLength = 50
)

// Tag adds and removes tags on the conversation. Tags are kept in lower
// case, sorted, each once; removing a tag it does not have is harmless.
func (s *Service) Tag(ctx context.Context, actor *User, id int64, add, remove []string) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionTags, func(c *Conversation) (*outcome, error) {
		add, err := normalizeTags(add)
		if err != nil {
			return nil, err
		}
		remove, err := normalizeTags(remove)
		if err != nil {
			return nil, err
		}
		if len(add) == 0 && len(remove) == 0 {
			return nil, ruleError(EINVALID, "Ange taggar att lägga till eller ta bort.",
				"Name tags to add or remove.")
		}
		if err := s.free(ctx, actor, c); err != nil {
			return nil, err
		}
		tags := slices.DeleteFunc(append(c.Tags, add...), func(t string) bool { return slices.Contains(remove, t) })
		slices.Sort(tags)
		tags = slices.Compact(tags)
		if len(tags) > MaxTags {
			return nil, ruleError(EINVALID, "Ett ärende kan ha högst %d taggar.",
				"A conversation has at most %d tags.", MaxTags)
		}
		if len(tags) == 0 {
			tags = nil
		}
		c.Tags = tags
		return nil, nil
	})
}

// NormalizeTag returns tag as conversations store it: trimmed, in lower
// case and in Unicode normal form C, so that "Återbud" and "återbud", or é
// typed as one letter and as e with a combining accent, are one tag. The
// tag filter normalizes its values the same way.
func NormalizeTag(tag string) string {
	return norm.NFC.String(strings.ToLower(strings.TrimSpace(tag)))
}

// normalizeTags normalizes tags (NormalizeTag) and checks them.
func normalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = NormalizeTag(t)
		switch {
		case t == "":
			return nil, ruleError(EINVALID, "En tagg är tom.",
				"A tag is empty.")
		case utf8.RuneCountInString(t) > MaxTagLength:
			// Only its start: the message must not repeat a page of text.
			start := string([]rune(t)[:20]) + "…"
			return nil, ruleError(EINVALID, "Taggen %q är längre än %d tecken.",
				"Tag %q is longer than %d characters.", start, MaxTagLength)
		case strings.ContainsFunc(t, func(r rune) bool { return r == ',' || unicode.IsControl(r) }):
			return nil, ruleError(EINVALID, "Taggen %q innehåller ett kommatecken eller ett styrtecken.",
				"Tag %q holds a comma or a control character.", t)
		}
		out = append(out, t)
	}
	return out, nil
}
