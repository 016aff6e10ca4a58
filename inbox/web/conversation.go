package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/answers"
	"inkorg/inbox"
)

// Meta's messaging windows, counted from the citizen's latest message.
const (
	messagingWindow    = 24 * time.Hour
	privateReplyWindow = 7 * 24 * time.Hour
	suggestionCount    = 3
)

// convData is what the conversation page shows.
type convData struct {
	C        *inbox.Conversation
	Messages []*inbox.Message
	// Post is the post a comment thread hangs under; PostLink its
	// permalink when it is safe to link.
	Post     *inbox.Post
	PostLink string
	Triage   *inbox.Triage
	// Account is the name of the Page or Instagram account the
	// conversation is on, "" when it is not managed (C.UnknownAccount).
	Account     string
	Admin       string
	TriageAdmin string
	Confidence  int
	Routing     routingView
	Suggestions []suggestion
	Notes       []noteView
	History     []historyView
	Outbound    []*inbox.OutboundAction
	ReplyKinds  []string
	// Live is set for a comment thread on a live broadcast, which takes
	// private replies only.
	Live bool
	// WindowLeft is what remains of the messaging window; WindowClosed
	// is set when it is over.
	WindowLeft   time.Duration
	WindowClosed bool
	Admins       []Administration
	Assignee     string
	HeldByMe     bool
	HeldByOther  bool
	CanRoute     bool
	// CanAct reports that the conversation waits on a department the
	// reader may act for (the department panel and its live parts).
	CanAct bool
	// DeptPanel reports that the page has the department panel: the
	// reader may act for the department the conversation is routed to,
	// whenever it is. Hidden while it does not wait on the department, it
	// shows when it comes to (the live parts), with nothing typed lost.
	DeptPanel bool
	// SensitiveID is the public comment to hide for personal data, and
	// SensitiveKind the kind of data the hide is recorded for.
	SensitiveID   int64
	SensitiveKind inbox.SensitiveKind
	Draft         string
	// Work holds the tag, snooze and assignment forms' state.
	Work workForms
	// StatusChoices are the statuses the status form offers; none hides
	// it.
	StatusChoices []inbox.Status
	// Typed is what was written into the forms when the page is shown
	// again after a refused action; nil otherwise.
	Typed *typedForms
}

type suggestion struct {
	Title, URL, Summary, Draft string
	// Matched are the citizen's words the article matched, so the agent
	// sees why it is suggested.
	Matched []string
}

type noteView struct {
	Author string
	Text   string
	At     time.Time
	// Kind is the department exchange the note is part of (question,
	// answer, return); "" for a colleague's note.
	Kind inbox.NoteKind
}

type historyView struct {
	Actor  string
	Action string
	At     time.Time
	// Change names, as a message key, a status change no staff action
	// made (then Actor and Action are empty); Status names the status
	// when Change does not.
	Change, Status string
}

