package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"inkorg/inbox"
)

func runRules(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) { testRulesCRUD(t, open(t)) })
	t.Run("Order", func(t *testing.T) { testRulesOrder(t, open(t)) })
	t.Run("Move", func(t *testing.T) { testRulesMove(t, open(t)) })
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		admin := &inbox.User{Name: "ada", Role: inbox.RoleAdmin}
		createUser(t, s, admin)
		_, err := s.FindRule(ctx(t), 404)
		wantCode(t, err, inbox.ENOTFOUND)
		wantCode(t, s.UpdateRule(ctx(t), admin.ID, &inbox.Rule{ID: 404, Name: "x"}), inbox.ENOTFOUND)
		wantCode(t, s.DeleteRule(ctx(t), admin.ID, 404), inbox.ENOTFOUND)
		wantCode(t, s.MoveRule(ctx(t), admin.ID, 404, false), inbox.ENOTFOUND)
	})
}

// sampleRule routes messages naming "vattenläcka" on Facebook comments in
// Swedish to kretslopp-och-vatten, urgent.
func sampleRule() *inbox.Rule {
	return &inbox.Rule{
		Name: "Vattenläckor", Position: 10, Enabled: true, Match: inbox.MatchWords, Pattern: "vattenläcka, läcker",
		Channels: []inbox.Channel{inbox.ChannelFacebookComment}, Accounts: []string{PageID}, Languages: []string{"sv"},
		Administration: "kretslopp-och-vatten", Tags: []string{"vatten"}, Priority: inbox.PriorityUrgent,
	}
}

func testRulesCRUD(t *testing.T, s inbox.Store) {
	admin := &inbox.User{Name: "ada", Role: inbox.RoleAdmin}
	createUser(t, s, admin)
	r := sampleRule()
	if err := s.CreateRule(ctx(t), admin.ID, r); err != nil {
		t.Fatalf("CreateRule: %v", err)
	}
	if r.ID == 0 || r.CreatedAt.IsZero() {
		t.Fatalf("got id %d, created %v; want both set", r.ID, r.CreatedAt)
	}
	got, err := s.FindRule(ctx(t), r.ID)
	if err != nil {
		t.Fatalf("FindRule: %v", err)
	}
	want := *r
	if !sameRule(got, &want) {
		t.Errorf("got %+v, want %+v", got, &want)
	}
	r.Enabled, r.Pattern, r.Tags = false, "översvämning", nil
	if err := s.UpdateRule(ctx(t), admin.ID, r); err != nil {
		t.Fatalf("UpdateRule: %v", err)
	}
	if got, _ = s.FindRule(ctx(t), r.ID); !sameRule(got, r) {
		t.Errorf("after update: got %+v, want %+v", got, r)
	}
	if err := s.DeleteRule(ctx(t), admin.ID, r.ID); err != nil {
		t.Fatalf("DeleteRule: %v", err)
	}
	if _, err := s.FindRule(ctx(t), r.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("after delete: got %v, want ENOTFOUND", err)
	}
	entries, err := s.FindRuleAudit(ctx(t), r.ID)
	if err != nil {
		t.Fatalf("FindRuleAudit: %v", err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		if e.ActorID != admin.ID {
			t.Errorf("%s: got actor %d, want %d", e.Action, e.ActorID, admin.ID)
		}
	}
	if want := []string{inbox.ActionRuleCreate, inbox.ActionRuleUpdate, inbox.ActionRuleDelete}; !slices.Equal(actions, want) {
		t.Fatalf("got audit %v, want %v", actions, want)
	}
	var upd inbox.RuleChange
	if err := json.Unmarshal([]byte(entries[1].Detail), &upd); err != nil {
		t.Fatal(err)
	}
	if upd.RuleID != r.ID || upd.Before == nil || upd.After == nil || !upd.Before.Enabled || upd.After.Enabled ||
		upd.After.Pattern != "översvämning" {
		t.Errorf("update detail: got %s, want before enabled and after disabled", entries[1].Detail)
	}
}

func sameRule(a, b *inbox.Rule) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Position == b.Position && a.Enabled == b.Enabled &&
		a.Match == b.Match && a.Pattern == b.Pattern && slices.Equal(a.Channels, b.Channels) &&
		slices.Equal(a.Accounts, b.Accounts) && slices.Equal(a.Languages, b.Languages) &&
		a.Administration == b.Administration && slices.Equal(a.Tags, b.Tags) && a.Priority == b.Priority
}

