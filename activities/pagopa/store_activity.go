package pagopa

import (
	"context"

	"github.com/sportello/sportello/errs"
)

// ActiveServices lists the services of an ente with at least one notice issued
// (published, valid, paid or reconciled): "active on pagoPA" for the
// monitoring of the regional agreement. Drafts and invalidated positions do not count.
func (s *Store) ActiveServices(ctx context.Context, ente string) (map[string]bool, error) {
	var ids []string
	err := s.db.WithContext(ctx).Table("pagopa_positions").
		Where("ente = ? AND service_id <> '' AND status NOT IN ?", ente, []Status{Draft, Invalid}).
		Distinct().Pluck("service_id", &ids).Error
	if err != nil {
		return nil, errs.Wrap(err, "active services of %s", ente)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
