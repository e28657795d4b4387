package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Intent rows are the write-ahead record of a call to an outside system (an
// App IO message, an e-mail): written with a unique idem_key before the call,
// moved from status to status after it, so a retry never calls twice. These
// helpers hold that protocol once for every such table.

// BeginIntent inserts row unless a row with key exists, then loads the stored
// one (new, or what an earlier attempt wrote) into got; created tells which.
func BeginIntent(ctx context.Context, db *gorm.DB, row any, key string, got any) (created bool, err error) {
	res := db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "idem_key"}}, DoNothing: true}).Create(row)
	if res.Error != nil {
		return false, res.Error
	}
	if err := db.WithContext(ctx).Where("idem_key = ?", key).Take(got).Error; err != nil {
		return false, err
	}
	return res.RowsAffected == 1, nil
}

// IntentByKey loads the intent of key into got; found is false when there is none.
func IntentByKey(ctx context.Context, db *gorm.DB, key string, got any) (found bool, err error) {
	err = db.WithContext(ctx).Where("idem_key = ?", key).Take(got).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	return err == nil, err
}

// MoveIntent moves intent id of model's table from status from to to with the
// other columns of upd, and counts an attempt when it enters sending. moved is
// false when the row is no longer in from: two racing attempts cannot both call.
func MoveIntent(ctx context.Context, db *gorm.DB, model any, id, from, to string, upd map[string]any) (moved bool, err error) {
	if upd == nil {
		upd = map[string]any{}
	}
	upd["status"] = to
	if to == "sending" {
		upd["attempts"] = gorm.Expr("attempts + 1")
	}
	res := db.WithContext(ctx).Model(model).Where("id = ? AND status = ?", id, from).Updates(upd)
	return res.RowsAffected == 1, res.Error
}
