package inbox

import "context"

// CanReadRules reports whether u may see the routing rules: supervisors
// and admins.
func (u *User) CanReadRules() bool {
	return u != nil && (u.Role == RoleSupervisor || u.Role == RoleAdmin)
}

// CanManageRules reports whether u may create, change and delete routing
// rules: admins.
func (u *User) CanManageRules() bool { return u != nil && u.Role == RoleAdmin }

// Rules carries out the rule actions for staff: it checks the actor's
// rights and the rule, and has the store record every change with its
// audit entry.
type Rules struct {
	Store RuleStore
	// KnownAdministration, when set, reports whether an administration id
	// exists; a rule routing to any other is EINVALID.
	KnownAdministration func(id string) bool
}

// List returns every rule in the order they are tried.
func (s *Rules) List(ctx context.Context, actor *User) ([]*Rule, error) {
	if err := readRules(actor); err != nil {
		return nil, err
	}
	return s.Store.FindRules(ctx)
}

// Get returns one rule with its audit entries.
func (s *Rules) Get(ctx context.Context, actor *User, id int64) (*Rule, []*AuditEntry, error) {
	if err := readRules(actor); err != nil {
		return nil, nil, err
	}
	r, err := s.Store.FindRule(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	history, err := s.Store.FindRuleAudit(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return r, history, nil
}

// Create stores a new rule.
func (s *Rules) Create(ctx context.Context, actor *User, r *Rule) (*Rule, error) {
	if err := s.check(actor, r, ""); err != nil {
		return nil, err
	}
	if err := s.Store.CreateRule(ctx, actor.ID, r); err != nil {
		return nil, err
	}
	return r, nil
}

// Update replaces rule r.ID. An administration that is no longer a
// routing target may stay when the rule had it already, so that such a
// rule can still be disabled or changed otherwise.
func (s *Rules) Update(ctx context.Context, actor *User, r *Rule) (*Rule, error) {
	if err := manageRules(actor); err != nil {
		return nil, err
	}
	before, err := s.Store.FindRule(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if err := s.check(actor, r, before.Administration); err != nil {
		return nil, err
	}
	if err := s.Store.UpdateRule(ctx, actor.ID, r); err != nil {
		return nil, err
	}
	return r, nil
}

// Delete removes a rule.
func (s *Rules) Delete(ctx context.Context, actor *User, id int64) error {
	if err := manageRules(actor); err != nil {
		return err
	}
	return s.Store.DeleteRule(ctx, actor.ID, id)
}

// Move has rule id trade places with the rule before it (down false) or
// after it; the rules are then numbered in steps of RulePositionStep.
// Only positions change, all at once, whatever else a rule holds.
func (s *Rules) Move(ctx context.Context, actor *User, id int64, down bool) error {
	if err := manageRules(actor); err != nil {
		return err
	}
	return s.Store.MoveRule(ctx, actor.ID, id, down)
}

// check checks that actor may change rules and that r is valid. kept is
// the administration the rule has already (none for a new rule), which
// may stay when it is no longer a routing target.
func (s *Rules) check(actor *User, r *Rule, kept string) error {
	if err := manageRules(actor); err != nil {
		return err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Administration != "" && r.Administration != kept && s.KnownAdministration != nil && !s.KnownAdministration(r.Administration) {
		return ruleError(EINVALID, "Det finns ingen förvaltning %q.", "There is no administration %q.", r.Administration)
	}
	return nil
}

// CheckRuleReading returns the error that refuses actor the routing
// rules, or nil when actor may see them; the API checks it before it reads
// a rule's id.
func CheckRuleReading(actor *User) error { return readRules(actor) }

func readRules(actor *User) error {
	switch {
	case actor == nil:
		return ruleError(EUNAUTHORIZED, "Logga in för att se routningsreglerna.", "Sign in to see routing rules.")
	case !actor.CanReadRules():
		return ruleError(EFORBIDDEN, "Bara arbetsledare och administratörer kan se routningsreglerna.", "Only supervisors and admins can see routing rules.")
	}
	return nil
}

// CheckRuleManagement returns the error that refuses actor changes to the
// routing rules, or nil when actor may make them. The API checks it before
// it reads a rule, so a user who may not change rules is told so, not
// what is wrong with the rule they sent.
func CheckRuleManagement(actor *User) error { return manageRules(actor) }

func manageRules(actor *User) error {
	switch {
	case actor == nil:
		return ruleError(EUNAUTHORIZED, "Logga in för att ändra routningsreglerna.", "Sign in to change routing rules.")
	case !actor.CanManageRules():
		return ruleError(EFORBIDDEN, "Bara en administratör kan ändra routningsreglerna.", "Only an admin can change routing rules.")
	}
	return nil
}
