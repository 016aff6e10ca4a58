package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// moderationStates are the queue's tabs, in the order shown.
var moderationStates = []inbox.ModerationState{inbox.ModerationOpen, inbox.ModerationHidden, inbox.ModerationKept, inbox.ModerationDeleted}

// moderationCategories are the categories a decision may record.
var moderationCategories = []inbox.ModerationCategory{inbox.ModerationThreat, inbox.ModerationHate, inbox.ModerationPersonalData,
	inbox.ModerationSpam, inbox.ModerationAdvertising, inbox.ModerationHarassment, inbox.ModerationOther}

// moderationDecisions are the decisions staff choose from.
var moderationDecisions = []inbox.ModerationDecision{inbox.DecisionHide, inbox.DecisionDelete, inbox.DecisionRestore, inbox.DecisionKeep}

// moderationTab is one state of the queue.
type moderationTab struct {
	State   inbox.ModerationState
	Current bool
	URL     string
}

// moderationData is what the moderation page shows.
type moderationData struct {
	State      inbox.ModerationState
	Tabs       []moderationTab
	Flags      []*inbox.ModerationFlag
	Categories []inbox.ModerationCategory
	Decisions  []inbox.ModerationDecision
	// Next links to the next page, "" on the last.
	Next string
	// After is where this page starts (the message id before its first
	// comment), 0 on the first: a decision comes back to this page.
	After int64
}

// Moderation serves GET /moderation[?state=open|hidden|kept|deleted]
// [&after=ID]: flagged public comments, oldest first, each with a form to
// decide about it. Specialists see only comments of their
// administrations.
func (ui *UI) Moderation(c echo.Context) error {
	if ui.moderation == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	f := inbox.ModerationFilter{State: inbox.ModerationState(c.QueryParam("state")), Limit: inbox.DefaultPageSize}
	if f.State == "" {
		f.State = inbox.ModerationOpen
	}
	if raw := c.QueryParam("after"); raw != "" {
		var err error
		if f.AfterMessageID, err = strconv.ParseInt(raw, 10, 64); err != nil || f.AfterMessageID < 0 {
			return ui.fail(c, inbox.Errorf(inbox.EINVALID, "Sidan ska börja efter ett meddelandes id (after). / after must be a message id."))
		}
	}
	flags, err := ui.moderation.Queue(c.Request().Context(), currentUser(c), f)
	if err != nil {
		return ui.fail(c, err)
	}
	d := moderationData{State: f.State, Flags: flags, Categories: moderationCategories, Decisions: moderationDecisions, After: f.AfterMessageID}
	for _, s := range moderationStates {
		d.Tabs = append(d.Tabs, moderationTab{State: s, Current: s == f.State, URL: moderationURL(s)})
	}
	if len(flags) == f.Limit {
		d.Next = moderationURL(f.State) + "&after=" + strconv.FormatInt(flags[len(flags)-1].MessageID, 10)
	}
	p := ui.newPage(c, "mod.title", "moderation")
	p.Data = d
	return ui.render(c, http.StatusOK, "moderation", p)
}

// Decide serves POST /moderation/:id: hide, delete, restore or keep a
// comment with a category and a reason, then back to the queue tab and
// page the form was on.
func (ui *UI) Decide(c echo.Context) error {
	if ui.moderation == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	id, ok := inbox.ParseID(c.Param("id"))
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	_, err := ui.moderation.Decide(c.Request().Context(), currentUser(c), id, inbox.ModerationDecision(c.FormValue("decision")),
		inbox.ModerationCategory(c.FormValue("category")), c.FormValue("reason"))
	back := inbox.ModerationOpen
	for _, s := range moderationStates {
		if string(s) == c.FormValue("state") {
			back = s
		}
	}
	to := moderationURL(back)
	if after, perr := strconv.ParseInt(c.FormValue("after"), 10, 64); perr == nil && after > 0 {
		to += "&after=" + strconv.FormatInt(after, 10)
	}
	return ui.done(c, err, "flash.moderated", to)
}

// moderationURL is the queue tab of state s.
func moderationURL(s inbox.ModerationState) string {
	return "/moderation?" + url.Values{"state": {string(s)}}.Encode()
}
