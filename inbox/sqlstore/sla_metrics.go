package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

// metricsRow is one conversation's measured clocks and SLA state.
type metricsRow struct {
	ConversationID       int64  `gorm:"column:conversation_id;primaryKey"`
	SourceUpdatedAt      dbTime `gorm:"column:source_updated_at"`
	Channel              string `gorm:"column:channel"`
	AccountID            int64  `gorm:"column:account_id"`
	AdministrationID     string `gorm:"column:administration_id"`
	AssigneeID           int64  `gorm:"column:assignee_id"`
	Language             string `gorm:"column:language"`
	Priority             string `gorm:"column:priority"`
	Tags                 string `gorm:"column:tags"`
	Status               string `gorm:"column:status"`
	FirstMessageAt       dbTime `gorm:"column:first_message_at"`
	FirstInboundAt       dbTime `gorm:"column:first_inbound_at"`
	FirstResponseAt      dbTime `gorm:"column:first_response_at"`
	ResolvedAt           dbTime `gorm:"column:resolved_at"`
	FirstResolvedAt      dbTime `gorm:"column:first_resolved_at"`
	FirstResponseWallMS  *int64 `gorm:"column:first_response_wall_ms"`
	FirstResponseBusMS   *int64 `gorm:"column:first_response_business_ms"`
	ResolutionWallMS     *int64 `gorm:"column:resolution_wall_ms"`
	ResolutionBusMS      *int64 `gorm:"column:resolution_business_ms"`
	Routed               bool   `gorm:"column:routed"`
	DepartmentWallMS     int64  `gorm:"column:department_wall_ms"`
	DepartmentBusinessMS int64  `gorm:"column:department_business_ms"`
	Replies              int    `gorm:"column:replies"`
	Reassignments        int    `gorm:"column:reassignments"`
	FirstResponderID     *int64 `gorm:"column:first_responder_id"`
	AnswerLink           bool   `gorm:"column:answer_link"`
	SLAPolicy            string `gorm:"column:sla_policy"`
	SLARunning           bool   `gorm:"column:sla_running"`
	SLAPaused            bool   `gorm:"column:sla_paused"`
	SLAStartedAt         dbTime `gorm:"column:sla_started_at"`
	FirstSLAOutcome      *int   `gorm:"column:first_sla_outcome"`
	SLADueAt             dbTime `gorm:"column:sla_due_at"`
	SLAAtRiskAt          dbTime `gorm:"column:sla_at_risk_at"`
	SLAState             string `gorm:"column:sla_state"`
	SLANotified          string `gorm:"column:sla_notified"`
	ComputedAt           dbTime `gorm:"column:computed_at"`
}

func (metricsRow) TableName() string { return "conversation_metrics" }

// metricsColumns are the columns SaveMetrics replaces; sla_notified is
// the watcher's and stays while the clock is the same (see
// notifiedForClock).
var metricsColumns = []string{
	"source_updated_at", "channel", "account_id", "administration_id", "assignee_id", "language",
	"priority", "tags", "status", "first_message_at", "first_inbound_at", "first_response_at", "resolved_at", "first_resolved_at",
	"first_response_wall_ms", "first_response_business_ms", "resolution_wall_ms", "resolution_business_ms",
	"routed", "department_wall_ms", "department_business_ms", "replies", "reassignments", "first_responder_id", "answer_link",
	"sla_policy", "sla_running", "sla_paused", "sla_started_at", "sla_due_at", "first_sla_outcome", "sla_at_risk_at", "sla_state", "computed_at",
}

func msPtr(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	v := d.Milliseconds()
	return &v
}

func durPtr(ms *int64) *time.Duration {
	if ms == nil {
		return nil
	}
	d := time.Duration(*ms) * time.Millisecond
	return &d
}

