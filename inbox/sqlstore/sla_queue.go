package sqlstore

import (
	"context"

	"inkorg/inbox"
)

var _ inbox.SLAStateCounter = (*Store)(nil)

// atRiskSQL keeps conversations whose SLA clock runs and is past its
// at-risk or due time (the arguments: true, now, now), as
// inbox.SLAStatus.StateAt judges it. An uncorrelated IN, not EXISTS: both
// databases compute the set once (from conversation_metrics_running)
// instead of probing it for every open conversation, which keeps the
// queue counts of every inbox page cheap.
const atRiskSQL = `conversations.id IN (SELECT m.conversation_id FROM conversation_metrics m
	WHERE m.sla_running = ? AND m.sla_policy <> '' AND (m.sla_due_at < ? OR m.sla_at_risk_at <= ?))`

// CountSLAStates counts the open conversations matching filter with a
// running SLA clock by its state at the filter's now.
func (s *Store) CountSLAStates(ctx context.Context, filter inbox.ConversationFilter) (inbox.SLAStateCounts, error) {
	filter.Queue = ""
	ids, err := s.filtered(s.conn(ctx).Model(&conversationRow{}), filter)
	if err != nil {
		return nil, err
	}
	ids = ids.Where("status IN ?", openStatuses).Select("id")
	now := filterNow(filter)
	var sums struct {
		Breached int64 `gorm:"column:breached"`
		AtRisk   int64 `gorm:"column:at_risk"`
		OK       int64 `gorm:"column:ok"`
	}
	err = s.conn(ctx).Model(&metricsRow{}).
		Select(`COALESCE(SUM(CASE WHEN sla_due_at < ? THEN 1 ELSE 0 END), 0) AS breached,
			COALESCE(SUM(CASE WHEN sla_due_at >= ? AND sla_at_risk_at <= ? THEN 1 ELSE 0 END), 0) AS at_risk,
			COALESCE(SUM(CASE WHEN sla_due_at >= ? AND (sla_at_risk_at IS NULL OR sla_at_risk_at > ?) THEN 1 ELSE 0 END), 0) AS ok`,
			now, now, now, now, now).
		Where("sla_policy <> '' AND sla_running = ? AND conversation_id IN (?)", true, ids).
		Scan(&sums).Error
	if err != nil {
		return nil, translate(err, "Conversation metrics")
	}
	return inbox.SLAStateCounts{inbox.SLABreached: int(sums.Breached), inbox.SLAAtRisk: int(sums.AtRisk), inbox.SLAOK: int(sums.OK)}, nil
}
