package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"gorm.io/gorm/clause"

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
	if len(d.Body) == 0 {
		return false, inbox.Errorf(inbox.EINVALID, "Delivery has no body.")
	}
	sum := sha256.Sum256(d.Body)
	now := s.now()
	row := rawDeliveryRow{
		BodySHA256:  hex.EncodeToString(sum[:]),
		Body:        d.Body,
		Signature:   d.Signature,
		ContentType: d.ContentType,
		ReceivedAt:  toDBTime(d.ReceivedAt),
		CreatedAt:   now,
	}
	if d.ReceivedAt.IsZero() {
		row.ReceivedAt = now
	}
	res := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "body_sha256"}},
		DoNothing: true,
	}).Create(&row)
	if res.Error != nil {
		return false, translate(res.Error, "Delivery")
	}
	if res.RowsAffected == 0 || row.ID == 0 {
		return false, nil
	}
	d.ID, d.ReceivedAt, d.CreatedAt = row.ID, row.ReceivedAt.Time(), row.CreatedAt.Time()
	return true, nil
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
