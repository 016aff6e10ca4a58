package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

type loginFailuresRow struct {
	Name        string `gorm:"column:name;primaryKey"`
	Failures    int    `gorm:"column:failures"`
	LockedUntil dbTime `gorm:"column:locked_until"`
	ClosedUntil dbTime `gorm:"column:closed_until"`
	LastFailure dbTime `gorm:"column:last_failure"`
}

func (loginFailuresRow) TableName() string { return "login_failures" }

func (r *loginFailuresRow) toDomain() *inbox.LoginFailures {
	return &inbox.LoginFailures{Name: r.Name, Failures: r.Failures, LockedUntil: r.LockedUntil.Ptr(),
		ClosedUntil: r.ClosedUntil.Ptr(), LastFailure: r.LastFailure.Time()}
}

type loginFailureAddressRow struct {
	Name        string `gorm:"column:name;primaryKey"`
	Address     string `gorm:"column:address;primaryKey"`
	Failures    int    `gorm:"column:failures"`
	LockedUntil dbTime `gorm:"column:locked_until"`
	LastFailure dbTime `gorm:"column:last_failure"`
	SignedInAt  dbTime `gorm:"column:signed_in_at"`
}

func (loginFailureAddressRow) TableName() string { return "login_failure_addresses" }

func (r *loginFailureAddressRow) toDomain() *inbox.AddressFailures {
	return &inbox.AddressFailures{Name: r.Name, Address: r.Address, Failures: r.Failures,
		LockedUntil: r.LockedUntil.Ptr(), LastFailure: r.LastFailure.Time(), SignedInAt: r.SignedInAt.Ptr()}
}

// FindLoginFailures returns the failed sign-ins for name from every
// address and from address.
func (s *Store) FindLoginFailures(ctx context.Context, name, address string) (*inbox.LoginFailures, *inbox.AddressFailures, error) {
	tx := s.conn(ctx)
	var whole []loginFailuresRow
	if err := tx.Where("name = ?", name).Limit(1).Find(&whole).Error; err != nil {
		return nil, nil, translate(err, "Sign-in failures")
	}
	var from []loginFailureAddressRow
	if err := tx.Where("name = ? AND address = ?", name, address).Limit(1).Find(&from).Error; err != nil {
		return nil, nil, translate(err, "Sign-in failures")
	}
	w, f := &inbox.LoginFailures{Name: name}, &inbox.AddressFailures{Name: name, Address: address}
	if len(whole) > 0 {
		w = whole[0].toDomain()
	}
	if len(from) > 0 {
		f = from[0].toDomain()
	}
	return w, f, nil
}

// RecordLoginFailureFrom reads name's rows and writes count's results in
// one transaction. The name's row is inserted first when missing, so that
// even a first failure has a row to lock; on PostgreSQL the read locks it
// (a concurrent first insert waits for the other's commit), which orders
// every write for the name, and SQLite runs one writing transaction at a
// time.
func (s *Store) RecordLoginFailureFrom(ctx context.Context, name, address string,
	count func(*inbox.LoginFailures, *inbox.AddressFailures)) (*inbox.LoginFailures, *inbox.AddressFailures, error) {
	var whole *inbox.LoginFailures
	var from *inbox.AddressFailures
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		var err error
		if whole, err = lockLoginFailures(tx, name, s.now()); err != nil {
			return err
		}
		err = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&loginFailureAddressRow{Name: name, Address: address}).Error
		if err != nil {
			return err
		}
		var r loginFailureAddressRow
		if err := tx.Where("name = ? AND address = ?", name, address).Take(&r).Error; err != nil {
			return err
		}
		from = r.toDomain()
		count(whole, from)
		if err := saveLoginFailures(tx, whole); err != nil {
			return err
		}
		return tx.Model(&loginFailureAddressRow{}).Where("name = ? AND address = ?", name, address).Updates(map[string]any{
			"failures": from.Failures, "locked_until": ptrTime(from.LockedUntil), "last_failure": toDBTime(from.LastFailure),
		}).Error
	})
	if err != nil {
		return nil, nil, translate(err, "Sign-in failures")
	}
	return whole, from, nil
}

