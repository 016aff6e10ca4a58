package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// snoozeInputLayout is how a datetime-local input sends its value.
const snoozeInputLayout = "2006-01-02T15:04"

// Tags serves POST /conversations/:id/tags: add the comma-separated tags
// in "add" and remove the tag in "remove". Tags that are refused stay in
// the form, to correct.
func (ui *UI) Tags(c echo.Context) error {
	return ui.actKeeping("flash.tags", typedTags, func(c echo.Context, u *inbox.User, id int64) error {
		var add, remove []string
		for _, t := range strings.Split(c.FormValue("add"), ",") {
			if strings.TrimSpace(t) != "" {
				add = append(add, t)
			}
		}
		if t := c.FormValue("remove"); t != "" {
			remove = []string{t}
		}
		_, err := ui.cfg.Service.Tag(c.Request().Context(), u, id, add, remove)
		return err
	})(c)
}

// Snooze serves POST /conversations/:id/snooze: snooze until "until", a
// local date and time (Europe/Stockholm) as a datetime-local input sends
// it, or wake the conversation now with "wake".
func (ui *UI) Snooze(c echo.Context) error {
	id, ok := inbox.ParseID(c.Param("id"))
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	wake := c.FormValue("wake") != ""
	var until *time.Time
	var err error
	if !wake {
		t, key := ui.snoozeTime(c.FormValue("until"))
		if key != "" {
			err = inbox.Errorf(inbox.EINVALID, "%s / %s", translate("sv", key), translate("en", key))
		}
		until = &t
	}
	if err == nil {
		_, err = ui.cfg.Service.Snooze(c.Request().Context(), currentUser(c), id, until)
	}
	if !wake && keptStatus(err) != 0 {
		// The time asked for stays in the form, to correct.
		return ui.conversationAgain(c, id, err, &typedForms{Snooze: c.FormValue("until")})
	}
	okKey := "flash.snoozed"
	if wake {
		okKey = "flash.woken"
	}
	return ui.done(c, err, okKey, fmt.Sprintf("/conversations/%d", id))
}

// snoozeLayouts are the snooze times snoozeTime reads.
var snoozeLayouts = []string{snoozeInputLayout, snoozeInputLayout + ":05", "2006-01-02 15:04", "2006-01-02 15:04:05"}

// snoozeTime reads a snooze time in the UI's zone, or names the text
// saying what is wrong with it.
func (ui *UI) snoozeTime(v string) (time.Time, string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, "snooze.missing"
	}
	// The date-time field sends 2006-01-02T15:04, some browsers with
	// seconds; typed by hand (a browser without the picker) it is written
	// as the error asks, with a space.
	var t time.Time
	var err error
	for _, layout := range snoozeLayouts {
		if t, err = time.ParseInLocation(layout, v, ui.cfg.Location); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, "snooze.invalid"
	}
	now := ui.cfg.Now()
	switch {
	case !t.After(now):
		return time.Time{}, "snooze.past"
	case t.Sub(now) > inbox.MaxSnooze:
		return time.Time{}, "snooze.toolong"
	}
	return t, ""
}

// Unassign serves POST /conversations/:id/unassign.
func (ui *UI) Unassign(c echo.Context) error {
	return ui.act("flash.unassigned", func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.Unassign(c.Request().Context(), u, id)
		return err
	})(c)
}

// Assign serves POST /conversations/:id/assign: give the conversation to
// the user named "user". Taking it from someone else who holds it needs
// "takeover" ticked, so no one's work is taken by mistake. A refused
// assignment (no such user, or held by someone else) shows the page again
// with the name in the form, to correct or to send again with take over.
func (ui *UI) Assign(c echo.Context) error {
	return ui.actKeeping("flash.assigned", typedAssign, func(c echo.Context, u *inbox.User, id int64) error {
		ctx := c.Request().Context()
		name := strings.TrimSpace(c.FormValue("user"))
		if name == "" {
			return inbox.Errorf(inbox.EINVALID, "Ange användaren att tilldela ärendet. / Name the user to assign the conversation to.")
		}
		assignee, err := ui.userNamed(ctx, name)
		if err != nil {
			return err
		}
		takeover := c.FormValue("takeover") == "1"
		if assignee.ID == u.ID {
			// Assigning oneself is a claim, taking over when ticked.
			_, err = ui.cfg.Service.Claim(ctx, u, id, takeover)
			return err
		}
		if !takeover {
			if err := ui.heldByAnother(ctx, u, id, assignee.ID); err != nil {
				return err
			}
		}
		_, err = ui.cfg.Service.Assign(ctx, u, id, assignee.ID)
		return err
	})(c)
}

