package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// ClaimInput is the body of POST /api/v1/conversations/{id}/claim; it may
// be empty.
type ClaimInput struct {
	// Takeover takes the conversation from another user who holds it.
	Takeover bool `json:"takeover"`
}

// AssignInput is the body of POST /api/v1/conversations/{id}/assign.
type AssignInput struct {
	AssigneeID int64 `json:"assignee_id"`
}

// RouteInput is the body of POST /api/v1/conversations/{id}/route.
type RouteInput struct {
	AdministrationID string `json:"administration_id"`
	Question         string `json:"question"`
}

// TextInput is the body of the note, answer and return actions.
type TextInput struct {
	Text string `json:"text"`
}

// TagsInput is the body of POST /api/v1/conversations/{id}/tags.
type TagsInput struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// StatusInput is the body of POST /api/v1/conversations/{id}/status:
// pending, resolved, open (or reopen) or spam.
type StatusInput struct {
	Status inbox.Status `json:"status"`
}

// SnoozeInput is the body of POST /api/v1/conversations/{id}/snooze; a
// null or missing until wakes the conversation.
type SnoozeInput struct {
	Until *time.Time `json:"until"`
}

// maxActionBody bounds the body of an action; notes are at most
// inbox.MaxNoteLength bytes of text.
const maxActionBody = 64 << 10

// actions serves the work actions on conversations.
type actions struct {
	svc *inbox.Service
	// convs is where an action's conversation is looked up when its body
	// cannot be read (actionFirst).
	convs inbox.ConversationStore
}

// conversationAction is an action that returns the changed conversation.
type conversationAction func(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error)

// respond wraps fn in the steps every action shares: parse the id, run,
// answer with the conversation. The service checks that the caller may
// act before what it is given.
func (a *actions) respond(fn conversationAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := conversationID(c)
		if err != nil {
			return err
		}
		conv, err := fn(c, currentUser(c), id)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, conv)
	}
}

func (a *actions) claim(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in ClaimInput
	if err := actionFirst(c, a.convs, id, inbox.ActionClaim, bindOptional(c, &in)); err != nil {
		return nil, err
	}
	return a.svc.Claim(c.Request().Context(), actor, id, in.Takeover)
}

func (a *actions) assign(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in AssignInput
	if err := actionFirst(c, a.convs, id, inbox.ActionAssign, bind(c, &in, "assignee_id")); err != nil {
		return nil, err
	}
	return a.svc.Assign(c.Request().Context(), actor, id, in.AssigneeID)
}

func (a *actions) unassign(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	return a.svc.Unassign(c.Request().Context(), actor, id)
}

func (a *actions) route(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in RouteInput
	if err := actionFirst(c, a.convs, id, inbox.ActionRoute, bind(c, &in, "administration_id and question")); err != nil {
		return nil, err
	}
	return a.svc.Route(c.Request().Context(), actor, id, in.AdministrationID, in.Question)
}

func (a *actions) accept(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	return a.svc.Accept(c.Request().Context(), actor, id)
}

func (a *actions) answer(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in TextInput
	if err := actionFirst(c, a.convs, id, inbox.ActionAnswer, bind(c, &in, "text")); err != nil {
		return nil, err
	}
	return a.svc.AnswerBack(c.Request().Context(), actor, id, in.Text)
}

func (a *actions) giveBack(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in TextInput
	if err := actionFirst(c, a.convs, id, inbox.ActionReturn, bind(c, &in, "text")); err != nil {
		return nil, err
	}
	return a.svc.Return(c.Request().Context(), actor, id, in.Text)
}

func (a *actions) tags(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in TagsInput
	if err := actionFirst(c, a.convs, id, inbox.ActionTags, bind(c, &in, "add and remove")); err != nil {
		return nil, err
	}
	return a.svc.Tag(c.Request().Context(), actor, id, in.Add, in.Remove)
}

func (a *actions) status(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in StatusInput
	if err := actionFirst(c, a.convs, id, inbox.ActionStatus, bind(c, &in, "status")); err != nil {
		return nil, err
	}
	if in.Status == "reopen" {
		// The word staff use for it; the state it leads to is open.
		in.Status = inbox.StatusOpen
	}
	return a.svc.SetStatus(c.Request().Context(), actor, id, in.Status)
}

func (a *actions) snooze(c echo.Context, actor *inbox.User, id int64) (*inbox.Conversation, error) {
	var in SnoozeInput
	if err := actionFirst(c, a.convs, id, inbox.ActionSnooze, bindOptional(c, &in)); err != nil {
		return nil, err
	}
	return a.svc.Snooze(c.Request().Context(), actor, id, in.Until)
}

// addNote answers 201 with the note.
func (a *actions) addNote(c echo.Context) error {
	id, err := conversationID(c)
	if err != nil {
		return err
	}
	var in TextInput
	if err := actionFirst(c, a.convs, id, inbox.ActionNote, bind(c, &in, "text")); err != nil {
		return err
	}
	note, err := a.svc.AddNote(c.Request().Context(), currentUser(c), id, in.Text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, note)
}

// conversationID reads the {id} path parameter.
func conversationID(c echo.Context) (int64, error) {
	return pathID(c, "Conversation")
}

// actionFirst returns err, the refusal of the body of action on
// conversation id, unless the caller may not make the action at all:
// then that (404, 403), which the service would have said first had it
// been given a body it could read. A user who may not act on the
// conversation is told so, not what is wrong with the body they sent.
// The conversation is read here only when the body is refused.
func actionFirst(c echo.Context, store inbox.ConversationStore, id int64, action string, err error) error {
	if err == nil {
		return nil
	}
	if refused := inbox.CheckAction(c.Request().Context(), store, currentUser(c), id, action); refused != nil {
		return refused
	}
	return err
}

