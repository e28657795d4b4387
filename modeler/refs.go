package modeler

import (
	"context"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// StaticRefs is a References over fixed lists: for tests and for a dev setup
// before the catalog is wired. Offices maps an ente to its office ids; the key
// "" lists the office kinds regional templates may name.
type StaticRefs struct {
	Taxonomies map[string]bool
	Roles      map[string]bool
	Offices    map[string][]string
}

// DefaultRefs knows the taxonomy codes, roles and offices of the demo services.
func DefaultRefs() *StaticRefs {
	return &StaticRefs{
		Taxonomies: map[string]bool{"9/0104102TS/": true, "9/0104100TS/": true, "9/0101101IM/": true, "9/0107101TS/": true},
		Roles:      map[string]bool{pratica.RoleOperator: true, pratica.RoleEnteAdmin: true, pratica.RoleDesigner: true},
		Offices: map[string][]string{
			"":       {"stato-civile", "tributi", "istruzione", "protocollo"},
			"c_l424": {"stato-civile", "tributi", "istruzione", "protocollo"},
			"c_f081": {"stato-civile", "protocollo"},
		},
	}
}

// Taxonomy implements References.
func (s *StaticRefs) Taxonomy(_ context.Context, code string) error {
	if !s.Taxonomies[code] {
		return errs.E(errs.NotFound, "taxonomy %s not found", code)
	}
	return nil
}

// Role implements References.
func (s *StaticRefs) Role(_ context.Context, role string) error {
	if !s.Roles[role] {
		return errs.E(errs.NotFound, "role %s not found", role)
	}
	return nil
}

// Office implements References.
func (s *StaticRefs) Office(_ context.Context, ente, office string) error {
	for _, o := range s.Offices[ente] {
		if o == office {
			return nil
		}
	}
	return errs.E(errs.NotFound, "office %s of %q not found", office, ente)
}

// Ente implements Enti: the enti of Offices exist.
func (s *StaticRefs) Ente(_ context.Context, ente string) error {
	if _, ok := s.Offices[ente]; !ok || ente == "" {
		return errs.E(errs.NotFound, "ente %s not found", ente)
	}
	return nil
}
