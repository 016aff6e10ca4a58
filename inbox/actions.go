package inbox

import (
	"context"
	"time"
)

// Audit actions the service records.
const (
	ActionClaim    = "claim"
	ActionTakeover = "takeover"
	ActionAssign   = "assign"
	ActionUnassign = "unassign"
	ActionRoute    = "route"
	ActionAccept   = "accept"
	ActionAnswer   = "answer"
	ActionReturn   = "return"
	ActionNote     = "note"
	ActionTags     = "tags"
	ActionStatus   = "status"
	ActionSnooze   = "snooze"
)

// Claim makes actor the holder of the conversation. When another user
// holds it, it is ECONFLICT naming them unless takeover is true. A new
// conversation becomes open.
func (s *Service) Claim(ctx context.Context, actor *User, id int64, takeover bool) (*Conversation, error) {
	action := ActionClaim
	if takeover {
		action = ActionTakeover
	}
	return s.act(ctx, actor, id, action, func(c *Conversation) (*outcome, error) {
		if !takeover {
			if err := s.free(ctx, actor, c); err != nil {
				return nil, err
			}
		}
		out := &outcome{takeover: actor.heldByOther(c)}
		c.AssigneeID = actor.ID
		openIfNew(c)
		return out, nil
	})
}

// Assign gives the conversation to the user with assigneeID. Assigning to
// oneself is a Claim; assigning to someone else is for supervisors and
// admins, and the assignee must be able to see the conversation.
func (s *Service) Assign(ctx context.Context, actor *User, id, assigneeID int64) (*Conversation, error) {
	if actor != nil && assigneeID == actor.ID {
		return s.Claim(ctx, actor, id, false)
	}
	return s.act(ctx, actor, id, ActionAssign, func(c *Conversation) (*outcome, error) {
		if !actor.CanAssignOthers() {
			return nil, ruleError(EFORBIDDEN, "Bara arbetsledare och administratörer tilldelar ärenden till andra.",
				"Only supervisors and admins assign conversations to others.")
		}
		if assigneeID <= 0 {
			return nil, ruleError(EINVALID, "Ange användaren att tilldela ärendet; ta bort tilldelningen för att ingen ska ha det.",
				"Name the user to assign the conversation to; to remove the assignee, unassign it.")
		}
		assignee, err := s.store.FindUserByID(ctx, assigneeID)
		if ErrorCode(err) == ENOTFOUND {
			return nil, ruleError(EINVALID, "Det finns ingen användare med id %d.",
				"There is no user with id %d.", assigneeID)
		} else if err != nil {
			return nil, err
		}
		if !assignee.Active() {
			return nil, ruleError(EINVALID, "%s är inaktiverad och kan inte tilldelas ärenden.",
				"%s is deactivated and cannot be assigned conversations.", assignee.Name)
		}
		if !assignee.CanSee(c) {
			return nil, ruleError(EINVALID, "%s kan inte se ärendet: det är inte skickat till deras förvaltning.",
				"%s cannot see this conversation: it is not routed to their administration.", assignee.Name)
		}
		out := &outcome{takeover: c.AssigneeID != 0 && c.AssigneeID != assigneeID}
		c.AssigneeID = assigneeID
		openIfNew(c)
		return out, nil
	})
}

// Unassign removes the conversation's holder. Only the holder, a
// supervisor or an admin may; others get ECONFLICT naming the holder.
func (s *Service) Unassign(ctx context.Context, actor *User, id int64) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionUnassign, func(c *Conversation) (*outcome, error) {
		if !actor.CanAssignOthers() {
			if err := s.free(ctx, actor, c); err != nil {
				return nil, err
			}
		}
		release(c)
		return nil, nil
	})
}

// release gives c back to its queue: no one holds it, and it keeps its
// status and administration (a conversation a specialist accepted waits
// on the department again).
func release(c *Conversation) { c.AssigneeID = 0 }

// MayHold reports whether u may hold (be assigned) c: an active user who
// sees it.
func (u *User) MayHold(c *Conversation) bool { return u.Active() && u.CanSee(c) }

// ReleaseClaim returns the work that gives c back to its queue, as
// Unassign does, by actorID (0: the system): what the store records when
// its holder may no longer hold it (deactivated, or no longer in the
// administration it is routed to). It is nil when no one holds c.
func ReleaseClaim(actorID int64, c *Conversation) (*Work, error) {
	after := cloneConversation(c)
	release(after)
	return newWork(actorID, ActionUnassign, c, after, nil)
}

// Route sends the conversation to an administration with a question for
// it. The conversation waits on the department, unassigned, until one of
// its specialists answers back or returns it to actor.
func (s *Service) Route(ctx context.Context, actor *User, id int64, administrationID, question string) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionRoute, func(c *Conversation) (*outcome, error) {
		// Who may route came first (mayAct): a department is told it does
		// not route, not what is wrong with the administration or question.
		if err := s.validateAdministration(administrationID); err != nil {
			return nil, err
		}
		question, err := noteText(question, "frågan", "question")
		if err != nil {
			return nil, err
		}
		if err := s.free(ctx, actor, c); err != nil {
			return nil, err
		}
		if c.Status == StatusResolved || c.Status == StatusSpam {
			return nil, ruleError(EINVALID, "Öppna ärendet igen innan du skickar det till en förvaltning.",
				"Reopen the conversation before routing it.")
		}
		c.AdministrationID, c.RouteQuestion, c.RoutedByID = administrationID, question, actor.ID
		c.Status, c.AssigneeID, c.SnoozedUntil = StatusRouted, 0, nil
		return &outcome{note: &Note{Kind: NoteQuestion, Text: question}}, nil
	})
}