// userNamed returns the user a form names: the one with that name, else
// the one whose name is the same ignoring case and Unicode form (names are
// unique that way), as a note's @mention finds them.
func (ui *UI) userNamed(ctx context.Context, name string) (*inbox.User, error) {
	u, err := ui.cfg.Store.FindUserByName(ctx, name)
	if inbox.ErrorCode(err) != inbox.ENOTFOUND {
		return u, err
	}
	users, err := ui.cfg.Store.FindUsersByNameFold(ctx, name)
	switch {
	case err != nil:
		return nil, err
	case len(users) == 1:
		return ui.cfg.Store.FindUserByID(ctx, users[0].ID)
	case len(users) > 1:
		return nil, inbox.Errorf(inbox.EINVALID, "Flera användare heter %q med olika stora och små bokstäver; skriv namnet exakt. / Several users are named %q in different case; write the name exactly.", name, name)
	}
	return nil, inbox.Errorf(inbox.EINVALID, "Det finns ingen användare som heter %q. / There is no user named %q.", name, name)
}

// heldByAnother returns the error naming the holder when someone other
// than actor and the new assignee holds conversation id.
func (ui *UI) heldByAnother(ctx context.Context, actor *inbox.User, id, assigneeID int64) error {
	conv, err := ui.cfg.Store.FindConversationByID(ctx, id)
	if err != nil {
		return err
	}
	if !actor.CanSee(conv) {
		return inbox.Errorf(inbox.ENOTFOUND, "Ärende %d finns inte. / There is no conversation %d.", id, id)
	}
	holder := conv.AssigneeID
	if holder == 0 || holder == actor.ID || holder == assigneeID {
		return nil
	}
	h, err := ui.cfg.Store.FindUserByID(ctx, holder)
	if err != nil {
		return err
	}
	return inbox.WrapError(inbox.ECONFLICT, &inbox.HeldError{UserID: h.ID, Name: h.Name},
		"%s is working on this conversation; tick take over to assign it.", h.Name)
}

// workForms is what the conversation page's work forms show.
type workForms struct {
	// SnoozedUntil is the running snooze in the UI's zone, "" for none.
	SnoozedUntil string
	// SnoozeMin and SnoozeValue are the snooze input's earliest and
	// shown values: tomorrow at 08:00, or the time asked for when it was
	// refused.
	SnoozeMin, SnoozeValue string
	CanAssign, CanUnassign bool
	// CanTag reports that the reader may change the tags and wake a
	// snoozed conversation: no one else holds it (they take it over
	// first). CanSnooze adds that it is neither resolved nor spam.
	CanTag, CanSnooze bool
	// Zone names the UI's time zone.
	Zone string
}

func (ui *UI) workForms(u *inbox.User, c *inbox.Conversation) workForms {
	now := ui.cfg.Now().In(ui.cfg.Location)
	y, m, d := now.Date()
	w := workForms{
		SnoozeMin:   now.Format(snoozeInputLayout),
		SnoozeValue: time.Date(y, m, d+1, 8, 0, 0, 0, ui.cfg.Location).Format(snoozeInputLayout),
		CanAssign:   u.CanAssignOthers(),
		CanUnassign: c.AssigneeID != 0 && (c.AssigneeID == u.ID || u.CanAssignOthers()),
		CanTag:      !heldByOther(u, c),
		CanSnooze:   !heldByOther(u, c) && !closed(c),
		Zone:        ui.cfg.Location.String(),
	}
	if c.SnoozedUntil != nil && c.SnoozedUntil.After(now) {
		w.SnoozedUntil = c.SnoozedUntil.In(ui.cfg.Location).Format("2006-01-02 15:04")
	}
	return w
}

// heldByOther reports whether another user than u holds c: then u's
// claim-bound actions (tags, snooze, status, route) are refused until u
// takes it over, so the page offers the takeover instead of them.
func heldByOther(u *inbox.User, c *inbox.Conversation) bool {
	return c.AssigneeID != 0 && c.AssigneeID != u.ID
}

// closed reports whether c is resolved or spam: it is neither snoozed nor
// routed until it is reopened.
func closed(c *inbox.Conversation) bool {
	return c.Status == inbox.StatusResolved || c.Status == inbox.StatusSpam
}

// canRoute reports whether the route form is offered to u on c: u may
// route, no one else holds c, and it is not closed.
func canRoute(u *inbox.User, c *inbox.Conversation) bool {
	return u.CanRoute(c) && !heldByOther(u, c) && !closed(c)
}
