package inbox

// Permission predicates for staff actions. Every action first requires
// CanSee; these add what a role may do beyond looking.

// CanAssignOthers reports whether u may give a conversation to another
// user, or take it from one without taking it over: supervisors and admins.
func (u *User) CanAssignOthers() bool {
	return u.Role == RoleSupervisor || u.Role == RoleAdmin
}

// CanRoute reports whether u may route c to an administration with a
// question: the kontaktcenter, supervisors and admins, not a department.
func (u *User) CanRoute(c *Conversation) bool {
	return u.Role != RoleSpecialist && u.CanSee(c)
}

// CanActForDepartment reports whether u may accept, answer back or return
// c for the administration it is routed to: that administration's
// specialists, supervisors and admins.
func (u *User) CanActForDepartment(c *Conversation) bool {
	switch u.Role {
	case RoleSpecialist:
		return u.CanSee(c)
	case RoleSupervisor, RoleAdmin:
		return true
	}
	return false
}

// heldByOther reports whether another user than u holds c.
func (u *User) heldByOther(c *Conversation) bool {
	return c.AssigneeID != 0 && c.AssigneeID != u.ID
}

// CanReply reports whether u may send the citizen a reply: everyone but a
// specialist. A department receives the questions routed to it and hands
// its answer back to the kontaktcenter (AnswerBack), which answers the
// citizen.
func (u *User) CanReply() bool {
	return u.Role != RoleSpecialist
}

// mayAct returns the EFORBIDDEN that refuses actor action on c, which
// actor sees, for their role, or nil when the role allows it. It comes
// before anything the action is given is checked: a user who may not act
// is told so, not what is wrong with what they sent. Rights that depend on
// the input (whom to assign, whom a note mentions) and whether another
// user holds c are the action's own to check.
func mayAct(actor *User, c *Conversation, action string) error {
	switch action {
	case ActionRoute:
		if !actor.CanRoute(c) {
			return ruleError(EFORBIDDEN, "En förvaltning svarar eller skickar tillbaka ett ärende; den skickar det inte vidare.",
				"A department returns or answers back a conversation; it does not route it on.")
		}
	case ActionAccept, ActionAnswer, ActionReturn:
		if !actor.CanActForDepartment(c) {
			return ruleError(EFORBIDDEN, "Bara förvaltningen som ärendet är skickat till kan svara eller skicka tillbaka det.",
				"Only the administration the conversation is routed to acts on it for the department.")
		}
	case ActionReply:
		if !actor.CanReply() {
			return ruleError(EFORBIDDEN, "En specialist svarar inte medborgaren: ge förvaltningens svar med answer (Svara kontaktcenter), så lämnas det tillbaka till kontaktcenter, som svarar medborgaren.",
				"A specialist does not reply to the citizen: give the department's answer with answer (Answer the kontaktcenter), which hands it back to the kontaktcenter to reply to the citizen.")
		}
	}
	return nil
}