// Accept makes actor, acting for the department the conversation is
// routed to, its holder.
func (s *Service) Accept(ctx context.Context, actor *User, id int64) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionAccept, func(c *Conversation) (*outcome, error) {
		if err := s.departmentMayAct(ctx, actor, c); err != nil {
			return nil, err
		}
		c.AssigneeID = actor.ID
		return nil, nil
	})
}

// AnswerBack records the department's internal answer and gives the
// conversation back, open, to whoever routed it.
func (s *Service) AnswerBack(ctx context.Context, actor *User, id int64, answer string) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionAnswer, func(c *Conversation) (*outcome, error) {
		if err := s.departmentMayAct(ctx, actor, c); err != nil {
			return nil, err
		}
		answer, err := noteText(answer, "svaret", "answer")
		if err != nil {
			return nil, err
		}
		if err := s.backFromDepartment(ctx, c); err != nil {
			return nil, err
		}
		return &outcome{note: &Note{Kind: NoteAnswer, Text: answer}}, nil
	})
}

// Return gives the conversation back, open and no longer routed to the
// administration, to whoever routed it, with the department's reason.
func (s *Service) Return(ctx context.Context, actor *User, id int64, reason string) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionReturn, func(c *Conversation) (*outcome, error) {
		if err := s.departmentMayAct(ctx, actor, c); err != nil {
			return nil, err
		}
		reason, err := noteText(reason, "anledningen", "reason")
		if err != nil {
			return nil, err
		}
		if err := s.backFromDepartment(ctx, c); err != nil {
			return nil, err
		}
		c.AdministrationID = ""
		return &outcome{note: &Note{Kind: NoteReturn, Text: reason}}, nil
	})
}

// departmentMayAct checks that c waits on the department actor, who may
// act for it (mayAct), acts for, and that no one else holds it.
func (s *Service) departmentMayAct(ctx context.Context, actor *User, c *Conversation) error {
	if c.Status != StatusRouted {
		return ruleError(ECONFLICT, "Ärendet väntar inte på någon förvaltning.",
			"The conversation is not waiting on a department.")
	}
	return s.free(ctx, actor, c)
}

// backFromDepartment hands c back to whoever routed it. When that user
// has since been deactivated or removed, c is left unassigned, so that it
// is back in the unassigned queue rather than held by no one able to work
// it.
func (s *Service) backFromDepartment(ctx context.Context, c *Conversation) error {
	assignee := c.RoutedByID
	if assignee != 0 {
		u, err := s.store.FindUserByID(ctx, assignee)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			assignee = 0
		case err != nil:
			return err
		case !u.Active():
			assignee = 0
		}
	}
	c.Status, c.AssigneeID = StatusOpen, assignee
	c.RouteQuestion, c.RoutedByID = "", 0
	return nil
}

// openIfNew opens a conversation someone starts working on.
func openIfNew(c *Conversation) {
	if c.Status == StatusNew {
		c.Status = StatusOpen
	}
}

// SetStatus sets the conversation's status to pending, resolved, open
// (reopen) or spam. Resolving records the time and ends a snooze.
func (s *Service) SetStatus(ctx context.Context, actor *User, id int64, to Status) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionStatus, func(c *Conversation) (*outcome, error) {
		switch to {
		case StatusPending, StatusResolved, StatusOpen, StatusSpam:
		default:
			return nil, ruleError(EINVALID, "Okänd status %q; använd pending, resolved, open eller spam.",
				"Unknown status %q; use pending, resolved, open or spam.", to)
		}
		if err := s.free(ctx, actor, c); err != nil {
			return nil, err
		}
		if c.Status == to {
			return nil, nil
		}
		c.Status, c.ResolvedAt = to, nil
		switch to {
		case StatusResolved:
			now := s.now().UTC()
			c.ResolvedAt, c.SnoozedUntil = &now, nil
		case StatusSpam:
			c.SnoozedUntil = nil
		}
		return nil, nil
	})
}

// MaxSnooze is the longest a conversation may be snoozed.
const MaxSnooze = 90 * 24 * time.Hour

// Snooze hides the conversation from the queues until the given time; nil
// wakes it now.
func (s *Service) Snooze(ctx context.Context, actor *User, id int64, until *time.Time) (*Conversation, error) {
	return s.act(ctx, actor, id, ActionSnooze, func(c *Conversation) (*outcome, error) {
		until, err := s.snoozeUntil(until)
		if err != nil {
			return nil, err
		}
		if err := s.free(ctx, actor, c); err != nil {
			return nil, err
		}
		if until != nil && (c.Status == StatusResolved || c.Status == StatusSpam) {
			return nil, ruleError(EINVALID, "Ett avslutat ärende eller skräp kan inte pausas.",
				"A resolved or spam conversation cannot be snoozed.")
		}
		c.SnoozedUntil = until
		return nil, nil
	})
}

// snoozeUntil checks a time to snooze until and returns it as stored: in
// UTC, to the microsecond. nil (wake now) stays nil.
func (s *Service) snoozeUntil(until *time.Time) (*time.Time, error) {
	if until == nil {
		return nil, nil
	}
	now := s.now()
	switch {
	case !until.After(now):
		return nil, ruleError(EINVALID, "Pausa till en tid framåt.",
			"Snooze until a time in the future.")
	case until.Sub(now) > MaxSnooze:
		return nil, ruleError(EINVALID, "Pausa i högst %d dagar.",
			"Snooze for at most %d days.", int(MaxSnooze.Hours()/24))
	}
	t := until.UTC().Truncate(time.Microsecond)
	return &t, nil
}
