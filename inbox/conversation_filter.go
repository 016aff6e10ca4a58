package inbox

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Sort is the order of a conversation list.
type Sort string

// Sort orders.
const (
	// SortNewest lists the latest activity first (LastMessageAt, then ID,
	// descending).
	SortNewest Sort = "newest"
	// SortOldestWaiting lists first the citizen who has waited longest for
	// an answer (WaitingSince ascending); conversations with nothing
	// waiting come last.
	SortOldestWaiting Sort = "oldest_waiting"
)

// Valid reports whether s is a known order; empty means SortNewest.
func (s Sort) Valid() bool { return s == "" || s == SortNewest || s == SortOldestWaiting }

// WorkQueue is one of the queues staff pick conversations from. Lists and
// counts use the same definition of each.
type WorkQueue string

// Work queues. None of them holds a conversation snoozed into the future but
// QueueSnoozed, and none holds resolved or spam conversations.
const (
	// QueueUnassigned: new or open, held by no one, with something the
	// citizen wrote (a thread only the city has written in is no work).
	QueueUnassigned WorkQueue = "unassigned"
	// QueueMine: held by the viewer.
	QueueMine WorkQueue = "mine"
	// QueueDepartment: routed, waiting on a department.
	QueueDepartment WorkQueue = "department"
	// QueuePending: waiting for the citizen.
	QueuePending WorkQueue = "pending"
	// QueueSnoozed: snoozed until a time still ahead.
	QueueSnoozed WorkQueue = "snoozed"
)

// WorkQueues lists every queue in the order staff see them.
var WorkQueues = []WorkQueue{QueueUnassigned, QueueMine, QueueDepartment, QueuePending, QueueSnoozed, QueueAtRisk}

// Valid reports whether q is a known queue; empty means no queue.
func (q WorkQueue) Valid() bool {
	if q == "" {
		return true
	}
	for _, k := range WorkQueues {
		if q == k {
			return true
		}
	}
	return false
}

// WorkQueueCounts is how many conversations each queue holds.
type WorkQueueCounts map[WorkQueue]int

// ConversationQuery holds the list filters beyond status, channel and
// administration. Zero values do not filter.
type ConversationQuery struct {
	// Queue keeps the conversations in one work queue.
	Queue WorkQueue
	// AccountID keeps conversations of these managed accounts.
	AccountID []int64
	// AssigneeID keeps conversations held by one of these users;
	// Unassigned keeps those held by no one (both: either).
	AssigneeID []int64
	Unassigned bool
	// Tag keeps conversations carrying one of these tags, set by staff or
	// by triage. Validate normalizes them (NormalizeTag); they then match
	// stored tags exactly.
	Tag []string
	// Language and Priority keep conversations whose latest triage says so.
	Language []string
	Priority []Priority
	// Sensitive and NeedsHuman, when set, keep conversations whose latest
	// triage found (or did not find) personal data, or needs a human.
	Sensitive  *bool
	NeedsHuman *bool
	// Text keeps conversations with a message containing it (case
	// insensitive for ASCII letters on SQLite, for all on PostgreSQL).
	Text string
	// Since and Until keep conversations whose last message is in
	// [Since, Until).
	Since, Until time.Time
	// Sort is the order; empty means SortNewest.
	Sort Sort
	// ViewerID is the user the list is for; QueueMine needs it. Set by
	// User.Scope.
	ViewerID int64
	// Now decides which snoozes are still running; the wall clock when
	// zero.
	Now time.Time
}

// MaxSearchLength is the longest text search accepted.
const MaxSearchLength = 200

// MaxFilterValues is the most values one list filter (status, tag,
// account, …) may hold; each is a bind parameter of the query, and
// databases limit how many one query has.
const MaxFilterValues = 100

// Validate reports the first thing wrong with the filter as EINVALID.
func (f *ConversationFilter) Validate() error {
	for _, p := range []struct {
		name string
		n    int
	}{
		{"status", len(f.Status)}, {"channel", len(f.Channel)}, {"administration", len(f.AdministrationID)},
		{"account", len(f.AccountID)}, {"assignee", len(f.AssigneeID)}, {"tag", len(f.Tag)},
		{"language", len(f.Language)}, {"priority", len(f.Priority)},
	} {
		if p.n > MaxFilterValues {
			return ruleError(EINVALID, "Filtret %s har %d värden; ange högst %d.",
				"The filter %s has %d values; give at most %d.", p.name, p.n, MaxFilterValues)
		}
	}
	for _, p := range []struct {
		name   string
		values []string
	}{
		{"q", []string{f.Text}}, {"administration", f.AdministrationID}, {"tag", f.Tag}, {"language", f.Language},
	} {
		for _, v := range p.values {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return ruleError(EINVALID, "Filtret %s är inte giltig text.",
					"The filter %s is not valid text.", p.name)
			}
		}
	}
	for _, st := range f.Status {
		if !st.Valid() {
			return ruleError(EINVALID, "Okänd status %q; använd new, open, pending, routed, resolved eller spam.",
				"Unknown status %q; use new, open, pending, routed, resolved or spam.", st)
		}
	}
	for _, ch := range f.Channel {
		if !ch.Valid() {
			return ruleError(EINVALID, "Okänd kanal %q; använd facebook_comment, messenger, instagram_comment eller instagram_direct.",
				"Unknown channel %q; use facebook_comment, messenger, instagram_comment or instagram_direct.", ch)
		}
	}
	for _, p := range f.Priority {
		if !p.Valid() {
			return ruleError(EINVALID, "Okänd prioritet %q; använd urgent, normal eller low.",
				"Unknown priority %q; use urgent, normal or low.", p)
		}
	}
	switch {
	case !f.Queue.Valid():
		return ruleError(EINVALID, "Okänd kö %q; använd unassigned, mine, department, pending, snoozed eller at_risk.",
			"Unknown queue %q; use unassigned, mine, department, pending, snoozed or at_risk.", f.Queue)
	case !f.Sort.Valid():
		return ruleError(EINVALID, "Okänd sortering %q; använd newest eller oldest_waiting.",
			"Unknown sort %q; use newest or oldest_waiting.", f.Sort)
	case f.Queue == QueueMine && f.ViewerID == 0:
		return ruleError(EINVALID, "Kön \"mine\" kräver en inloggad användare.",
			"The queue \"mine\" needs a signed-in user.")
	case len([]rune(f.Text)) > MaxSearchLength:
		return ruleError(EINVALID, "Söktexten är längre än %d tecken.",
			"Search text is longer than %d characters.", MaxSearchLength)
	case !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until):
		return ruleError(EINVALID, "Perioden är tom: \"since\" måste vara före \"until\".",
			"The date range is empty: \"since\" must be before \"until\".")
	}
	f.Text = strings.TrimSpace(f.Text)
	f.Tag = normalizedTags(f.Tag)
	return nil
}

// normalizedTags returns the filter's tags as conversations store them
// (NormalizeTag), leaving out empty ones.
func normalizedTags(tags []string) []string {
	if len(tags) == 0 {
		return tags
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = NormalizeTag(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
