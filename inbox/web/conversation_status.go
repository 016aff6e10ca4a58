package web

import "inkorg/inbox"

// statusChoices are the statuses u may set c to from the conversation
// page, in the order the form shows them: only changes that make sense
// from c's status. A department's specialists answer back or return
// instead, and a conversation another user holds must be taken over
// first, so they get none.
func statusChoices(u *inbox.User, c *inbox.Conversation) []inbox.Status {
	if u.Role == inbox.RoleSpecialist || heldByOther(u, c) {
		return nil
	}
	switch c.Status {
	case inbox.StatusNew, inbox.StatusOpen:
		return []inbox.Status{inbox.StatusResolved, inbox.StatusPending, inbox.StatusSpam}
	case inbox.StatusPending:
		return []inbox.Status{inbox.StatusResolved, inbox.StatusOpen, inbox.StatusSpam}
	case inbox.StatusRouted:
		// The department has it: reopening or waiting on the citizen
		// would leave the route question behind; closing stays possible.
		return []inbox.Status{inbox.StatusResolved, inbox.StatusSpam}
	case inbox.StatusResolved, inbox.StatusSpam:
		return []inbox.Status{inbox.StatusOpen}
	}
	return nil
}

// departmentKind is the note kind to label: a question to, an answer from
// or a return by the department; "" for a colleague's note.
func departmentKind(k inbox.NoteKind) inbox.NoteKind {
	switch k {
	case inbox.NoteQuestion, inbox.NoteAnswer, inbox.NoteReturn:
		return k
	}
	return ""
}
