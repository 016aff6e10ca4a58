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
