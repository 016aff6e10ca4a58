package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// bulkCookie carries the outcome of a bulk action to the page after the
// redirect.
const bulkCookie = "inkorg_bulk"

// Limits on what the bulk outcome keeps, so it fits in a cookie.
const (
	bulkShownFailures = 10
	bulkMessageRunes  = 160
)

// bulkOutcome is what the inbox shows after a bulk action.
type bulkOutcome struct {
	Done     int           `json:"d"`
	Total    int           `json:"t"`
	Failures []bulkFailure `json:"f,omitempty"`
	// More is how many failures are not listed.
	More int `json:"m,omitempty"`
}

// bulkFailure is one conversation the action failed for, and why.
type bulkFailure struct {
	ID      int64  `json:"i"`
	Code    string `json:"c"`
	Message string `json:"s"`
	// Holder names the user who holds the conversation, when that is
	// why; the page says so in its own language.
	Holder string `json:"h,omitempty"`
}

// bulkView is the outcome as the page shows it, in the page's language.
type bulkView struct {
	Done, Total, Failed, More int
	Failures                  []bulkFailureView
}

type bulkFailureView struct {
	ID   int64
	Text string
}

// Bulk serves POST /bulk: do one action (assign, tag, resolve, reply) to
// the conversations ticked in the list ("id"), or to every one matching
// the list's filter ("scope" = "filter"), then go back to the list and
// show how many succeeded and which failed, and why.
func (ui *UI) Bulk(c echo.Context) error {
	u := currentUser(c)
	form := bulkFilterForm(c)
	back := "/?" + form.query()
	req, err := ui.bulkRequest(c, u, form)
	if err == nil {
		var results []inbox.BulkResult
		if results, err = ui.cfg.Service.Bulk(c.Request().Context(), u, req); err == nil {
			setBulkOutcome(c, outcomeOf(langOf(c), results))
			return c.Redirect(http.StatusSeeOther, back)
		}
	}
	if keptStatus(err) != 0 {
		// Show the form again as filled in, so a prepared answer is
		// not lost to a forgotten tick.
		return ui.inbox(c, u, form, &inboxAgain{err: err, typed: typedBulk(c)})
	}
	return ui.done(c, err, "", back)
}

// bulkCount is how many conversations the filter f selects for bulk work,
// res being its first page.
func (ui *UI) bulkCount(ctx context.Context, f inbox.ConversationFilter, res inbox.ConversationPage) (int, error) {
	if res.Next == "" && f.After == "" {
		return len(res.Conversations), nil
	}
	return ui.cfg.Service.BulkFilterCount(ctx, f)
}

// bulkFilterForm reads the list filter the bulk form was posted from.
func bulkFilterForm(c echo.Context) filterForm {
	form := filterForm{Queue: c.FormValue("queue"), Status: c.FormValue("status"), Channel: c.FormValue("channel"),
		Priority: c.FormValue("priority"), Language: c.FormValue("language"), Q: c.FormValue("q"), Sort: c.FormValue("sort"),
		Administration: c.FormValue("administration"), Tag: c.FormValue("tag"), Account: c.FormValue("account")}
	if form.Sort == "" {
		form.Sort = string(inbox.SortOldestWaiting)
	}
	return form
}