// bind decodes the JSON body into v; fields names them in the error,
// which also says what was wrong with the body.
func bind(c echo.Context, v any, fields string) error {
	if err := decodeBody(c, v); err != nil {
		sv, en := bodyProblem(err)
		return inbox.WrapError(inbox.EINVALID, err, "Anropets innehåll ska vara ett JSON-objekt med %s%s. / Body must be a JSON object with %s%s.",
			svFields(fields), sv, fields, en)
	}
	return nil
}

// bindOptional is bind for actions whose body may be left out.
func bindOptional(c echo.Context, v any) error {
	if err := decodeBody(c, v); err != nil && !errors.Is(err, io.EOF) {
		sv, en := bodyProblem(err)
		return inbox.WrapError(inbox.EINVALID, err, "Anropets innehåll ska vara tomt eller ett JSON-objekt%s. / Body must be empty or a JSON object%s.", sv, en)
	}
	return nil
}

// svFieldNames is the Swedish for the fields bind is given where a word
// for word translation would not do.
var svFieldNames = map[string]string{
	articleFields: "title, url (en https-adress på stadens domäner) och valfritt summary, body, administration, language, " +
		"keywords, tags, synonyms, templates, topic och active",
	userFields: "name, role, administrations (en specialist behöver en) och password (minst 12 tecken)",
}

// svFieldsWords turns the English joins of a field list into Swedish;
// the field names stay as they are.
var svFieldsWords = strings.NewReplacer(" and ", " och ", " or ", " eller ", " optionally ", " valfritt ")

// svFields is the Swedish for the fields named in bind's error.
func svFields(fields string) string {
	if sv, ok := svFieldNames[fields]; ok {
		return sv
	}
	return svFieldsWords.Replace(fields)
}

// svJSONKinds is the Swedish for inbox.JSONKind's and encoding/json's
// names of JSON values.
var svJSONKinds = map[string]string{
	"true or false":  "true eller false",
	"a string":       "en sträng",
	"a whole number": "ett heltal",
	"a number":       "ett tal",
	"a list":         "en lista",
	"an object":      "ett objekt",
	"bool":           "true eller false",
	"string":         "en sträng",
	"number":         "ett tal",
	"array":          "en lista",
	"object":         "ett objekt",
}

// svJSONKind is the Swedish for kind, or kind as it is.
func svJSONKind(kind string) string {
	if sv, ok := svJSONKinds[kind]; ok {
		return sv
	}
	return kind
}

// bodyProblem says what was wrong with a body decodeBody refused, in
// Swedish and in English, each as ": …" to follow what it must be, or ""
// when there is nothing to add.
func bodyProblem(err error) (sv, en string) {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var timeErr *time.ParseError
	var sizeErr *http.MaxBytesError
	switch {
	case errors.As(err, &sizeErr):
		// Cut off, the body would otherwise read as broken JSON.
		return fmt.Sprintf(": det är större än %d byte (en text är högst %d byte)", sizeErr.Limit, inbox.MaxNoteLength),
			fmt.Sprintf(": it is larger than %d bytes (a text is at most %d bytes)", sizeErr.Limit, inbox.MaxNoteLength)
	case errors.As(err, &timeErr):
		return fmt.Sprintf(": %q är ingen tidpunkt; ange en tidpunkt enligt RFC 3339 med tidszon, till exempel 2026-12-01T08:00:00+01:00", timeErr.Value),
			fmt.Sprintf(": %q is not a time; give an RFC 3339 time with its zone, such as 2026-12-01T08:00:00+01:00", timeErr.Value)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		kind := inbox.JSONKind(typeErr.Type)
		return fmt.Sprintf(": %q ska vara %s, inte %s", typeErr.Field, svJSONKind(kind), svJSONKind(typeErr.Value)),
			fmt.Sprintf(": %q must be %s, not %s", typeErr.Field, kind, typeErr.Value)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return ": det är inte giltig JSON", ": it is not valid JSON"
	case errors.Is(err, errTrailingData):
		return ": det finns mer efter JSON-objektet; skicka ett objekt och inget efter det",
			": it has more after the JSON object; send one object and nothing after it"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return ": det har inget fält " + field, ": it has no field " + field
	}
	return "", ""
}

func decodeBody(c echo.Context, v any) error {
	return decodeJSON(http.MaxBytesReader(c.Response(), c.Request().Body, maxActionBody), v)
}

// errTrailingData is decodeJSON's error for a body with more after its
// JSON value.
var errTrailingData = errors.New("data after the JSON value")

// decodeJSON decodes the one JSON value r holds into v, refusing unknown
// fields and anything but white space after the value ({"a":1} xyz, or a
// second object), which would otherwise be ignored unread.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	var sizeErr *http.MaxBytesError
	if _, err := dec.Token(); errors.As(err, &sizeErr) {
		return err
	} else if err != io.EOF {
		return errTrailingData
	}
	return nil
}

// addWork adds the notes and the audit history to a conversation's detail.
func (s *Server) addWork(ctx context.Context, d *ConversationDetail) error {
	notes, err := s.store.FindNotes(ctx, d.Conversation.ID)
	if err != nil {
		return err
	}
	history, err := s.store.FindAudit(ctx, d.Conversation.ID)
	if err != nil {
		return err
	}
	d.Notes, d.History = notes, history
	if d.Notes == nil {
		d.Notes = []*inbox.Note{}
	}
	if d.History == nil {
		d.History = []*inbox.AuditEntry{}
	}
	return nil
}
