package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// listData is what the inbox page shows.
type listData struct {
	Queues []queueTab
	Items  []listItem
	Filter filterForm
	// NextURL is the next page of the list, "" on the last; FirstURL is
	// its first page, "" on the first.
	NextURL, FirstURL string
	Admins            []Administration
	// Accounts are the managed accounts the list can be filtered by.
	Accounts []*inbox.Account
	// Bulk is the outcome of the bulk action just done, if any.
	Bulk *bulkView
	// BulkCount is how many conversations the bulk form's "every one
	// matching the filter" acts on; BulkOver is set when that is more
	// than inbox.MaxBulkItems, which bulk refuses.
	BulkCount int
	BulkOver  bool
	// BulkTyped is the bulk form as filled in, when the page is shown
	// again after the bulk request was refused; empty otherwise.
	BulkTyped bulkTyped
}

// queueTab is one queue with its count.
type queueTab struct {
	Queue   string
	Key     string
	Count   int
	Current bool
	URL     string
}

// listItem is one conversation in the list.
type listItem struct {
	C        *inbox.Conversation
	Waiting  time.Duration
	Admin    string
	Assignee string
}

// filterForm is the filter as the form shows it.
type filterForm struct {
	Queue, Status, Channel, Priority, Language, Q, Sort, Administration string
	// Account is the id of a managed account whose conversations to keep.
	Account string
	// Tag keeps conversations with this tag, such as a crisis alert's.
	Tag string
	// Cursor is where the page starts, "" for the first page. Links to
	// another queue or filter leave it out: they start at their first.
	Cursor string
}

// Inbox serves GET /: the queues with their counts and the conversations
// of the chosen queue, oldest waiting first. With the header
// X-Partial: list only the list is rendered, for the live update script.
func (ui *UI) Inbox(c echo.Context) error {
	u := currentUser(c)
	return ui.inbox(c, u, filterFromQuery(c, u), nil)
}

// inboxAgain is a refused bulk request to show on the inbox page: why,
// and the form as it was filled in.
type inboxAgain struct {
	err   error
	typed *bulkTyped
}

// inbox renders the inbox page for the filter form; again, when set,
// shows a refused bulk request again.
func (ui *UI) inbox(c echo.Context, u *inbox.User, form filterForm, again *inboxAgain) error {
	if _, ok := inbox.ParseID(form.Account); form.Account != "" && !ok {
		return ui.fail(c, inbox.Errorf(inbox.EINVALID, "Kontot i filtret är inget konto: %q. / The account in the filter is no account: %q.", form.Account, form.Account))
	}
	f := form.filter()
	f.Now = ui.cfg.Now()
	if err := u.Scope(&f); err != nil {
		return ui.fail(c, err)
	}
	if err := f.Validate(); err != nil {
		return ui.fail(c, err)
	}
	ctx := c.Request().Context()
	res, err := ui.cfg.Store.FindConversations(ctx, f)
	if err != nil {
		return ui.fail(c, err)
	}
	counts, err := ui.cfg.Store.CountQueues(ctx, f)
	if err != nil {
		return ui.fail(c, err)
	}
	d := listData{Filter: form, Admins: ui.cfg.Administrations}
	if d.Accounts, err = ui.cfg.Store.FindAccounts(ctx); err != nil {
		return ui.fail(c, err)
	}
	if res.Next != "" {
		d.NextURL = form.URL() + "&" + url.Values{"cursor": {res.Next}}.Encode()
	}
	if form.Cursor != "" {
		d.FirstURL = form.URL()
	}
	d.Queues = queueTabs(form, counts)
	names := map[int64]string{}
	for _, conv := range res.Conversations {
		d.Items = append(d.Items, listItem{C: conv, Waiting: waiting(conv, f.Now), Admin: ui.adminName(conv.AdministrationID),
			Assignee: ui.userName(c, names, conv.AssigneeID)})
	}
	p := ui.newPage(c, "inbox.title", "inbox")
	p.Data = d
	if c.Request().Header.Get("X-Partial") == "list" {
		return ui.renderTemplate(c, http.StatusOK, "inbox", "list", p)
	}
	d.Bulk = takeBulkOutcome(c, p.Lang)
	if d.BulkCount, err = ui.bulkCount(ctx, f, res); err != nil {
		return ui.fail(c, err)
	}
	d.BulkOver = d.BulkCount > inbox.MaxBulkItems
	status := http.StatusOK
	if again != nil {
		d.BulkTyped, status = *again.typed, keptStatus(again.err)
		p.Flash = &flash{Kind: "error", Text: errorText(p.Lang, again.err)}
	}
	p.Data = d
	return ui.render(c, status, "inbox", p)
}

