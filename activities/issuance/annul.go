package issuance

import (
	"context"

	"github.com/sportello/sportello/errs"
)

// StateCancelled is a debtor whose position the finance office cancelled
// (annullamento): it can no longer be paid.
const StateCancelled DebtorStatus = "cancelled"

// HasIssued tells whether iupd is a position campaign id issued; any other
// iupd is not found for that campaign.
func (s *Store) HasIssued(ctx context.Context, id, iupd string) error {
	var n int64
	err := s.db.WithContext(ctx).Model(&StoredRow{}).
		Where("campaign_id = ? AND iupd = ? AND status = ?", id, iupd, RowIssued).Count(&n).Error
	if err != nil {
		return errs.Wrap(err, "find position %s of %s", iupd, id)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "position %s is not of campaign %s / posizione non della campagna", iupd, id)
	}
	return nil
}
