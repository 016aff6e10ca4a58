package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// BulkInput is the body of POST /api/v1/bulk: which conversations (ids,
// or a filter with the names and values of the list's query parameters)
// and what to do to each.
type BulkInput struct {
	IDs        []int64             `json:"ids,omitempty"`
	Filter     map[string]string   `json:"filter,omitempty"`
	Action     inbox.BulkAction    `json:"action"`
	AssigneeID *int64              `json:"assignee_id,omitempty"`
	Tags       []string            `json:"tags,omitempty"`
	Reply      *inbox.ReplyRequest `json:"reply,omitempty"`
}

// BulkOutput is the answer of POST /api/v1/bulk: one result per selected
// conversation, in order, and how many succeeded and failed.
type BulkOutput struct {
	Results   []inbox.BulkResult `json:"results"`
	Succeeded int                `json:"succeeded"`
	Failed    int                `json:"failed"`
}

func (a *actions) bulk(c echo.Context) error {
	var in BulkInput
	if err := bind(c, &in, `"action" and "ids" or "filter"`); err != nil {
		return err
	}
	req, err := bulkRequest(in, currentUser(c))
	if err != nil {
		return err
	}
	results, err := a.svc.Bulk(c.Request().Context(), currentUser(c), req)
	if err != nil {
		return err
	}
	out := BulkOutput{Results: results}
	for _, r := range results {
		if r.OK {
			out.Succeeded++
		} else {
			out.Failed++
		}
	}
	return c.JSON(http.StatusOK, out)
}

// bulkRequest turns the input into the service's request, scoping a
// filter to the user like the list.
func bulkRequest(in BulkInput, user *inbox.User) (inbox.BulkRequest, error) {
	if err := bulkFieldsOf(in); err != nil {
		return inbox.BulkRequest{}, err
	}
	req := inbox.BulkRequest{IDs: in.IDs, Action: in.Action, Tags: in.Tags}
	if in.AssigneeID != nil {
		req.AssigneeID = *in.AssigneeID
	}
	if in.Reply != nil {
		req.Reply = *in.Reply
	}
	if in.Filter != nil {
		v, err := bulkFilterValues(in.Filter)
		if err != nil {
			return req, err
		}
		f, err := parseConversationFilter(v, user, time.Now())
		if err != nil {
			return req, err
		}
		req.Filter = &f
	}
	return req, nil
}

// bulkFilterKeys are the list's query parameters a bulk filter may name.
// Paging (cursor, limit) is left out: a bulk filter selects every match.
var bulkFilterKeys = map[string]bool{
	"status": true, "channel": true, "administration": true, "account": true, "assignee": true,
	"tag": true, "language": true, "priority": true, "sensitive": true, "needs_human": true,
	"queue": true, "q": true, "since": true, "until": true, "sort": true,
}

// bulkFilterValues checks a bulk filter and returns it as query values. An
// unknown key (a typo) or an empty value would otherwise filter nothing
// and select every conversation the user sees, so both are EINVALID, and
// so is a filter without a condition ({} or only "sort", as from a client
// that leaves out empty fields).
func bulkFilterValues(filter map[string]string) (url.Values, error) {
	keys := make([]string, 0, len(filter))
	for k := range filter {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	v := url.Values{}
	for _, k := range keys {
		switch {
		case k == "cursor" || k == "limit":
			return nil, inbox.Errorf(inbox.EINVALID, "Ett massfilter väljer alla träffar; ta bort %q. / A bulk filter selects every match; leave out %q.", k, k)
		case !bulkFilterKeys[k]:
			return nil, inbox.Errorf(inbox.EINVALID, "Massfiltret har ingen nyckel %q; använd listans parametrar (status, tag, assignee, …). / "+
				"The bulk filter has no key %q; use the list's parameters (status, tag, assignee, …).", k, k)
		case strings.TrimSpace(filter[k]) == "" || len(splitList(filter[k])) == 0:
			return nil, inbox.Errorf(inbox.EINVALID, "Massfiltrets %q är tomt; ge det ett värde eller ta bort det. / The bulk filter's %q is empty; give it a value or leave it out.", k, k)
		}
		v.Set(k, filter[k])
	}
	if len(v) == 0 || (len(v) == 1 && v.Has("sort")) {
		return nil, inbox.Errorf(inbox.EINVALID, "Massfiltret har inget villkor och skulle välja alla ärenden du ser; "+
			"ange minst ett (status, tag, assignee, …) eller lista id:na. / "+
			"The bulk filter has no condition and would select every conversation you see; "+
			"name at least one (status, tag, assignee, …), or list the ids.")
	}
	return v, nil
}

// bulkFieldsOf refuses a field that belongs to another action than the
// one asked for ("tags" with "resolve", "reply" with "tag"): the action
// would be done without it, and the tags or the reply the caller meant
// to send would be lost without a word. A field given empty ("tags":[],
// "assignee_id":0) is given all the same; only null counts as left out.
func bulkFieldsOf(in BulkInput) error {
	switch in.Action {
	case inbox.BulkAssign, inbox.BulkTag, inbox.BulkResolve, inbox.BulkReply:
	default:
		return nil // the service names an unknown action
	}
	for _, f := range []struct {
		name   string
		given  bool
		action inbox.BulkAction
	}{
		{"assignee_id", in.AssigneeID != nil, inbox.BulkAssign},
		{"tags", in.Tags != nil, inbox.BulkTag},
		{"reply", in.Reply != nil, inbox.BulkReply},
	} {
		if f.given && in.Action != f.action {
			return inbox.Errorf(inbox.EINVALID, "%q hör till åtgärden %s, inte %q; ta bort det. / %q belongs to the action %s, not %q; leave it out.",
				f.name, f.action, in.Action, f.name, f.action, in.Action)
		}
	}
	return nil
}