// bulkRequest reads the selection and the action from the form.
func (ui *UI) bulkRequest(c echo.Context, u *inbox.User, form filterForm) (inbox.BulkRequest, error) {
	req := inbox.BulkRequest{Action: inbox.BulkAction(c.FormValue("action"))}
	switch c.FormValue("scope") {
	case "filter":
		f := form.filter()
		f.Now = ui.cfg.Now()
		if err := u.Scope(&f); err != nil {
			return req, err
		}
		if err := f.Validate(); err != nil {
			return req, err
		}
		req.Filter = &f
	case "", "selected":
		values, _ := c.FormParams()
		for _, raw := range values["id"] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || id <= 0 {
				return req, inbox.Errorf(inbox.EINVALID, "Ärendenummer är positiva heltal. / Conversation ids must be positive integers.")
			}
			req.IDs = append(req.IDs, id)
		}
		if len(req.IDs) == 0 {
			return req, inbox.Errorf(inbox.EINVALID, "Markera ärendena att arbeta med, eller välj alla som matchar filtret. / Tick the conversations to act on, or choose every conversation matching the filter.")
		}
	default:
		return req, inbox.Errorf(inbox.EINVALID, "Okänt urval %q; välj markerade eller filtret. / Unknown selection %q; use selected or filter.", c.FormValue("scope"), c.FormValue("scope"))
	}
	switch req.Action {
	case inbox.BulkAssign:
		name := strings.TrimSpace(c.FormValue("user"))
		if name == "" {
			return req, inbox.Errorf(inbox.EINVALID, "Ange användaren att tilldela ärendena. / Name the user to assign the conversations to.")
		}
		assignee, err := ui.userNamed(c.Request().Context(), name)
		if err != nil {
			return req, err
		}
		req.AssigneeID = assignee.ID
	case inbox.BulkTag:
		for _, t := range strings.Split(c.FormValue("tags"), ",") {
			if strings.TrimSpace(t) != "" {
				req.Tags = append(req.Tags, t)
			}
		}
	case inbox.BulkReply:
		req.Reply = inbox.ReplyRequest{Kind: inbox.ReplyKind(c.FormValue("kind")), Text: c.FormValue("text")}
	}
	return req, nil
}

// outcomeOf sums the results up, keeping the first failures with their
// messages in lang.
func outcomeOf(lang string, results []inbox.BulkResult) bulkOutcome {
	o := bulkOutcome{Total: len(results)}
	for _, r := range results {
		switch {
		case r.OK:
			o.Done++
		case len(o.Failures) < bulkShownFailures:
			msg := localMessage(lang, r.Message)
			if rs := []rune(msg); len(rs) > bulkMessageRunes {
				msg = string(rs[:bulkMessageRunes-1]) + "…"
			}
			f := bulkFailure{ID: r.ConversationID, Code: r.Code, Message: msg}
			if r.HeldBy != nil {
				// The page words it itself; the cookie need not carry the message.
				f.Holder, f.Message = r.HeldBy.Name, ""
			}
			o.Failures = append(o.Failures, f)
		default:
			o.More++
		}
	}
	return o
}

func setBulkOutcome(c echo.Context, o bulkOutcome) {
	raw, err := json.Marshal(o)
	if err != nil {
		return
	}
	setCookie(c, bulkCookie, base64.RawURLEncoding.EncodeToString(raw), 60)
}

// takeBulkOutcome returns the outcome kept for this page, in lang, and
// forgets it.
func takeBulkOutcome(c echo.Context, lang string) *bulkView {
	ck, err := c.Cookie(bulkCookie)
	if err != nil {
		return nil
	}
	setCookie(c, bulkCookie, "", -1)
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return nil
	}
	var o bulkOutcome
	if json.Unmarshal(raw, &o) != nil || o.Total <= 0 {
		return nil
	}
	v := &bulkView{Done: o.Done, Total: o.Total, Failed: o.Total - o.Done, More: o.More}
	for _, f := range o.Failures {
		v.Failures = append(v.Failures, bulkFailureView{ID: f.ID, Text: failureText(lang, f)})
	}
	return v
}

// failureText says why the action failed for one conversation, like a
// flash does for a single action.
func failureText(lang string, f bulkFailure) string {
	if f.Holder != "" {
		return strings.ReplaceAll(translate(lang, "error.held"), "%s", f.Holder)
	}
	prefix := translate(lang, "error."+f.Code)
	if f.Code == inbox.EINTERNAL || f.Code == inbox.EUNAVAILABLE || f.Message == "" {
		return prefix
	}
	return prefix + " " + f.Message
}
