package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/sportello/sportello/errs"
)

// BundleFormat names the JSON export format and its version.
const BundleFormat = "sportello-catalog/1"

// Bundle is a JSON export of the catalog: master data and definitions as they
// are stored, so an ente's services carry only their overrides.
type Bundle struct {
	Format       string            `json:"format"`
	Enti         []Ente            `json:"enti"`
	Units        map[string][]Unit `json:"units"`
	Procedimenti []Input           `json:"procedimenti"`
	Services     []Input           `json:"services"`
	// Concepts are every version of every concept, oldest first.
	Concepts []Concept `json:"concepts,omitempty"`
}

// BundleResult counts what an import wrote.
type BundleResult struct {
	Enti         int `json:"enti"`
	Units        int `json:"units"`
	Procedimenti int `json:"procedimenti"`
	Services     int `json:"services"`
	Concepts     int `json:"concepts"`
}

// Export returns the catalog of one ente (its master data and specialisations),
// the regional definitions with ente Region, or everything with ente empty.
func (s *Store) Export(ctx context.Context, ente string) (*Bundle, error) {
	b := &Bundle{Format: BundleFormat, Enti: []Ente{}, Units: map[string][]Unit{}, Procedimenti: []Input{}, Services: []Input{}}
	enti, err := s.ListEnti(ctx)
	if err != nil {
		return nil, err
	}
	found := false
	for _, e := range enti {
		if ente == "" || e.ID == ente {
			found = true
			e.Revision, e.UpdatedAt = 0, e.UpdatedAt.UTC()
			b.Enti = append(b.Enti, e)
			units, err := s.Units(ctx, e.ID)
			if err != nil {
				return nil, err
			}
			if len(units) > 0 {
				b.Units[e.ID] = units
			}
		}
	}
	if !found && ente != "" && ente != Region {
		return nil, errs.E(errs.NotFound, "ente %s does not exist", ente)
	}
	for _, k := range []kind{procKind, serviceKind} {
		q := s.conn(ctx).Table(k.table)
		switch ente {
		case "":
		case Region:
			q = q.Where("ente = ''")
		default:
			q = q.Where("ente = ?", ente)
		}
		var rows []defRow
		// Regional rows first, so an import creates bases before specialisations.
		if err := q.Order("ente, id").Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("export %ss: %w", k.name, err)
		}
		for _, r := range rows {
			in := Input{ID: r.ID, Ente: r.Ente, Level: Level(r.Level), Base: r.Base, Spec: json.RawMessage(r.Spec)}
			if k.name == procKind.name {
				b.Procedimenti = append(b.Procedimenti, in)
			} else {
				b.Services = append(b.Services, in)
			}
		}
	}
	if ente == "" || ente == Region {
		if b.Concepts, err = s.Concepts(ctx, "", true); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Import writes a bundle all or nothing: every bad entry is reported, its field
// prefixed by its place in the bundle (e.g. services[3].spec.taxonomy[0]), and
// then nothing is written. Entries equal to the stored ones change nothing.
func (s *Store) Import(ctx context.Context, b *Bundle, actor string) (*BundleResult, error) {
	if b.Format != BundleFormat {
		return nil, errs.Field("format", "must be %q", BundleFormat)
	}
	res := &BundleResult{}
	var fe []errs.FieldError
	collect := func(prefix string, err error) error {
		if err == nil {
			return nil
		}
		e, ok := errs.As(err)
		if !ok || e.Code == errs.Internal {
			return err
		}
		if len(e.Fields) == 0 {
			fe = append(fe, errs.FieldError{Field: prefix, Message: e.Message})
		}
		for _, f := range e.Fields {
			fe = append(fe, errs.FieldError{Field: prefix + "." + f.Field, Message: f.Message})
		}
		return nil
	}
	err := s.tx(ctx, func(ts *Store) error {
		for i, e := range b.Enti {
			_, err := ts.PutEnte(ctx, e, Unconditional)
			if err := collect(fmt.Sprintf("enti[%d]", i), err); err != nil {
				return err
			}
			res.Enti++
		}
		entes := make([]string, 0, len(b.Units))
		for e := range b.Units {
			entes = append(entes, e)
		}
		sort.Strings(entes)
		for _, e := range entes {
			units := b.Units[e]
			byCode := map[string]Unit{}
			index := map[string]int{}
			for i, u := range units {
				byCode[u.Code], index[u.Code] = u, i
			}
			if bad := checkTree(byCode, func(c string) string { return fmt.Sprintf("units.%s[%d].parent", e, index[c]) }); len(bad) > 0 {
				fe = append(fe, bad...)
				continue
			}
			_, err := ts.replaceUnits(ctx, e, units, SourceManual, actor)
			if err := collect("units."+e, err); err != nil {
				return err
			}
			res.Units += len(units)
		}
		for i, c := range b.Concepts {
			if err := collect(fmt.Sprintf("concepts[%d]", i), ts.importConcept(ctx, c)); err != nil {
				return err
			}
			res.Concepts++
		}
		for i, in := range b.Procedimenti {
			_, err := ts.PutProcedimento(ctx, in, Unconditional, actor)
			if err := collect(fmt.Sprintf("procedimenti[%d]", i), err); err != nil {
				return err
			}
			res.Procedimenti++
		}
		for i, in := range b.Services {
			_, err := ts.PutService(ctx, in, Unconditional, actor)
			if err := collect(fmt.Sprintf("services[%d]", i), err); err != nil {
				return err
			}
			res.Services++
		}
		return errs.Fields(fe)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