// testRulesOrder: rules come in position order, then creation order; the
// audit of one rule is not another's.
func testRulesOrder(t *testing.T, s inbox.Store) {
	admin := &inbox.User{Name: "ada", Role: inbox.RoleAdmin}
	createUser(t, s, admin)
	var ids []int64
	for _, pos := range []int{20, 10, 20, 0} {
		r := sampleRule()
		r.Position = pos
		if err := s.CreateRule(ctx(t), admin.ID, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	rules, err := s.FindRules(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, r := range rules {
		got = append(got, r.ID)
	}
	if want := []int64{ids[3], ids[1], ids[0], ids[2]}; !slices.Equal(got, want) {
		t.Errorf("got order %v, want %v", got, want)
	}
	entries, err := s.FindRuleAudit(ctx(t), ids[0])
	if err != nil || len(entries) != 1 {
		t.Errorf("got %d audit entries (%v), want 1", len(entries), err)
	}
}

// testRulesMove: moving a rule writes the positions that change, each
// audited, and nothing else of any rule; a rule the service would no
// longer accept as it is (its administration gone) moves like any other.
func testRulesMove(t *testing.T, s inbox.Store) {
	admin := &inbox.User{Name: "ada", Role: inbox.RoleAdmin}
	createUser(t, s, admin)
	var made []*inbox.Rule
	for i, pos := range []int{5, 20, 30} {
		r := sampleRule()
		r.Position, r.Name = pos, fmt.Sprintf("Regel %d", i)
		if i == 1 {
			r.Administration = "nedlagd-forvaltning"
		}
		if err := s.CreateRule(ctx(t), admin.ID, r); err != nil {
			t.Fatal(err)
		}
		made = append(made, r)
	}
	if err := s.MoveRule(ctx(t), admin.ID, made[2].ID, false); err != nil {
		t.Fatalf("MoveRule: %v", err)
	}
	rules, err := s.FindRules(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	order := []*inbox.Rule{made[0], made[2], made[1]}
	for i, r := range order {
		moved := *r
		moved.Position = (i + 1) * 10
		if !sameRule(rules[i], &moved) {
			t.Errorf("rule %d: got %+v, want %+v", i, rules[i], &moved)
		}
		entries, err := s.FindRuleAudit(ctx(t), r.ID)
		if err != nil || len(entries) != 2 || entries[1].Action != inbox.ActionRuleUpdate {
			t.Fatalf("%s: got %d audit entries (%v), want create and update", r.Name, len(entries), err)
		}
		var change inbox.RuleChange
		if err := json.Unmarshal([]byte(entries[1].Detail), &change); err != nil {
			t.Fatal(err)
		}
		if change.Before.Position != r.Position || change.After.Position != moved.Position {
			t.Errorf("%s: audit got %d → %d, want %d → %d", r.Name, change.Before.Position, change.After.Position,
				r.Position, moved.Position)
		}
	}
	// The last rule moving down changes no place.
	if err := s.MoveRule(ctx(t), admin.ID, made[1].ID, true); err != nil {
		t.Fatalf("MoveRule down at the end: %v", err)
	}
	if entries, _ := s.FindRuleAudit(ctx(t), made[1].ID); len(entries) != 2 {
		t.Errorf("the last rule moved down: got %d audit entries, want 2", len(entries))
	}
}