func newMetricsRow(m *inbox.ConversationMetrics, now dbTime) metricsRow {
	r := metricsRow{
		ConversationID: m.ConversationID, SourceUpdatedAt: toDBTime(m.SourceUpdatedAt),
		Channel: string(m.Channel), AccountID: m.AccountID, AdministrationID: m.AdministrationID,
		AssigneeID: m.AssigneeID, Language: m.Language, Priority: string(m.Priority),
		Tags: encodeTags(m.Tags), Status: string(m.Status),
		FirstMessageAt: toDBTime(m.FirstMessageAt), FirstInboundAt: ptrTime(m.FirstInboundAt),
		FirstResponseAt: ptrTime(m.FirstResponseAt), ResolvedAt: ptrTime(m.ResolvedAt),
		FirstResolvedAt:     ptrTime(m.FirstResolvedAt),
		FirstResponseWallMS: msPtr(m.FirstResponseWall), FirstResponseBusMS: msPtr(m.FirstResponseBusiness),
		ResolutionWallMS: msPtr(m.ResolutionWall), ResolutionBusMS: msPtr(m.ResolutionBusiness),
		Routed: m.Routed, DepartmentWallMS: m.DepartmentWall.Milliseconds(), DepartmentBusinessMS: m.DepartmentBusiness.Milliseconds(),
		Replies: m.Replies, Reassignments: m.Reassignments, AnswerLink: m.AnswerLink, ComputedAt: now,
	}
	if m.FirstResponderID != 0 {
		r.FirstResponderID = &m.FirstResponderID
	}
	if sla := m.SLA; sla != nil {
		r.SLAPolicy, r.SLAState = sla.Policy, string(sla.State)
		r.SLARunning, r.SLAPaused = sla.Running, sla.Paused
		r.SLAStartedAt, r.SLADueAt, r.SLAAtRiskAt = toDBTime(sla.StartedAt), toDBTime(sla.DueAt), ptrTime(sla.AtRiskAt)
	}
	if f := m.FirstQuestionSLA; f != nil {
		o := int(outcomeOf(f))
		r.FirstSLAOutcome = &o
	}
	return r
}

// outcomeOf is how a clock counts in SLA attainment now; slaOutcomeSQL
// says the same of a stored row.
func outcomeOf(st *inbox.SLAStatus) inbox.SLAOutcome {
	switch {
	case st.State == inbox.SLABreached:
		return inbox.SLAMissed
	case st.Running || st.Paused:
		return inbox.SLANotCounted
	}
	return inbox.SLAMet
}

// slaStatus returns the row's SLA as the conversation JSON shows it, nil
// when no policy applies.
func (r *metricsRow) slaStatus(now time.Time) *inbox.SLAStatus {
	if r.SLAPolicy == "" {
		return nil
	}
	st := &inbox.SLAStatus{
		Policy: r.SLAPolicy, StartedAt: r.SLAStartedAt.Time(), DueAt: r.SLADueAt.Time(), AtRiskAt: r.SLAAtRiskAt.Ptr(),
		State: inbox.SLAState(r.SLAState), Running: r.SLARunning, Paused: r.SLAPaused,
	}
	st.State = st.StateAt(now)
	return st
}

// SaveMetrics writes the metrics rows, replacing older ones.
func (s *Store) SaveMetrics(ctx context.Context, ms []*inbox.ConversationMetrics) error {
	if len(ms) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]metricsRow, len(ms))
	for i, m := range ms {
		rows[i] = newMetricsRow(m, now)
	}
	set := append(clause.AssignmentColumns(metricsColumns), notifiedForClock)
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "conversation_id"}},
		DoUpdates: set,
	}).CreateInBatches(rows, 200).Error
	return translate(err, "Conversation metrics")
}