func filterFromQuery(c echo.Context, u *inbox.User) filterForm {
	q := c.QueryParams()
	form := filterForm{Queue: q.Get("queue"), Status: q.Get("status"), Channel: q.Get("channel"), Priority: q.Get("priority"),
		Language: q.Get("language"), Q: q.Get("q"), Sort: q.Get("sort"), Administration: q.Get("administration"), Tag: q.Get("tag"),
		Account: q.Get("account"), Cursor: q.Get("cursor")}
	if !q.Has("queue") {
		form.Queue = string(inbox.QueueUnassigned)
		if u.Role == inbox.RoleSpecialist {
			form.Queue = string(inbox.QueueDepartment)
		}
	}
	if form.Sort == "" {
		form.Sort = string(inbox.SortOldestWaiting)
	}
	return form
}

// filter turns the form into a domain filter; Validate checks the values.
func (f filterForm) filter() inbox.ConversationFilter {
	var out inbox.ConversationFilter
	out.Queue = inbox.WorkQueue(f.Queue)
	out.Sort = inbox.Sort(f.Sort)
	out.Text = f.Q
	if f.Status != "" {
		out.Status = []inbox.Status{inbox.Status(f.Status)}
	}
	if f.Channel != "" {
		out.Channel = []inbox.Channel{inbox.Channel(f.Channel)}
	}
	if f.Priority != "" {
		out.Priority = []inbox.Priority{inbox.Priority(f.Priority)}
	}
	if f.Language != "" {
		out.Language = []string{f.Language}
	}
	if f.Administration != "" {
		out.AdministrationID = []string{f.Administration}
	}
	if f.Tag != "" {
		out.Tag = []string{f.Tag}
	}
	if f.Account != "" {
		// An id that is none keeps no conversation, never all of them:
		// bulk acts on what the filter keeps.
		id, ok := inbox.ParseID(f.Account)
		if !ok {
			id = -1
		}
		out.AccountID = []int64{id}
	}
	out.Limit = inbox.DefaultPageSize
	out.After = f.Cursor
	return out
}

// queueTabs lists every queue, and "all", with links keeping the other
// filters.
func queueTabs(form filterForm, counts inbox.WorkQueueCounts) []queueTab {
	tabs := make([]queueTab, 0, len(inbox.WorkQueues)+1)
	for _, q := range append(append([]inbox.WorkQueue{}, inbox.WorkQueues...), "") {
		f := form
		f.Queue = string(q)
		key := "queue." + string(q)
		if q == "" {
			key = "queue.all"
		}
		tabs = append(tabs, queueTab{Queue: string(q), Key: key, Count: counts[q], Current: form.Queue == string(q), URL: "/?" + f.query()})
	}
	return tabs
}

// URL is the inbox page showing the filter.
func (f filterForm) URL() string { return "/?" + f.query() }

func (f filterForm) query() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	v.Set("queue", f.Queue)
	set("status", f.Status)
	set("channel", f.Channel)
	set("priority", f.Priority)
	set("language", f.Language)
	set("q", f.Q)
	set("sort", f.Sort)
	set("administration", f.Administration)
	set("tag", f.Tag)
	set("account", f.Account)
	return v.Encode()
}

// waiting is how long the citizen has waited for an answer.
func waiting(c *inbox.Conversation, now time.Time) time.Duration {
	if c.WaitingSince == nil {
		return 0
	}
	return now.Sub(*c.WaitingSince)
}

// userName returns the name of user id, looked up once per request.
func (ui *UI) userName(c echo.Context, cache map[int64]string, id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := cache[id]; ok {
		return n
	}
	name := "#"
	if u, err := ui.cfg.Store.FindUserByID(c.Request().Context(), id); err == nil {
		name = u.Name
	}
	cache[id] = name
	return name
}
