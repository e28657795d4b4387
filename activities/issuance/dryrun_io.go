package issuance

import (
	"context"
	"errors"
	"log/slog"

	"github.com/sportello/sportello/activities/appio"
)

// DefaultIOCheckLimit is the largest roll whose debtors the dry run looks up
// on App IO: at the throttle's pace a larger one would keep the upload
// waiting for minutes, so its count comes from the notices themselves.
const DefaultIOCheckLimit = 100

// countNotOnIO looks up the profiles of rows on App IO, through the plan's
// IO service, and counts those the notice could not reach. It answers nil
// when the check is not cheap or not possible (no IO service, too many rows,
// IO unavailable): the dry run then says nothing rather than a wrong count.
func (s *Service) countNotOnIO(ctx context.Context, c *Campaign, rows []Row) *int {
	limit := s.IOCheckLimit
	if limit <= 0 {
		limit = DefaultIOCheckLimit
	}
	if c.Plan.AppIOService == "" || s.IO == nil || s.Keys == nil || len(rows) > limit {
		return nil
	}
	key, err := s.Keys.APIKey(ctx, c.Plan.AppIOService)
	if err != nil {
		slog.Warn("dry run: no app io key", "service", c.Plan.AppIOService, "err", err)
		return nil
	}
	n := 0
	for _, r := range rows {
		if err := s.Throttle.Wait(ctx, key); err != nil {
			return nil
		}
		p, err := s.IO.Profile(ctx, key, r.Debtor.FiscalCode)
		switch {
		case errors.Is(err, appio.ErrNotOnIO):
			n++
		case err != nil:
			slog.Warn("dry run: app io profile check stopped", "service", c.Plan.AppIOService, "err", err)
			return nil
		case !p.SenderAllowed:
			n++
		}
	}
	return &n
}
