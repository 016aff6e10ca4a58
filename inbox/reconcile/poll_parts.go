package reconcile

import (
	"context"
	"errors"
	"fmt"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// partNames name each poll part for supervisors, in Swedish and English.
var partNames = map[inbox.PollPart][2]string{
	inbox.PollComments: {"kommentarer", "comments"},
	inbox.PollMessages: {"privata meddelanden", "private messages"},
}

// readFailures say why reading failed, per class of Graph error, in
// Swedish and English.
var readFailures = map[graph.Class][2]string{
	graph.Token: {"kontots åtkomsttoken fungerar inte",
		"the account's access token does not work"},
	graph.Permission: {"token saknar behörighet hos Meta (för privata meddelanden pages_messaging eller instagram_manage_messages)",
		"the token lacks a permission at Meta (for private messages pages_messaging or instagram_manage_messages)"},
	graph.InvalidRequest: {"Meta känner inte igen kontot eller anropet (kontrollera kontots id och, för Instagram, den kopplade sidan)",
		"Meta does not recognise the account or the call (check the account's id and, for Instagram, the linked Page)"},
	graph.Transient: {"Meta svarade inte just nu", "Meta did not answer right now"},
}

// pollFailure says why a poll part failed, in Swedish and English, and
// what Meta (or inkorg) said.
func pollFailure(err error) (why [2]string, detail string) {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		return [2]string{"hämtningen misslyckades i inkorg", "the fetch failed in inkorg"}, err.Error()
	}
	why, known := readFailures[ge.Class]
	if !known {
		why = [2]string{"Meta avvisade anropet", "Meta rejected the call"}
	}
	detail = "Meta: " + ge.Message
	if ge.Code != 0 {
		detail = fmt.Sprintf("Meta: #%d %s", ge.Code, ge.Message)
	}
	return why, detail
}

// recordPart stores the outcome of one part of a's poll and alerts
// supervisors, once until it works again, when it failed.
func (r *Reconciler) recordPart(ctx context.Context, a *inbox.Account, part inbox.PollPart, err error) error {
	last := r.partAlerts[part]
	if err == nil {
		r.mu.Lock()
		delete(last, a.ID)
		r.mu.Unlock()
		return r.cfg.Store.RecordPollPart(ctx, a.ID, part, r.cfg.Now().UTC(), "")
	}
	why, detail := pollFailure(err)
	reason := fmt.Sprintf("%s / %s (%s)", why[0], why[1], detail)
	if serr := r.cfg.Store.RecordPollPart(ctx, a.ID, part, r.cfg.Now().UTC(), reason); serr != nil {
		return serr
	}
	name := partNames[part]
	r.raise(ctx, last, a, "poll_"+string(part)+"_failed",
		fmt.Sprintf("Kontrollhämtningen av %s misslyckas: %s (%s). Det som webhooks missar där hämtas inte.", name[0], why[0], detail),
		fmt.Sprintf("The check fetch of %s fails: %s (%s). What webhooks miss there is not fetched.", name[1], why[1], detail))
	return nil
}
