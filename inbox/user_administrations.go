package inbox

import "slices"

// MemberAdministrations returns every administration u is a member of:
// AdministrationID first, then the rest of Administrations, without
// duplicates or empty ids.
func (u *User) MemberAdministrations() []string {
	var out []string
	for _, id := range append([]string{u.AdministrationID}, u.Administrations...) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// MemberOf reports whether u is a member of administration id.
func (u *User) MemberOf(id string) bool {
	return id != "" && slices.Contains(u.MemberAdministrations(), id)
}

// Scope restricts f to the conversations u may see. A specialist sees
// only their administrations: a filter naming others is narrowed to the
// ones they are a member of, and one naming none of theirs is EFORBIDDEN.
// It also sets f.ViewerID, which the "mine" queue and assignee "me" use.
func (u *User) Scope(f *ConversationFilter) error {
	f.ViewerID = u.ID
	if u.Role != RoleSpecialist {
		return nil
	}
	mine := u.MemberAdministrations()
	if len(mine) == 0 {
		// Fail closed: an empty administration filter means "all".
		return ruleError(EFORBIDDEN, "Du tillhör ingen förvaltning.", "You are not a member of any administration.")
	}
	if len(f.AdministrationID) == 0 {
		f.AdministrationID = mine
		return nil
	}
	var keep []string
	for _, id := range f.AdministrationID {
		if slices.Contains(mine, id) {
			keep = append(keep, id)
		}
	}
	if len(keep) == 0 {
		return ruleError(EFORBIDDEN, "Du tillhör inte den förvaltningen.", "You are not a member of that administration.")
	}
	f.AdministrationID = keep
	return nil
}
