package inbox

import (
	"context"
	"encoding/json"
	"time"
)

// Privacy carries out the retention policy and data-subject requests. It
// removes personal data only from conversations that are closed and whose
// current state a complete archive export holds, so the public record is
// never lost.
type Privacy struct {
	Records RecordStore
	Data    PersonalDataStore
	Audit   AuditStore
	Now     Clock
	// Scrub redacts personal identity, payment card and phone numbers and
	// e-mail addresses from a text that is pseudonymised.
	Scrub func(string) string
	// DeadLetters are the queue's dead letters, where a webhook delivery
	// that failed keeps its raw body. RemoveSubject deletes those naming
	// the person; when nil it leaves them unchecked and says so.
	DeadLetters DeadLetters
}

// Audit actions of the privacy work.
const (
	ActionRetentionRun    = "retention_run"
	ActionRetentionDryRun = "retention_dry_run"
	ActionRetention       = "retention"
	ActionSubjectExport   = "subject_export"
	ActionSubjectRemoval  = "subject_removal"
)

// RetentionPolicy is how long personal data in closed conversations is
// kept after their last message, and what then happens to it.
type RetentionPolicy struct {
	Months int                `json:"months"`
	Action PersonalDataAction `json:"action"`
}

// Validate checks the policy.
func (p RetentionPolicy) Validate() error {
	switch {
	case p.Months < 1:
		return ruleError(EINVALID, "Lagringstiden måste vara minst en månad, inte %d.",
			"The retention period must be at least one month, not %d.", p.Months)
	case !p.Action.Valid():
		return ruleError(EINVALID, "Okänd gallringsåtgärd %q; använd pseudonymise eller delete.",
			"Unknown retention action %q; use pseudonymise or delete.", p.Action)
	}
	return nil
}

// Cutoff is the time before which a last message makes a conversation
// due: now, Months calendar months back. A day the target month does not
// have is its last day (one month before 31 March is 28 February), never
// a day of the month after, which would make a conversation due early.
func (p RetentionPolicy) Cutoff(now time.Time) time.Time {
	now = now.UTC()
	y, m, d := now.Date()
	first := time.Date(y, m-time.Month(p.Months), 1, 0, 0, 0, 0, time.UTC)
	if last := first.AddDate(0, 1, -1).Day(); d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), time.UTC)
}

// RetentionItem is one conversation a retention run touches, or would.
type RetentionItem struct {
	ConversationID   int64     `json:"conversation_id"`
	Channel          Channel   `json:"channel"`
	Status           Status    `json:"status"`
	AdministrationID string    `json:"administration_id,omitempty"`
	LastMessageAt    time.Time `json:"last_message_at"`
	Messages         int       `json:"messages"`
}

// RetentionReport sums up a retention run.
type RetentionReport struct {
	Policy        RetentionPolicy `json:"policy"`
	Cutoff        time.Time       `json:"cutoff"`
	DryRun        bool            `json:"dry_run"`
	Conversations int             `json:"conversations"`
	RawDeliveries int64           `json:"raw_deliveries"`
}

// retentionPage is how many conversations one transaction handles.
const retentionPage = 100

// RunRetention applies policy to every due conversation, or with dryRun
// only reports them; each is passed to seen as it is handled. A
// conversation that changed after it was found due (a citizen wrote, staff
// acted) is left as it is and not reported. Raw webhook deliveries
// received before the cutoff are deleted (counted in a dry run). The run
// is audited either way.
func (p *Privacy) RunRetention(ctx context.Context, policy RetentionPolicy, dryRun bool, seen func(RetentionItem)) (*RetentionReport, error) {
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	rep := &RetentionReport{Policy: policy, Cutoff: policy.Cutoff(p.now()), DryRun: dryRun}
	detail, _ := json.Marshal(map[string]any{"months": policy.Months, "action": policy.Action, "cutoff": rep.Cutoff})
	for after := int64(0); ; {
		convs, err := p.Data.FindRetentionCandidates(ctx, rep.Cutoff, after, retentionPage)
		if err != nil || len(convs) == 0 {
			return p.finishRetention(ctx, rep, err)
		}
		ids := make([]int64, len(convs))
		for i, c := range convs {
			ids[i], after = c.ID, c.ID
		}
		skipped := map[int64]bool{}
		if !dryRun {
			r := &Removal{Action: policy.Action, ConversationIDs: ids, Scrub: p.Scrub,
				Audit:  AuditEntry{Action: ActionRetention, Detail: string(detail)},
				Before: rep.Cutoff, SkipChanged: true}
			if err := p.Data.RemovePersonalData(ctx, r); err != nil {
				return p.finishRetention(ctx, rep, err)
			}
			for _, id := range r.Skipped {
				skipped[id] = true
			}
		}
		for _, c := range convs {
			if skipped[c.ID] {
				continue
			}
			rep.Conversations++
			if seen != nil {
				seen(RetentionItem{ConversationID: c.ID, Channel: c.Channel, Status: c.Status,
					AdministrationID: c.AdministrationID, LastMessageAt: c.LastMessageAt, Messages: c.MessageCount})
			}
		}
	}
}

// finishRetention handles the raw deliveries and audits the run, also
// when it stopped on err.
func (p *Privacy) finishRetention(ctx context.Context, rep *RetentionReport, err error) (*RetentionReport, error) {
	if err == nil {
		if rep.DryRun {
			rep.RawDeliveries, err = p.Data.CountRawDeliveriesBefore(ctx, rep.Cutoff)
		} else {
			rep.RawDeliveries, err = p.Data.DeleteRawDeliveriesBefore(ctx, rep.Cutoff)
		}
	}
	detail := map[string]any{"report": rep}
	if err != nil {
		detail["error"] = ErrorMessage(err)
	}
	raw, _ := json.Marshal(detail)
	action := ActionRetentionRun
	if rep.DryRun {
		action = ActionRetentionDryRun
	}
	if aerr := p.Audit.AddAudit(ctx, &AuditEntry{Action: action, Detail: string(raw)}); err == nil {
		err = aerr
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func (p *Privacy) now() time.Time {
	if p.Now == nil {
		return time.Now().UTC()
	}
	return p.Now()
}