// notifiedForClock forgets what was notified about a conversation's SLA
// when its clock is another one, so the new clock's at-risk and breach are
// news: a citizen wrote again after resolution, or after withdrawing every
// message of their question. A conversation without a clock (no policy on
// the row) has nothing notified, except one marked spam: put back, it has
// the clock it had. A row from before clocks had a start (a policy, a NULL
// start) keeps what was notified.
var notifiedForClock = clause.Assignment{
	Column: clause.Column{Name: "sla_notified"},
	Value: gorm.Expr("CASE WHEN excluded.sla_policy = '' AND excluded.status <> 'spam' THEN ''" +
		" WHEN excluded.sla_started_at IS NOT NULL AND (" +
		"conversation_metrics.sla_started_at IS NOT NULL AND conversation_metrics.sla_started_at <> excluded.sla_started_at" +
		" OR conversation_metrics.sla_policy = '' AND conversation_metrics.status <> 'spam')" +
		" THEN '' ELSE conversation_metrics.sla_notified END"),
}

// FindSLATransitions returns the ids of conversations whose SLA state, by
// now, is worse than last notified: a running clock past its at-risk or
// due time, or a clock that stopped after its due time.
func (s *Store) FindSLATransitions(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	t := toDBTime(now)
	var ids []int64
	err := s.conn(ctx).Model(&metricsRow{}).
		Where("sla_policy <> ''").
		Where(s.conn(ctx).
			Where("sla_running = ? AND sla_notified IN ('', 'ok') AND sla_at_risk_at <= ?", true, t).
			Or("sla_running = ? AND sla_notified <> 'breached' AND sla_due_at < ?", true, t).
			Or("sla_state = 'breached' AND sla_notified <> 'breached'")).
		Order("conversation_id").Limit(limit).Pluck("conversation_id", &ids).Error
	if err != nil {
		return nil, translate(err, "Conversation metrics")
	}
	return ids, nil
}

// MarkSLANotified records state as last notified for a conversation when
// what was notified before is less severe, and reports whether it did.
func (s *Store) MarkSLANotified(ctx context.Context, conversationID int64, state inbox.SLAState) (bool, error) {
	lower := []string{"", string(inbox.SLAOK)}
	if state == inbox.SLABreached {
		lower = append(lower, string(inbox.SLAAtRisk))
	}
	res := s.conn(ctx).Model(&metricsRow{}).Where("conversation_id = ? AND sla_notified IN ?", conversationID, lower).
		Update("sla_notified", string(state))
	if res.Error != nil {
		return false, translate(res.Error, "Conversation metrics")
	}
	return res.RowsAffected == 1, nil
}

// SettleStoppedSLA marks the breaches of clocks that stopped, due before
// stoppedBefore, as notified.
func (s *Store) SettleStoppedSLA(ctx context.Context, stoppedBefore time.Time) error {
	err := s.conn(ctx).Model(&metricsRow{}).
		Where("sla_running = ? AND sla_paused = ? AND sla_state = 'breached' AND sla_notified <> 'breached' AND sla_due_at < ?", false, false, toDBTime(stoppedBefore)).
		Update("sla_notified", string(inbox.SLABreached)).Error
	return translate(err, "Conversation metrics")
}

// MetricsWatermark returns the latest SourceUpdatedAt of any metrics row.
func (s *Store) MetricsWatermark(ctx context.Context) (time.Time, error) {
	var rows []metricsRow
	err := s.conn(ctx).Select("source_updated_at").Order("source_updated_at DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return time.Time{}, translate(err, "Conversation metrics")
	}
	return rows[0].SourceUpdatedAt.Time(), nil
}

// attachSLA sets the SLA of each conversation from its metrics row, with
// the state as of the store clock's now.
func (s *Store) attachSLA(ctx context.Context, convs []*inbox.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	var rows []metricsRow
	err := s.conn(ctx).Select("conversation_id", "sla_policy", "sla_started_at", "sla_due_at", "sla_at_risk_at", "sla_state", "sla_running", "sla_paused").
		Where("conversation_id IN ? AND sla_policy <> ''", ids).Find(&rows).Error
	if err != nil {
		return translate(err, "Conversation metrics")
	}
	now := s.db.Now()
	byID := make(map[int64]*inbox.SLAStatus, len(rows))
	for i := range rows {
		byID[rows[i].ConversationID] = rows[i].slaStatus(now)
	}
	for _, c := range convs {
		c.SLA = byID[c.ID]
	}
	return nil
}
