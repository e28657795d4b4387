package issuance

import (
	"context"
	"fmt"
	"io"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// PositionLoader loads positions by id, in the order asked; *pagopa.Store
// implements it.
type PositionLoader interface {
	ByIDs(ctx context.Context, ids []string) ([]*pagopa.Position, error)
}

// noticeBatch is how many positions a campaign's notice source reads at a time.
const noticeBatch = 500

// Notices is the source of the positions of campaign id's issued rows, in
// line order, read batch by batch, so a bulk render of the campaign's
// notices holds a batch in memory, never the campaign.
func (s *Store) Notices(ctx context.Context, id string, load PositionLoader) pagopa.PositionSource {
	var buf []*pagopa.Position
	after, done := 0, false
	return func() (*pagopa.Position, error) {
		for len(buf) == 0 && !done {
			var rows []StoredRow
			err := s.db.WithContext(ctx).Select("line", "position_id").
				Where("campaign_id = ? AND status = ? AND line > ? AND position_id IS NOT NULL", id, RowIssued, after).
				Order("line").Limit(noticeBatch).Find(&rows).Error
			if err != nil {
				return nil, errs.Wrap(err, "issued rows of %s", id)
			}
			if len(rows) < noticeBatch {
				done = true
			}
			if len(rows) == 0 {
				break
			}
			after = rows[len(rows)-1].Line
			ids := make([]string, 0, len(rows))
			for _, r := range rows {
				ids = append(ids, *r.PositionID)
			}
			if buf, err = load.ByIDs(ctx, ids); err != nil {
				return nil, fmt.Errorf("notices of campaign %s: %w", id, err)
			}
		}
		if len(buf) == 0 {
			return nil, io.EOF
		}
		p := buf[0]
		buf = buf[1:]
		return p, nil
	}
}

// CountIssued counts the rows of campaign id whose position is issued: the
// notices a bulk render of the campaign yields.
func (s *Store) CountIssued(ctx context.Context, id string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&StoredRow{}).Where("campaign_id = ? AND status = ? AND position_id IS NOT NULL", id, RowIssued).Count(&n).Error
	return int(n), errs.Wrap(err, "count issued rows of %s", id)
}