// Conversation serves GET /conversations/:id. With the header
// X-Partial: thread only the parts that change live are rendered (see
// conversationThread), for whoever may see the whole page.
func (ui *UI) Conversation(c echo.Context) error {
	u := currentUser(c)
	id, ok := inbox.ParseID(c.Param("id"))
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	ctx := c.Request().Context()
	conv, msgs, err := ui.cfg.Store.FindConversationThread(ctx, id)
	if err != nil {
		return ui.fail(c, err)
	}
	if !u.CanSee(conv) {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	if c.Request().Header.Get("X-Partial") == partialThread {
		return ui.conversationThread(c, u, conv, msgs)
	}
	d, err := ui.conversationData(ctx, c, u, conv, msgs)
	if err != nil {
		return ui.fail(c, err)
	}
	p := ui.newPage(c, "conv.title", "inbox")
	p.Data = d
	return ui.render(c, http.StatusOK, "conversation", p)
}

func (ui *UI) conversationData(ctx context.Context, c echo.Context, u *inbox.User, conv *inbox.Conversation,
	msgs []*inbox.Message) (*convData, error) {
	names := map[int64]string{}
	d, err := ui.threadData(ctx, c, u, conv, msgs, names)
	if err != nil {
		return nil, err
	}
	d.Admins = ui.cfg.Administrations
	d.CanRoute = canRoute(u, conv)
	d.DeptPanel = u.CanActForDepartment(conv)
	if t := conv.Triage; t != nil {
		d.TriageAdmin, d.Confidence = ui.adminName(t.Administration), percent(t.Confidence)
		if t.HideRecommended {
			d.SensitiveID, d.Draft = t.MessageID, t.PrivateReply
			d.SensitiveKind = hideKind(t)
		}
	}
	d.Routing = ui.routing(conv.Triage)
	if d.Suggestions, err = ui.suggestions(ctx, conv, msgs); err != nil {
		return nil, err
	}
	return d, nil
}

// replyChoices are the reply kinds the channel allows, and what is left of
// the window that applies.
func replyChoices(c *inbox.Conversation, now time.Time) ([]string, time.Duration, bool) {
	window := messagingWindow
	kinds := []string{string(inbox.ReplyDirect)}
	if c.Channel.Public() {
		kinds, window = []string{string(inbox.ReplyPublic), string(inbox.ReplyPrivate)}, privateReplyWindow
	}
	if c.LastInboundAt == nil {
		return kinds, 0, true
	}
	left := c.LastInboundAt.Add(window).Sub(now)
	return kinds, left, left <= 0
}

// liveThread reports whether msgs are comments on a live broadcast: Meta
// takes no public reply to them, only a private reply during the
// broadcast.
func liveThread(msgs []*inbox.Message) bool {
	for _, m := range msgs {
		if m.Live {
			return true
		}
	}
	return false
}

// suggestions are the best answer-bank articles for the latest citizen
// message (inbox.LatestCitizenText), from the conversation's
// administration, or from all.
func (ui *UI) suggestions(ctx context.Context, conv *inbox.Conversation, msgs []*inbox.Message) ([]suggestion, error) {
	if ui.cfg.Answers == nil {
		return nil, nil
	}
	text := inbox.LatestCitizenText(conv, msgs)
	if text == "" {
		return nil, nil
	}
	s := &answers.Suggester{Search: ui.cfg.Answers}
	hits, err := s.Suggest(ctx, text, conv.AdministrationID, suggestionCount)
	if err == nil && len(hits) == 0 && conv.AdministrationID != "" {
		hits, err = s.Suggest(ctx, text, "", suggestionCount)
	}
	if err != nil {
		return nil, err
	}
	lang := ""
	if conv.Triage != nil {
		lang = conv.Triage.Language
	}
	out := make([]suggestion, len(hits))
	for i, h := range hits {
		draft := answers.ConversationDraft(h.Article, lang)
		out[i] = suggestion{Title: h.Article.Title, URL: h.Article.URL, Summary: h.Article.Summary, Draft: draft, Matched: h.Matched}
	}
	return out, nil
}

func (ui *UI) notes(ctx context.Context, c echo.Context, names map[int64]string, id int64) ([]noteView, error) {
	notes, err := ui.cfg.Store.FindNotes(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]noteView, len(notes))
	for i, n := range notes {
		out[i] = noteView{Author: ui.userName(c, names, n.AuthorID), Text: n.Text, At: n.CreatedAt, Kind: departmentKind(n.Kind)}
	}
	return out, nil
}

func (ui *UI) history(ctx context.Context, c echo.Context, names map[int64]string, id int64) ([]historyView, error) {
	entries, err := ui.cfg.Store.FindAudit(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]historyView, len(entries))
	for i, e := range entries {
		actor := ui.userName(c, names, e.ActorID)
		if e.ActorID == 0 {
			actor = "inkorg"
		}
		out[i] = historyView{Actor: actor, Action: historyAction(e), At: e.CreatedAt}
	}
	changes, err := ui.cfg.Store.FindSystemStatusChanges(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, ch := range changes {
		out = append(out, systemChangeView(ch))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// actionWake names in the history a snooze entry that ended a snooze
// ("Väck nu") rather than set one: the service audits both as a snooze.
const actionWake = "wake"

// historyAction is the action the history names entry e by.
func historyAction(e *inbox.AuditEntry) string {
	if e.Action != inbox.ActionSnooze {
		return e.Action
	}
	var d inbox.AuditDetail
	if err := json.Unmarshal([]byte(e.Detail), &d); err == nil && d.After.SnoozedUntil == nil {
		return actionWake
	}
	return e.Action
}

// systemChangeView shows a status change no staff action made: what the
// citizen's writing did, or the status it set.
func systemChangeView(ch inbox.SystemStatusChange) historyView {
	v := historyView{At: ch.At, Change: "hist.status"}
	switch {
	case ch.Reopened():
		v.Change = "hist.reopened"
	case ch.Status == inbox.StatusOpen && ch.From == inbox.StatusPending:
		v.Change = "hist.answered"
	case ch.Status == inbox.StatusNew && ch.From == "":
		v.Change = "hist.started"
	default:
		v.Status = "status." + string(ch.Status)
	}
	return v
}

// hideKind is the kind of personal data a comment triage recommends
// hiding is hidden for: a personal identity or coordination number when
// it holds one, as triage's private reply says, else a card number.
func hideKind(t *inbox.Triage) inbox.SensitiveKind {
	if !t.HasSensitive(inbox.SensitivePersonalIdentityNumber, inbox.SensitiveCoordinationNumber) &&
		t.HasSensitive(inbox.SensitivePaymentCard) {
		return inbox.SensitivePaymentCard
	}
	return inbox.SensitivePersonalIdentityNumber
}
