package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// act runs one work action from a form on conversation :id and goes back
// to the conversation (post, redirect, get).
func (ui *UI) act(okKey string, fn func(c echo.Context, u *inbox.User, id int64) error) echo.HandlerFunc {
	return ui.actKeeping(okKey, nil, fn)
}

// actKeeping is act for a form the user writes text in: when the action
// is refused, keep says what they typed, and the conversation is shown
// again with it instead of redirecting, so nothing written is lost.
func (ui *UI) actKeeping(okKey string, keep func(c echo.Context) *typedForms, fn func(c echo.Context, u *inbox.User, id int64) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, ok := inbox.ParseID(c.Param("id"))
		if !ok {
			return ui.errorPage(c, http.StatusNotFound, "error.not_found")
		}
		err := fn(c, currentUser(c), id)
		if keep != nil && keptStatus(err) != 0 {
			return ui.conversationAgain(c, id, err, keep(c))
		}
		return ui.done(c, err, okKey, fmt.Sprintf("/conversations/%d", id))
	}
}

// Claim serves POST /conversations/:id/claim.
func (ui *UI) Claim(c echo.Context) error {
	return ui.act("flash.claimed", func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.Claim(c.Request().Context(), u, id, c.FormValue("takeover") == "1")
		return err
	})(c)
}

// Route serves POST /conversations/:id/route. A refused route shows the
// page again with the question written for the department.
func (ui *UI) Route(c echo.Context) error {
	return ui.actKeeping("flash.routed", typedRouteForm, func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.Route(c.Request().Context(), u, id, c.FormValue("administration"), c.FormValue("question"))
		return err
	})(c)
}

// Reply serves POST /conversations/:id/reply. Taking the conversation
// over from a colleague needs the form's "takeover" ticked.
func (ui *UI) Reply(c echo.Context) error {
	return ui.actKeeping("flash.replied", typedReply, func(c echo.Context, u *inbox.User, id int64) error {
		r := inbox.ReplyRequest{Kind: inbox.ReplyKind(c.FormValue("kind")), Text: c.FormValue("text"), Takeover: c.FormValue("takeover") == "1"}
		if raw := c.FormValue("reply_to"); raw != "" {
			r.ReplyToMessageID, _ = strconv.ParseInt(raw, 10, 64)
		}
		_, err := ui.cfg.Service.Reply(c.Request().Context(), u, id, r)
		return err
	})(c)
}

// Note serves POST /conversations/:id/notes.
func (ui *UI) Note(c echo.Context) error {
	return ui.actKeeping("flash.noted", typedNote, func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.AddNote(c.Request().Context(), u, id, c.FormValue("text"))
		return err
	})(c)
}

// Accept serves POST /conversations/:id/accept.
func (ui *UI) Accept(c echo.Context) error {
	return ui.act("flash.accepted", func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.Accept(c.Request().Context(), u, id)
		return err
	})(c)
}

// Answer serves POST /conversations/:id/answer: the department answers
// back to the kontaktcenter.
func (ui *UI) Answer(c echo.Context) error {
	return ui.actKeeping("flash.answered", typedAnswer, func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.AnswerBack(c.Request().Context(), u, id, c.FormValue("text"))
		return err
	})(c)
}

// Return serves POST /conversations/:id/return.
func (ui *UI) Return(c echo.Context) error {
	return ui.actKeeping("flash.returned", typedAnswer, func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.Return(c.Request().Context(), u, id, c.FormValue("text"))
		return err
	})(c)
}

// Status serves POST /conversations/:id/status.
func (ui *UI) Status(c echo.Context) error {
	return ui.act("flash.status", func(c echo.Context, u *inbox.User, id int64) error {
		_, err := ui.cfg.Service.SetStatus(c.Request().Context(), u, id, inbox.Status(c.FormValue("status")))
		return err
	})(c)
}

// Hide serves POST /conversations/:id/hide: hide a public comment, for
// example one with a personal identity number in it. The comment must be
// one of this conversation's: the page the flash lands on is this one.
func (ui *UI) Hide(c echo.Context) error {
	return ui.act("flash.hidden", func(c echo.Context, u *inbox.User, id int64) error {
		msgID, err := strconv.ParseInt(c.FormValue("message"), 10, 64)
		if err != nil || msgID <= 0 {
			return inbox.Errorf(inbox.EINVALID, "Välj kommentaren att dölja. / Choose the comment to hide.")
		}
		ctx := c.Request().Context()
		m, err := ui.cfg.Store.FindMessageByID(ctx, msgID)
		if err != nil && inbox.ErrorCode(err) != inbox.ENOTFOUND {
			return err
		}
		if m == nil || m.ConversationID != id {
			return inbox.Errorf(inbox.EINVALID, "Kommentaren finns inte i det här ärendet. / The comment is not in this conversation.")
		}
		_, err = ui.cfg.Service.ModerateComment(ctx, u, msgID, inbox.CommentHide, c.FormValue("reason"))
		return err
	})(c)
}
