package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// ReplyInput is the body of POST /api/v1/conversations/{id}/reply.
type ReplyInput = inbox.ReplyRequest

// ModerateInput is the body of POST /api/v1/messages/{id}/hide, /unhide
// and /delete; it may be empty.
type ModerateInput struct {
	// Reason is why the comment is moderated, kept in the audit trail.
	Reason string `json:"reason"`
}

// outbound serves replies, comment moderation and their outbound state.
type outbound struct {
	svc *inbox.Service
	// convs is where a reply's conversation, or a moderated message, is
	// looked up when the body cannot be read (actionFirst, messageFirst).
	convs inbox.MessageVisibilityStore
}

// reply answers 202 with the reply's message, queued for the sender.
func (o *outbound) reply(c echo.Context) error {
	id, err := conversationID(c)
	if err != nil {
		return err
	}
	var in ReplyInput
	if err := actionFirst(c, o.convs, id, inbox.ActionReply, bind(c, &in, "kind and text")); err != nil {
		return err
	}
	m, err := o.svc.Reply(c.Request().Context(), currentUser(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, m)
}

// moderate answers 202 with the queued outbound action.
func (o *outbound) moderate(action inbox.CommentAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "Message")
		if err != nil {
			return err
		}
		var in ModerateInput
		if err := messageFirst(c, o.convs, id, bindOptional(c, &in)); err != nil {
			return err
		}
		a, err := o.svc.ModerateComment(c.Request().Context(), currentUser(c), id, action, in.Reason)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, a)
	}
}

// retry answers 202 with the action, queued again.
func (o *outbound) retry(c echo.Context) error {
	id, err := pathID(c, "Outbound action")
	if err != nil {
		return err
	}
	a, err := o.svc.RetryOutbound(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, a)
}

// list answers the outbound actions of a conversation, oldest first.
func (o *outbound) list(c echo.Context) error {
	id, err := conversationID(c)
	if err != nil {
		return err
	}
	list, err := o.svc.OutboundActions(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"outbound": list})
}

// pathID reads the {id} path parameter of a subject: a plain positive
// decimal integer (inbox.ParseID); "+8" or "08" is not id 8.
func pathID(c echo.Context, subject string) (int64, error) {
	id, ok := inbox.ParseID(c.Param("id"))
	if !ok {
		return 0, inbox.Errorf(inbox.EINVALID, "%s ska vara ett positivt heltal skrivet med bara siffror, till exempel 42. / "+
			"%s id must be a positive integer written with digits only, such as 42.", svSubjectID(subject), subject)
	}
	return id, nil
}

// svSubjectIDs names in Swedish the id of each subject pathID is given.
var svSubjectIDs = map[string]string{
	"Article":         "Artikelns id",
	"Contact":         "Kontaktens id",
	"Conversation":    "Ärendets id",
	"Message":         "Meddelandets id",
	"Outbound action": "Den utgående åtgärdens id",
	"Rule":            "Regelns id",
	"Token":           "API-tokens id",
	"User":            "Användarens id",
}

// svSubjectID is the Swedish for "<subject> id", or the id in the
// address for a subject it does not know.
func svSubjectID(subject string) string {
	if sv, ok := svSubjectIDs[subject]; ok {
		return sv
	}
	return "Id:t i adressen"
}

// messageFirst is actionFirst for the body of a request on message id:
// err, unless the message does not exist (404) or the caller may not see
// its conversation (403).
func messageFirst(c echo.Context, store inbox.MessageVisibilityStore, id int64, err error) error {
	if err == nil {
		return nil
	}
	if refused := inbox.CheckMessageVisible(c.Request().Context(), store, currentUser(c), id); refused != nil {
		return refused
	}
	return err
}

// sandboxCalls answers what the Graph API sandbox received: what would
// have been sent, by every process when the calls are logged, else by
// this one. Only mounted while the sandbox is the Graph API. The calls
// are the replies to every conversation, so supervisors and admins see
// them, as they see every conversation.
func sandboxCalls(sb *graph.Sandbox, log graph.CallLog) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentUser(c).CanReadReports() {
			return inbox.Errorf(inbox.EFORBIDDEN, "Bara arbetsledare och administratörer kan se vad sandlådan har tagit emot. / "+
				"Only supervisors and admins can see what the sandbox received.")
		}
		if log == nil {
			return c.JSON(http.StatusOK, map[string]any{"calls": sb.Calls()})
		}
		calls, err := log.FindCalls(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"calls": calls})
	}
}

// channels answers the health of every managed account, for supervisors.
func (o *outbound) channels(c echo.Context) error {
	list, err := o.svc.Channels(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"channels": list})
}
