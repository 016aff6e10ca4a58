package archive

import (
	"embed"
	"html/template"
	"io"
	"strconv"
	"time"

	"inkorg/inbox"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates are parsed once; their functions take the time zone as an
// argument so one parse serves every export.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(loc *time.Location, t any) string {
		switch t := t.(type) {
		case time.Time:
			return formatTime(t, loc)
		case *time.Time:
			if t == nil {
				return "–"
			}
			return formatTime(*t, loc)
		}
		return ""
	},
	"user": func(users map[int64]string, id int64) string {
		if id == 0 {
			return "Systemet / system"
		}
		if n := users[id]; n != "" {
			return n
		}
		return "Användare / user " + strconv.FormatInt(id, 10)
	},
	"direction": func(d inbox.Direction) string {
		if d == inbox.DirectionOutbound {
			return "Staden / the city"
		}
		return "Medborgare / citizen"
	},
	"change": func(k inbox.EventKind) string {
		if s, ok := changeNames[k]; ok {
			return s
		}
		return string(k)
	},
	"unsent": func(d inbox.DeliveryState) []string { return unsentNotes[d] },
	"page":   PagePath,
}).ParseFS(templateFS, "templates/*.html"))

// changeNames are the Swedish (English) names of message changes.
var changeNames = map[inbox.EventKind]string{
	inbox.EventMessageEdited:   "Redigerat / edited",
	inbox.EventMessageDeleted:  "Borttaget av avsändaren / removed by the author",
	inbox.EventMessageHidden:   "Dolt / hidden",
	inbox.EventMessageUnhidden: "Visas igen / shown again",
	inbox.EventReactionAdded:   "Reaktion / reaction",
	inbox.EventReactionRemoved: "Reaktion borttagen / reaction removed",
}

// unsentNotes are what a page says, in Swedish and English, of a reply
// the platform did not (surely) get: without it the page would show the
// city answering when it did not. Sent, delivered and read replies, and
// messages the city sent outside inkorg, have no note.
var unsentNotes = map[inbox.DeliveryState][]string{
	inbox.DeliveryQueued:  {"Inte skickat ännu när arkivet skrevs.", "Not sent yet when the archive was written."},
	inbox.DeliverySending: {"Inte skickat ännu när arkivet skrevs.", "Not sent yet when the archive was written."},
	inbox.DeliveryFailed:  {"Skickades inte: plattformen tog inte emot svaret.", "Not sent: the platform did not accept it."},
	inbox.DeliveryNeedsCheck: {"Kanske inte skickat: det är oklart om plattformen fick svaret.",
		"Perhaps not sent: it is unclear whether the platform got it."},
}

// formatTime writes t in loc to the second, with the zone's abbreviation.
func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

// pageData is what the conversation template gets.
type pageData struct {
	Rec *inbox.ConversationRecord
	Loc *time.Location
}

// renderConversation writes the readable page of one conversation.
func renderConversation(w io.Writer, rec *inbox.ConversationRecord, loc *time.Location) error {
	if err := templates.ExecuteTemplate(w, "conversation.html", pageData{Rec: rec, Loc: loc}); err != nil {
		return inbox.WrapError(inbox.EINTERNAL, err, "Cannot write the page of conversation %d.", rec.Conversation.ID)
	}
	return nil
}

// indexWriter writes index.html a row at a time.
type indexWriter struct {
	f   *hashedFile
	loc *time.Location
}

type indexData struct {
	M   Manifest
	Rec *inbox.ConversationRecord
	Loc *time.Location
}

func (ix *indexWriter) begin(m Manifest) error {
	return ix.exec("index_begin", indexData{M: m, Loc: ix.loc})
}

func (ix *indexWriter) row(rec *inbox.ConversationRecord) error {
	return ix.exec("index_row", indexData{Rec: rec, Loc: ix.loc})
}

func (ix *indexWriter) end(m *Manifest) error {
	return ix.exec("index_end", indexData{M: *m, Loc: ix.loc})
}

func (ix *indexWriter) exec(name string, data indexData) error {
	if err := templates.ExecuteTemplate(ix.f, name, data); err != nil {
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot write %s.", IndexFile)
	}
	return nil
}