// RecordLoginFailure is RecordLoginFailureFrom for the name as a whole
// only.
func (s *Store) RecordLoginFailure(ctx context.Context, name string, count func(*inbox.LoginFailures)) (*inbox.LoginFailures, error) {
	var whole *inbox.LoginFailures
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		var err error
		if whole, err = lockLoginFailures(tx, name, s.now()); err != nil {
			return err
		}
		count(whole)
		return saveLoginFailures(tx, whole)
	})
	if err != nil {
		return nil, translate(err, "Sign-in failures")
	}
	return whole, nil
}

// lockLoginFailures inserts name's row when missing, as of at, and reads
// it, locked on PostgreSQL.
func lockLoginFailures(tx *gorm.DB, name string, at dbTime) (*inbox.LoginFailures, error) {
	err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&loginFailuresRow{Name: name, LastFailure: at}).Error
	if err != nil {
		return nil, err
	}
	var r loginFailuresRow
	if err := forUpdate(tx.Where("name = ?", name)).Take(&r).Error; err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

func saveLoginFailures(tx *gorm.DB, f *inbox.LoginFailures) error {
	return tx.Model(&loginFailuresRow{}).Where("name = ?", f.Name).Updates(map[string]any{
		"failures": f.Failures, "locked_until": ptrTime(f.LockedUntil), "closed_until": ptrTime(f.ClosedUntil),
		"last_failure": toDBTime(f.LastFailure),
	}).Error
}

// RecordSignIn forgets the failed sign-ins for name from address and
// remembers the sign-in at t, under the lock of the name's row.
func (s *Store) RecordSignIn(ctx context.Context, name, address string, t time.Time) error {
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		if _, err := lockLoginFailures(tx, name, toDBTime(t)); err != nil {
			return err
		}
		row := loginFailureAddressRow{Name: name, Address: address, SignedInAt: toDBTime(t)}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "name"}, {Name: "address"}},
			DoUpdates: clause.Assignments(map[string]any{"failures": 0, "locked_until": dbTime{}, "signed_in_at": row.SignedInAt}),
		}).Create(&row).Error
	})
	return translate(err, "Sign-in failures")
}

// DeleteOldLoginFailures resets the counts whose last failure and lock
// are before failedBefore, then deletes the address rows left with no
// failures and no sign-in since signedInBefore, and the name rows left
// with no failures, no lock and no address.
func (s *Store) DeleteOldLoginFailures(ctx context.Context, failedBefore, signedInBefore time.Time) (int64, error) {
	fb, sb := toDBTime(failedBefore), toDBTime(signedInBefore)
	var deleted int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		deleted = 0
		err := tx.Model(&loginFailureAddressRow{}).
			Where("failures > 0 AND (last_failure IS NULL OR last_failure < ?) AND (locked_until IS NULL OR locked_until < ?)", fb, fb).
			Updates(map[string]any{"failures": 0, "locked_until": dbTime{}}).Error
		if err != nil {
			return err
		}
		res := tx.Where("failures = 0 AND (signed_in_at IS NULL OR signed_in_at < ?)", sb).Delete(&loginFailureAddressRow{})
		if res.Error != nil {
			return res.Error
		}
		deleted += res.RowsAffected
		err = tx.Model(&loginFailuresRow{}).
			Where("last_failure < ? AND (locked_until IS NULL OR locked_until < ?) AND (closed_until IS NULL OR closed_until < ?)", fb, fb, fb).
			Where("failures > 0 OR locked_until IS NOT NULL OR closed_until IS NOT NULL").
			Updates(map[string]any{"failures": 0, "locked_until": dbTime{}, "closed_until": dbTime{}}).Error
		if err != nil {
			return err
		}
		res = tx.Where("failures = 0 AND locked_until IS NULL AND closed_until IS NULL AND last_failure < ?", fb).
			Where("NOT EXISTS (SELECT 1 FROM login_failure_addresses a WHERE a.name = login_failures.name)").
			Delete(&loginFailuresRow{})
		deleted += res.RowsAffected
		return res.Error
	})
	return deleted, translate(err, "Sign-in failures")
}
