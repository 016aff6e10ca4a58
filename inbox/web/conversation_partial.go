package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// partialThread is the X-Partial header value asking the conversation
// page for its live parts only.
const partialThread = "thread"

// conversationThread renders the parts of the conversation page that
// change without the agent doing anything (the facts, the thread, the
// messaging window, the outbound list, the claim and status buttons, the
// reply form's takeover box, the administration it is routed to, the
// notes, the history, the work panel's tags, snooze, unassign button and
// takeover box, and the department panel's question and buttons), each in
// the element of the same id on the page, for the live update script.
// The forms themselves and their fields are not in it, so what is being
// typed is never replaced.
func (ui *UI) conversationThread(c echo.Context, u *inbox.User, conv *inbox.Conversation, msgs []*inbox.Message) error {
	d, err := ui.threadData(c.Request().Context(), c, u, conv, msgs, map[int64]string{})
	if err != nil {
		return ui.fail(c, err)
	}
	// Not newPage: a flash message belongs to the next whole page.
	p := &page{Lang: langOf(c), Title: "conv.title", Nav: "inbox", Now: ui.cfg.Now(), Data: d}
	if s := sessionOf(c); s != nil {
		p.User, p.CSRF = s.user, s.session.CSRFToken
	}
	return ui.renderTemplate(c, http.StatusOK, "conversation", "live-parts", p)
}

// threadData is what the live parts of the conversation page show: the
// conversation, its messages, the post a comment thread hangs under, the
// messaging window, the outbound actions, whether u holds it, the
// statuses u may set, its administration, its notes and history, the
// work u may do on it and whether it waits on a department u may act for.
// msgs are the conversation's messages as stored, read with conv
// (FindConversationThread) so the facts and the thread agree; names caches
// user names for the request.
func (ui *UI) threadData(ctx context.Context, c echo.Context, u *inbox.User, conv *inbox.Conversation,
	msgs []*inbox.Message, names map[int64]string) (*convData, error) {
	var err error
	d := &convData{C: conv, Triage: conv.Triage, Assignee: ui.userName(c, names, conv.AssigneeID),
		HeldByMe: conv.AssigneeID == u.ID, HeldByOther: conv.AssigneeID != 0 && conv.AssigneeID != u.ID,
		Admin: ui.adminName(conv.AdministrationID), StatusChoices: statusChoices(u, conv)}
	d.setMessages(msgs)
	if d.Post = ui.threadPost(ctx, conv); d.Post != nil {
		d.PostLink = safePermalink(d.Post)
	}
	d.ReplyKinds, d.WindowLeft, d.WindowClosed = replyChoices(conv, ui.cfg.Now())
	if d.Live = liveThread(msgs); d.Live {
		d.ReplyKinds = []string{string(inbox.ReplyPrivate)}
	}
	if d.Account, err = ui.accountName(ctx, conv); err != nil {
		return nil, err
	}
	d.Work = ui.workForms(u, conv)
	d.CanAct = u.CanActForDepartment(conv) && conv.Status == inbox.StatusRouted
	if d.Notes, err = ui.notes(ctx, c, names, conv.ID); err != nil {
		return nil, err
	}
	if d.History, err = ui.history(ctx, c, names, conv.ID); err != nil {
		return nil, err
	}
	d.Outbound, err = ui.cfg.Service.OutboundActions(ctx, u, conv.ID)
	return d, err
}

// setMessages shows msgs as agents see them, each reply linked to the
// message it answers.
func (d *convData) setMessages(msgs []*inbox.Message) {
	for _, m := range msgs {
		d.Messages = append(d.Messages, m.ForAgents())
	}
	inbox.MarkParents(d.Messages)
}

// accountName returns the name of the managed account conv is on, or ""
// when conv's account is not managed.
func (ui *UI) accountName(ctx context.Context, conv *inbox.Conversation) (string, error) {
	if conv.UnknownAccount {
		return "", nil
	}
	accounts, err := ui.cfg.Store.FindAccounts(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range accounts {
		if a.Platform == conv.Platform && a.ExternalID == conv.AccountExternalID {
			return a.Name, nil
		}
	}
	return "", nil
}
