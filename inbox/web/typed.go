package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// typedForms is what a user wrote into the conversation page's forms
// before the action was refused, shown again so that they can fix and
// resend it instead of writing it again.
type typedForms struct {
	Reply, ReplyKind string
	// ReplyTo is the comment the reply answers, 0 for the default.
	ReplyTo int64
	Note    string
	Answer  string
	// Route is set when the route form was sent: the question for the
	// department and the administration chosen.
	Route *typedRoute
	// Snooze is the time the snooze form asked for, "" when it was not
	// sent.
	Snooze string
	// Tags are the tags the tag form asked to add.
	Tags string
	// Assignee is the user the assign form named.
	Assignee string
}

// typedRoute is the route form as the user filled it in.
type typedRoute struct {
	Administration, Question string
}

func typedReply(c echo.Context) *typedForms {
	t := &typedForms{Reply: c.FormValue("text"), ReplyKind: c.FormValue("kind")}
	if id, err := strconv.ParseInt(c.FormValue("reply_to"), 10, 64); err == nil && id > 0 {
		t.ReplyTo = id
	}
	return t
}

func typedNote(c echo.Context) *typedForms { return &typedForms{Note: c.FormValue("text")} }

func typedAnswer(c echo.Context) *typedForms { return &typedForms{Answer: c.FormValue("text")} }

func typedTags(c echo.Context) *typedForms { return &typedForms{Tags: c.FormValue("add")} }

func typedAssign(c echo.Context) *typedForms { return &typedForms{Assignee: c.FormValue("user")} }

func typedRouteForm(c echo.Context) *typedForms {
	return &typedForms{Route: &typedRoute{Administration: c.FormValue("administration"), Question: c.FormValue("question")}}
}

// keptStatus is the status of the page shown again after err, or 0 when
// err is not one the user can fix by changing the form or ticking take
// over (those go the usual way: a flash or an error page).
func keptStatus(err error) int {
	switch inbox.ErrorCode(err) {
	case inbox.EINVALID:
		return http.StatusUnprocessableEntity
	case inbox.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case inbox.ECONFLICT:
		return http.StatusConflict
	}
	return 0
}

// conversationAgain shows conversation id again after its action failed
// with err, saying why and with what the user typed in the forms.
func (ui *UI) conversationAgain(c echo.Context, id int64, err error, typed *typedForms) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	conv, msgs, ferr := ui.cfg.Store.FindConversationThread(ctx, id)
	if ferr != nil || !u.CanSee(conv) {
		return ui.done(c, err, "", fmt.Sprintf("/conversations/%d", id))
	}
	d, ferr := ui.conversationData(ctx, c, u, conv, msgs)
	if ferr != nil {
		return ui.fail(c, ferr)
	}
	if !slices.Contains(d.ReplyKinds, typed.ReplyKind) {
		typed.ReplyKind = d.ReplyKinds[0]
	}
	d.Typed = typed
	if typed.Snooze != "" {
		d.Work.SnoozeValue = typed.Snooze
	}
	if r := typed.Route; r != nil {
		// The administration chosen, or the placeholder when it was none
		// or one the form does not list.
		d.Routing.Selected = ""
		if _, known := ui.names[r.Administration]; known {
			d.Routing.Selected = r.Administration
		}
	}
	p := ui.newPage(c, "conv.title", "inbox")
	p.Flash = &flash{Kind: "error", Text: errorText(p.Lang, err)}
	p.Data = d
	return ui.render(c, keptStatus(err), "conversation", p)
}

// bulkTyped is the bulk form as the user filled it in before the request
// was refused.
type bulkTyped struct {
	Action, Scope, User, Tags, Kind, Text string
}

func typedBulk(c echo.Context) *bulkTyped {
	return &bulkTyped{Action: c.FormValue("action"), Scope: c.FormValue("scope"), User: c.FormValue("user"),
		Tags: c.FormValue("tags"), Kind: c.FormValue("kind"), Text: c.FormValue("text")}
}
