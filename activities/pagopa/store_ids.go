package pagopa

import (
	"context"
	"fmt"
)

// ByIDs loads the positions of ids with their options and transfers, in the
// order of ids; an id with no position is left out.
func (s *Store) ByIDs(ctx context.Context, ids []string) ([]*Position, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []positionRow
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read %d positions: %w", len(ids), err)
	}
	ps, err := s.assemble(ctx, rows)
	if err != nil {
		return nil, fmt.Errorf("read %d positions: %w", len(ids), err)
	}
	by := make(map[string]*Position, len(ps))
	for _, p := range ps {
		by[p.ID] = p
	}
	out := make([]*Position, 0, len(ps))
	for _, id := range ids {
		if p, ok := by[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}
