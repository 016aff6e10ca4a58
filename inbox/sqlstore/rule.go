package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"inkorg/inbox"
)

type ruleRow struct {
	ID               int64  `gorm:"column:id;primaryKey"`
	Name             string `gorm:"column:name"`
	Position         int    `gorm:"column:position"`
	Enabled          bool   `gorm:"column:enabled"`
	Match            string `gorm:"column:match_kind"`
	Pattern          string `gorm:"column:pattern"`
	Channels         string `gorm:"column:channels"`
	Accounts         string `gorm:"column:accounts"`
	Languages        string `gorm:"column:languages"`
	AdministrationID string `gorm:"column:administration_id"`
	Tags             string `gorm:"column:tags"`
	Priority         string `gorm:"column:priority"`
	CreatedAt        dbTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt        dbTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (ruleRow) TableName() string { return "routing_rules" }

func newRuleRow(r *inbox.Rule) ruleRow {
	return ruleRow{
		ID: r.ID, Name: r.Name, Position: r.Position, Enabled: r.Enabled,
		Match: string(r.Match), Pattern: r.Pattern,
		Channels: encodeTags(channelStrings(r.Channels)), Accounts: encodeTags(r.Accounts), Languages: encodeTags(r.Languages),
		AdministrationID: r.Administration, Tags: encodeTags(r.Tags), Priority: string(r.Priority),
	}
}

func (r *ruleRow) toDomain() *inbox.Rule {
	return &inbox.Rule{
		ID: r.ID, Name: r.Name, Position: r.Position, Enabled: r.Enabled,
		Match: inbox.MatchKind(r.Match), Pattern: r.Pattern,
		Channels: channelsOf(decodeTags(r.Channels)), Accounts: decodeTags(r.Accounts),
		Languages: decodeTags(r.Languages), Administration: r.AdministrationID,
		Tags: decodeTags(r.Tags), Priority: inbox.Priority(r.Priority),
		CreatedAt: r.CreatedAt.Time(), UpdatedAt: r.UpdatedAt.Time(),
	}
}

func channelStrings(cs []inbox.Channel) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func channelsOf(ss []string) []inbox.Channel {
	if len(ss) == 0 {
		return nil
	}
	out := make([]inbox.Channel, len(ss))
	for i, c := range ss {
		out[i] = inbox.Channel(c)
	}
	return out
}

// FindRules returns every rule in the order they are tried.
func (s *Store) FindRules(ctx context.Context) ([]*inbox.Rule, error) {
	var rows []ruleRow
	if err := s.conn(ctx).Order("position, id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Rule")
	}
	rules := make([]*inbox.Rule, len(rows))
	for i := range rows {
		rules[i] = rows[i].toDomain()
	}
	return rules, nil
}

// FindRule returns the rule, or ENOTFOUND.
func (s *Store) FindRule(ctx context.Context, id int64) (*inbox.Rule, error) {
	r, err := findRule(s.conn(ctx), id)
	if err != nil {
		return nil, translate(err, "Rule")
	}
	return r, nil
}

func findRule(tx *gorm.DB, id int64) (*inbox.Rule, error) {
	var row ruleRow
	if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, err
	}
	return row.toDomain(), nil
}

// CreateRule stores r with its audit entry and sets its ID and times.
func (s *Store) CreateRule(ctx context.Context, actorID int64, r *inbox.Rule) error {
	row := newRuleRow(r)
	row.ID = 0
	row.CreatedAt, row.UpdatedAt = s.now(), s.now()
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		created := row.toDomain()
		return s.auditRule(tx, actorID, inbox.ActionRuleCreate, row.ID, nil, created)
	})
	if err != nil {
		return translate(err, "Rule")
	}
	r.ID, r.CreatedAt, r.UpdatedAt = row.ID, row.CreatedAt.Time(), row.UpdatedAt.Time()
	return nil
}

// UpdateRule replaces rule r.ID with its audit entry.
func (s *Store) UpdateRule(ctx context.Context, actorID int64, r *inbox.Rule) error {
	row := newRuleRow(r)
	row.UpdatedAt = s.now()
	var before *inbox.Rule
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		if before, err = findRule(tx, r.ID); err != nil {
			return err
		}
		row.CreatedAt = toDBTime(before.CreatedAt)
		if err := tx.Select("*").Omit("id", "created_at").Where("id = ?", r.ID).Updates(&row).Error; err != nil {
			return err
		}
		return s.auditRule(tx, actorID, inbox.ActionRuleUpdate, r.ID, before, row.toDomain())
	})
	if err != nil {
		return translate(err, "Rule")
	}
	r.CreatedAt, r.UpdatedAt = row.CreatedAt.Time(), row.UpdatedAt.Time()
	return nil
}

// MoveRule has rule id trade places with its neighbour and stores the
// positions that change (inbox.MoveRules), each with its audit entry, in
// one transaction; only the position column is written.
func (s *Store) MoveRule(ctx context.Context, actorID int64, id int64, down bool) error {
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var rows []ruleRow
		if err := forUpdate(tx.Order("position, id")).Find(&rows).Error; err != nil {
			return err
		}
		list := make([]*inbox.Rule, len(rows))
		for i := range rows {
			list[i] = rows[i].toDomain()
		}
		changed, err := inbox.MoveRules(list, id, down)
		if err != nil {
			return err
		}
		now := s.now()
		for _, after := range changed {
			before, err := findRule(tx, after.ID)
			if err != nil {
				return err
			}
			err = tx.Model(&ruleRow{}).Where("id = ?", after.ID).
				Updates(map[string]any{"position": after.Position, "updated_at": now}).Error
			if err != nil {
				return err
			}
			after.UpdatedAt = now.Time()
			if err := s.auditRule(tx, actorID, inbox.ActionRuleUpdate, after.ID, before, after); err != nil {
				return err
			}
		}
		return nil
	})
	return translate(err, "Rule")
}

// DeleteRule removes the rule with its audit entry.
func (s *Store) DeleteRule(ctx context.Context, actorID int64, id int64) error {
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		before, err := findRule(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&ruleRow{}).Error; err != nil {
			return err
		}
		return s.auditRule(tx, actorID, inbox.ActionRuleDelete, id, before, nil)
	})
	return translate(err, "Rule")
}

// auditRule appends the audit entry of a rule change. Its detail starts
// with the rule id, which is how FindRuleAudit finds it.
func (s *Store) auditRule(tx *gorm.DB, actorID int64, action string, id int64, before, after *inbox.Rule) error {
	detail, err := json.Marshal(inbox.RuleChange{RuleID: id, Before: before, After: after})
	if err != nil {
		return inbox.WrapError(inbox.EINTERNAL, err, "")
	}
	row := auditRow{ActorID: nullID(actorID), Action: action, Detail: string(detail), CreatedAt: s.now()}
	return tx.Create(&row).Error
}

// FindRuleAudit returns the audit entries of a rule, oldest first.
func (s *Store) FindRuleAudit(ctx context.Context, id int64) ([]*inbox.AuditEntry, error) {
	var rows []auditRow
	err := s.conn(ctx).Where("conversation_id IS NULL AND action IN ? AND detail LIKE ?",
		[]string{inbox.ActionRuleCreate, inbox.ActionRuleUpdate, inbox.ActionRuleDelete},
		fmt.Sprintf(`{"rule_id":%d,%%`, id)).
		Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Audit entry")
	}
	entries := make([]*inbox.AuditEntry, len(rows))
	for i := range rows {
		entries[i] = rows[i].toDomain()
	}
	return entries, nil
}
