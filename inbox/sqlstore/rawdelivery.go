package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"inkorg/inbox"
)

type rawDeliveryRow struct {
	ID          int64  `gorm:"column:id;primaryKey"`
	BodySHA256  string `gorm:"column:body_sha256"`
	Body        []byte `gorm:"column:body"`
	Signature   string `gorm:"column:signature"`
	ContentType string `gorm:"column:content_type"`
	ReceivedAt  dbTime `gorm:"column:received_at"`
	CreatedAt   dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (rawDeliveryRow) TableName() string { return "webhook_deliveries" }

func (r *rawDeliveryRow) toDomain() *inbox.RawDelivery {
	return &inbox.RawDelivery{
		ID:          r.ID,
		Body:        r.Body,
		Signature:   r.Signature,
		ContentType: r.ContentType,
		ReceivedAt:  r.ReceivedAt.Time(),
		CreatedAt:   r.CreatedAt.Time(),
	}
}

// SaveRawDelivery stores d unless the same body is stored; Meta's
// redeliveries repeat the body byte for byte.
func (s *Store) SaveRawDelivery(ctx context.Context, d *inbox.RawDelivery) (bool, error) {
	stored, err := s.SaveRawDeliveries(ctx, []*inbox.RawDelivery{d})
	if err != nil {
		return false, err
	}
	return stored[0], nil
}

// SaveRawDeliveries stores each of ds unless the same body is stored, in
// one INSERT: under load the ingester keeps the deliveries its workers
// hold in one statement and one commit instead of one each.
func (s *Store) SaveRawDeliveries(ctx context.Context, ds []*inbox.RawDelivery) ([]bool, error) {
	stored := make([]bool, len(ds))
	if len(ds) == 0 {
		return stored, nil
	}
	now := s.now()
	rows := make([]rawDeliveryRow, len(ds))
	var sql strings.Builder
	sql.WriteString("INSERT INTO webhook_deliveries (body_sha256, body, signature, content_type, received_at, created_at) VALUES ")
	args := make([]any, 0, 6*len(ds))
	first := make(map[string]int, len(ds))
	for i, d := range ds {
		if len(d.Body) == 0 {
			return nil, inbox.Errorf(inbox.EINVALID, "Delivery has no body.")
		}
		sum := sha256.Sum256(d.Body)
		rows[i] = rawDeliveryRow{
			BodySHA256: hex.EncodeToString(sum[:]), Body: d.Body, Signature: d.Signature,
			ContentType: d.ContentType, ReceivedAt: toDBTime(d.ReceivedAt), CreatedAt: now,
		}
		if d.ReceivedAt.IsZero() {
			rows[i].ReceivedAt = now
		}
		if _, ok := first[rows[i].BodySHA256]; ok {
			continue
		}
		first[rows[i].BodySHA256] = i
		if len(args) > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("(?, ?, ?, ?, ?, ?)")
		r := &rows[i]
		args = append(args, r.BodySHA256, r.Body, r.Signature, r.ContentType, r.ReceivedAt, r.CreatedAt)
	}
	sql.WriteString(" ON CONFLICT (body_sha256) DO NOTHING RETURNING id, body_sha256")
	var saved []struct {
		ID         int64  `gorm:"column:id"`
		BodySHA256 string `gorm:"column:body_sha256"`
	}
	if err := s.conn(ctx).Raw(sql.String(), args...).Find(&saved).Error; err != nil {
		return nil, translate(err, "Delivery")
	}
	ids := make(map[string]int64, len(saved))
	for _, r := range saved {
		ids[r.BodySHA256] = r.ID
	}
	for i, d := range ds {
		id, ok := ids[rows[i].BodySHA256]
		if !ok {
			continue
		}
		delete(ids, rows[i].BodySHA256) // a repeated body is stored for its first
		stored[i] = true
		d.ID, d.ReceivedAt, d.CreatedAt = id, rows[i].ReceivedAt.Time(), now.Time()
	}
	return stored, nil
}

// FindRawDeliveries returns one page of stored deliveries by ID.
func (s *Store) FindRawDeliveries(ctx context.Context, f inbox.RawDeliveryFilter) ([]*inbox.RawDelivery, error) {
	limit := f.Limit
	if limit <= 0 || limit > inbox.MaxPageSize {
		limit = inbox.MaxPageSize
	}
	q := s.conn(ctx).Where("id > ?", f.AfterID)
	if !f.Since.IsZero() {
		q = q.Where("received_at >= ?", toDBTime(f.Since))
	}
	if !f.Until.IsZero() {
		q = q.Where("received_at < ?", toDBTime(f.Until))
	}
	var rows []rawDeliveryRow
	if err := q.Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "Delivery")
	}
	out := make([]*inbox.RawDelivery, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}
