package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sportello/sportello/errs"
)

// OrgImport says what an import of an organisation CSV changed.
type OrgImport struct {
	Units   int `json:"units"`
	Created int `json:"created"`
	Updated int `json:"updated"`
	Deleted int `json:"deleted"`
}

// csvColumns are the columns of the personnel system's export; codice and
// denominazione are required, the others optional.
var csvColumns = []string{"codice", "padre", "denominazione", "tipo", "responsabile"}

// ParseOrgCSV reads an organisation export: a header naming the columns
// (codice, padre, denominazione, tipo, responsabile; comma or semicolon
// separated) and one unit a line. Every bad line is reported by its number.
func ParseOrgCSV(data []byte) ([]Unit, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, errs.Field("line 1", "a header is required: %s", strings.Join(csvColumns, ";"))
	}
	col := map[string]int{}
	var fe []errs.FieldError
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !contains(csvColumns, h) {
			fe = append(fe, errs.FieldError{Field: "line 1", Message: fmt.Sprintf("column %q is not one of %s", h, strings.Join(csvColumns, ", "))})
		}
		col[h] = i
	}
	for _, req := range []string{"codice", "denominazione"} {
		if _, ok := col[req]; !ok {
			fe = append(fe, errs.FieldError{Field: "line 1", Message: "column " + req + " is required"})
		}
	}
	if len(fe) > 0 {
		return nil, errs.Fields(fe)
	}
	units := map[string]Unit{}
	lines := map[string]int{}
	var order []Unit
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos is only defined for a record read whole: a parse error
			// carries its own line.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("line %d", line), Message: "is not valid CSV: " + err.Error()})
			continue
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		u := Unit{Code: get("codice"), Parent: get("padre"), Name: get("denominazione"), Kind: get("tipo"), Manager: get("responsabile")}
		bad := false
		if u.Code == "" {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("line %d.codice", line), Message: "is required"})
			bad = true
		} else if err := CheckUnitCode(fmt.Sprintf("line %d.codice", line), u.Code); err != nil {
			e, _ := errs.As(err)
			fe = append(fe, e.Fields...)
			bad = true
		}
		if u.Name == "" {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("line %d.denominazione", line), Message: "is required"})
			bad = true
		}
		if prev, dup := lines[u.Code]; dup && u.Code != "" {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("line %d.codice", line), Message: fmt.Sprintf("%s is also on line %d", u.Code, prev)})
			bad = true
		}
		if u.Code != "" && u.Code == u.Parent {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("line %d.padre", line), Message: "a unit cannot be its own parent"})
			bad = true
		}
		if bad {
			continue
		}
		lines[u.Code] = line
		units[u.Code] = u
		order = append(order, u)
	}
	if len(fe) == 0 {
		fe = checkTree(units, func(code string) string { return fmt.Sprintf("line %d.padre", lines[code]) })
	}
	if len(fe) == 0 && len(units) == 0 {
		fe = append(fe, errs.FieldError{Field: "line 2", Message: "the file lists no unit"})
	}
	if err := errs.Fields(fe); err != nil {
		return nil, err
	}
	return order, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ImportOrgCSV replaces an ente's organisation with the CSV export of its
// personnel system, all or nothing; each created, changed or removed unit is
// recorded in the history.
func (s *Store) ImportOrgCSV(ctx context.Context, ente string, data []byte, actor string) (*OrgImport, error) {
	units, err := ParseOrgCSV(data)
	if err != nil {
		return nil, err
	}
	var res *OrgImport
	err = s.tx(ctx, func(ts *Store) error {
		res, err = ts.replaceUnits(ctx, ente, units, SourceCSV, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("organisation imported", "ente", ente, "units", res.Units, "created", res.Created, "updated", res.Updated, "deleted", res.Deleted)
	return res, nil
}

func mapValues(m map[string]Unit) []Unit {
	out := make([]Unit, 0, len(m))
	for _, u := range m {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// replaceUnits makes units the whole organisation of ente, recording each
// difference in the history. units must already form a tree.
func (s *Store) replaceUnits(ctx context.Context, ente string, units []Unit, source, actor string) (*OrgImport, error) {
	res := &OrgImport{Units: len(units)}
	if _, err := s.GetEnte(ctx, ente); err != nil {
		return nil, err
	}
	current, err := s.Units(ctx, ente)
	if err != nil {
		return nil, err
	}
	old := map[string]Unit{}
	for _, u := range current {
		old[u.Code] = u
	}
	now := s.now()
	for _, u := range units {
		prev, had := old[u.Code]
		delete(old, u.Code)
		if had && prev == u {
			continue
		}
		row := unitRow{Ente: ente, Code: u.Code, Parent: u.Parent, Name: u.Name, Kind: u.Kind, Manager: u.Manager, UpdatedAt: now}
		if err := s.conn(ctx).Save(&row).Error; err != nil {
			return nil, fmt.Errorf("save unit %s: %w", u.Code, err)
		}
		u := u
		if had {
			res.Updated++
			err = s.recordUnit(ctx, ente, &prev, &u, source, actor)
		} else {
			res.Created++
			err = s.recordUnit(ctx, ente, nil, &u, source, actor)
		}
		if err != nil {
			return nil, err
		}
	}
	gone := mapValues(old)
	if err := s.checkOfficesKept(ctx, ente, gone); err != nil {
		return nil, err
	}
	for _, u := range gone {
		if err := s.conn(ctx).Where("ente = ? AND code = ?", ente, u.Code).Delete(&unitRow{}).Error; err != nil {
			return nil, fmt.Errorf("delete unit %s: %w", u.Code, err)
		}
		u := u
		res.Deleted++
		if err := s.recordUnit(ctx, ente, &u, nil, source, actor); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// checkOfficesKept refuses to remove units that are the responsible office of
// one of the ente's procedimenti: the procedimento would point nowhere.
func (s *Store) checkOfficesKept(ctx context.Context, ente string, gone []Unit) error {
	if len(gone) == 0 {
		return nil
	}
	procs, err := s.ListProcedimenti(ctx, ProcedimentoFilter{Ente: ente})
	if err != nil {
		return err
	}
	var fe []errs.FieldError
	for _, u := range gone {
		for _, p := range procs {
			if p.Office == u.Code {
				fe = append(fe, errs.FieldError{Field: "units", Message: fmt.Sprintf(
					"unit %s is the responsible office of procedimento %s: keep it or change the procedimento first", u.Code, p.ID)})
			}
		}
	}
	return errs.Fields(fe)
}
