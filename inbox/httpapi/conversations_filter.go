package httpapi

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
)

// parseConversationFilter reads a conversation filter from query
// parameters (or a bulk selection's filter object of the same names) and
// scopes it to what user may see. See openapi.json for every parameter.
func parseConversationFilter(v url.Values, user *inbox.User, now time.Time) (inbox.ConversationFilter, error) {
	var f inbox.ConversationFilter
	for _, s := range splitList(v.Get("status")) {
		f.Status = append(f.Status, inbox.Status(s))
	}
	for _, s := range splitList(v.Get("channel")) {
		f.Channel = append(f.Channel, inbox.Channel(s))
	}
	f.AdministrationID = splitList(v.Get("administration"))
	f.Tag = splitList(v.Get("tag"))
	// Languages are stored as lower-case codes; SV is sv, as in the
	// answer bank's language filter. Text that is not UTF-8 is left as
	// it is, for the filter's check to refuse (ToLower would mend it).
	f.Language = splitList(v.Get("language"))
	for i, l := range f.Language {
		if utf8.ValidString(l) {
			f.Language[i] = strings.ToLower(l)
		}
	}
	for _, s := range splitList(v.Get("priority")) {
		f.Priority = append(f.Priority, inbox.Priority(s))
	}
	f.Queue = inbox.WorkQueue(v.Get("queue"))
	f.Sort = inbox.Sort(v.Get("sort"))
	f.Text = v.Get("q")
	f.After = v.Get("cursor")
	f.Now = now
	var err error
	if f.AccountID, err = idList("account", v.Get("account")); err != nil {
		return f, err
	}
	if err = parseAssignee(&f, v.Get("assignee"), user); err != nil {
		return f, err
	}
	if f.Sensitive, err = optionalBool("sensitive", v.Get("sensitive")); err != nil {
		return f, err
	}
	if f.NeedsHuman, err = optionalBool("needs_human", v.Get("needs_human")); err != nil {
		return f, err
	}
	if f.Since, err = parseDate("since", v.Get("since"), false); err != nil {
		return f, err
	}
	if f.Until, err = parseDate("until", v.Get("until"), true); err != nil {
		return f, err
	}
	if f.Limit, err = parseLimit(v.Get("limit")); err != nil {
		return f, err
	}
	if err := user.Scope(&f); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// parseAssignee reads assignee=ID,…|none|me.
func parseAssignee(f *inbox.ConversationFilter, raw string, user *inbox.User) error {
	for _, s := range splitList(raw) {
		switch s {
		case "none":
			f.Unassigned = true
		case "me":
			f.AssigneeID = append(f.AssigneeID, user.ID)
		default:
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return inbox.Errorf(inbox.EINVALID, "assignee ska vara användar-id, \"none\" eller \"me\", inte %q. / assignee must be user ids, \"none\" or \"me\"; got %q.", s, s)
			}
			f.AssigneeID = append(f.AssigneeID, id)
		}
	}
	return nil
}

func idList(name, raw string) ([]int64, error) {
	var ids []int64
	for _, s := range splitList(raw) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, inbox.Errorf(inbox.EINVALID, "%s ska vara en kommaseparerad lista med id, inte %q. / %s must be a comma-separated list of ids; got %q.", name, s, name, s)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func optionalBool(name, raw string) (*bool, error) {
	if raw == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return nil, inbox.Errorf(inbox.EINVALID, "%s ska vara true eller false, inte %q. / %s must be true or false; got %q.", name, raw, name, raw)
	}
	return &b, nil
}

// parseDate reads an RFC 3339 time or a date (YYYY-MM-DD, a day in
// Swedish time). A date as the end of a range includes that whole day.
func parseDate(name, raw string, end bool) (time.Time, error) {
	if raw == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t.UTC(), nil
	}
	// A date is a day in Swedish time, as in the reports: since=2026-12-01
	// starts at midnight in Göteborg, not at 01:00.
	d, err := time.ParseInLocation(time.DateOnly, raw, businesstime.Default().Location())
	if err != nil {
		return time.Time{}, inbox.Errorf(inbox.EINVALID, "%s ska vara ett datum (2025-03-14) eller en tidpunkt (2025-03-14T09:00:00Z), inte %q. / "+
			"%s must be a date (2025-03-14) or a time (2025-03-14T09:00:00Z); got %q.", name, raw, name, raw)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), nil
}

func parseLimit(raw string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > inbox.MaxPageSize {
		return 0, inbox.Errorf(inbox.EINVALID, "limit ska vara ett tal från 1 till %d. / limit must be a number from 1 to %d.", inbox.MaxPageSize, inbox.MaxPageSize)
	}
	return n, nil
}

func splitList(raw string) []string {
	var out []string
	for _, v := range strings.Split(raw, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
