package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/sportello/sportello/errs"
)

// Procedimento is the merged view of a procedimento: a regional definition, or
// an ente's specialisation with each field's origin.
type Procedimento struct {
	Header
	ProcedimentoSpec
}

var procKind = kind{name: "procedimento", table: "catalog_procedimenti", derive: deriveProc}

func deriveProc(merged fields) (map[string]any, error) {
	var p ProcedimentoSpec
	if err := strictDecode(merged, &p); err != nil {
		return nil, err
	}
	var name Text
	if p.Name != nil {
		name = *p.Name
	}
	return map[string]any{"name": name.It, "start_kind": p.Start, "search": Normalize(name.It + " " + name.En)}, nil
}

// PutProcedimento creates or updates a procedimento; see Input and putDef for ifMatch.
func (s *Store) PutProcedimento(ctx context.Context, in Input, ifMatch int64, actor string) (*Procedimento, error) {
	r, err := putDef(ctx, s, procKind, in, ifMatch, actor, validateProc)
	if err != nil {
		return nil, err
	}
	return s.procView(ctx, r, nil)
}

func validateProc(ctx context.Context, ts *Store, ente string, p ProcedimentoSpec) []errs.FieldError {
	var fe []errs.FieldError
	add := func(f, m string, a ...any) {
		fe = append(fe, errs.FieldError{Field: "spec." + f, Message: fmt.Sprintf(m, a...)})
	}
	if p.Name == nil || strings.TrimSpace(p.Name.It) == "" {
		add("name.it", "is required")
	}
	if len(p.LegalBasis) == 0 {
		add("legalBasis", "at least one act is required (e.g. D.P.R. 396/2000)")
	}
	for i, a := range p.LegalBasis {
		if strings.TrimSpace(a.Title) == "" {
			add(fmt.Sprintf("legalBasis[%d].title", i), "is required")
		}
	}
	for i, ph := range p.Iter {
		if strings.TrimSpace(ph.Name.It) == "" {
			add(fmt.Sprintf("iter[%d].name.it", i), "is required")
		}
		if ph.Days < 0 {
			add(fmt.Sprintf("iter[%d].days", i), "cannot be negative")
		}
	}
	if p.Term == nil {
		add("term", "is required: 30 days unless a law says otherwise (L. 241/1990 art. 2)")
	} else if p.Term.Days <= 0 || p.Term.Days > 3650 {
		add("term.days", "must be between 1 and 3650")
	}
	if !contains(startKinds, p.Start) {
		add("start", "must be one of %s", strings.Join(startKinds, ", "))
	}
	if !contains(endKinds, p.End) {
		add("end", "must be one of %s", strings.Join(endKinds, ", "))
	}
	for i, d := range p.Deadlines {
		if d.Name.It == "" {
			add(fmt.Sprintf("deadlines[%d].name.it", i), "is required")
		}
		if d.Days <= 0 {
			add(fmt.Sprintf("deadlines[%d].days", i), "must be positive")
		}
	}
	if p.Office == "" {
		add("office", "the responsible office is required")
	} else if ente != "" {
		var n int64
		if err := ts.conn(ctx).Model(&unitRow{}).Where("ente = ? AND code = ?", ente, p.Office).Count(&n).Error; err != nil {
			add("office", "cannot be checked: %v", err)
		} else if n == 0 {
			add("office", "%s is not an organisation unit of %s", p.Office, ente)
		}
	}
	return fe
}

func (s *Store) procView(ctx context.Context, r *defRow, bases map[string]*defRow) (*Procedimento, error) {
	h, merged, err := s.view(ctx, procKind, r, bases)
	if err != nil {
		return nil, err
	}
	p := &Procedimento{Header: h}
	if err := strictDecode(merged, &p.ProcedimentoSpec); err != nil {
		return nil, fmt.Errorf("procedimento %s: %w", r.ID, err)
	}
	return p, nil
}

// GetProcedimento returns the merged view of a procedimento.
func (s *Store) GetProcedimento(ctx context.Context, id string) (*Procedimento, error) {
	r, err := s.loadDef(ctx, procKind, id)
	if err != nil {
		return nil, err
	}
	return s.procView(ctx, r, nil)
}

// ProcedimentoFilter narrows a list of procedimenti.
type ProcedimentoFilter struct {
	Ente  string // an ente's specialisations; Region lists the regional definitions
	Base  string
	Start string
	Q     string
}

// Region selects regional and national definitions in a filter's Ente.
const Region = "region"

// ListProcedimenti returns merged views by id.
func (s *Store) ListProcedimenti(ctx context.Context, f ProcedimentoFilter) ([]Procedimento, error) {
	q := s.conn(ctx).Table(procKind.table)
	switch f.Ente {
	case "":
	case Region:
		q = q.Where("ente = ''")
	default:
		q = q.Where("ente = ?", f.Ente)
	}
	if f.Base != "" {
		q = q.Where("base = ?", f.Base)
	}
	if f.Start != "" {
		q = q.Where("start_kind = ?", f.Start)
	}
	for _, w := range strings.Fields(Normalize(f.Q)) {
		q = q.Where("search LIKE ?", "%"+likeEscape(w)+"%")
	}
	var rows []*defRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list procedimenti: %w", err)
	}
	bases, err := s.bases(ctx, procKind, rows)
	if err != nil {
		return nil, err
	}
	out := make([]Procedimento, 0, len(rows))
	for _, r := range rows {
		p, err := s.procView(ctx, r, bases)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
}

// bases loads in one query the regional rows the given rows specialise.
func (s *Store) bases(ctx context.Context, k kind, rows []*defRow) (map[string]*defRow, error) {
	ids := map[string]bool{}
	for _, r := range rows {
		if r.Base != "" {
			ids[r.Base] = true
		}
	}
	out := map[string]*defRow{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	var bs []*defRow
	if err := s.conn(ctx).Table(k.table).Where("id IN ?", list).Find(&bs).Error; err != nil {
		return nil, fmt.Errorf("load base %ss: %w", k.name, err)
	}
	for _, b := range bs {
		out[b.ID] = b
	}
	return out, nil
}

// ProcedimentoChanges lists what changed in the regional procedimento since the
// ente's specialisation was based on it.
func (s *Store) ProcedimentoChanges(ctx context.Context, id string) ([]Change, error) {
	return s.changes(ctx, procKind, id)
}

// RebaseProcedimento records that the ente has seen the regional changes.
func (s *Store) RebaseProcedimento(ctx context.Context, id string, ifMatch int64) (*Procedimento, error) {
	r, err := s.rebase(ctx, procKind, id, ifMatch)
	if err != nil {
		return nil, err
	}
	return s.procView(ctx, r, nil)
}

// DeleteProcedimento removes a procedimento that no service and no ente uses.
func (s *Store) DeleteProcedimento(ctx context.Context, id string, ifMatch int64) error {
	return s.deleteDef(ctx, procKind, id, ifMatch, func(ctx context.Context, ts *Store) ([]string, error) {
		all, err := ts.ListServices(ctx, ServiceFilter{})
		if err != nil {
			return nil, err
		}
		var users []string
		for _, sv := range all {
			if sv.Procedimento == id {
				users = append(users, sv.ID)
			}
		}
		return users, nil
	})
}
