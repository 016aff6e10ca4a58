package httpapi

import (
	"net/http"
	"net/url"
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
	AssigneeID int64               `json:"assignee_id,omitempty"`
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
	req := inbox.BulkRequest{IDs: in.IDs, Action: in.Action, AssigneeID: in.AssigneeID, Tags: in.Tags}
	if in.Reply != nil {
		req.Reply = *in.Reply
	}
	if in.Filter != nil {
		v := url.Values{}
		for k, val := range in.Filter {
			if k == "cursor" || k == "limit" {
				return req, inbox.Errorf(inbox.EINVALID, "A bulk filter selects every match; leave out %q.", k)
			}
			v.Set(k, val)
		}
		f, err := parseConversationFilter(v, user, time.Now())
		if err != nil {
			return req, err
		}
		req.Filter = &f
	}
	return req, nil
}
