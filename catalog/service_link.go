package catalog

import (
	"context"
	"slices"
)

// LinkTemplate points every service that runs one of templates at ref, so new
// pratiche start on that version; with ente set, only that ente's services
// move. Pratiche in flight keep the version they pinned at their start. Service
// types go first, so the enti that inherit their template follow without an
// override of their own. It returns the ids of the services it changed.
func (s *Store) LinkTemplate(ctx context.Context, ente string, templates []string, ref TemplateRef, actor string) ([]string, error) {
	f := ServiceFilter{Ente: ente}
	services, err := s.ListServices(ctx, f)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(services, func(a, b Service) int {
		switch {
		case a.Ente == "" && b.Ente != "":
			return -1
		case a.Ente != "" && b.Ente == "":
			return 1
		}
		return 0
	})
	var moved []string
	for _, listed := range services {
		sv, err := s.GetService(ctx, listed.ID)
		if err != nil {
			return moved, err
		}
		if sv.Template == nil || !slices.Contains(templates, sv.Template.ID) || *sv.Template == ref {
			continue
		}
		if _, err := s.SetTemplate(ctx, sv.ID, ref, actor); err != nil {
			return moved, err
		}
		moved = append(moved, sv.ID)
	}
	return moved, nil
}
