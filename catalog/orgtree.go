package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/errs"
)

// Unit is one organisation structure of an ente (area, settore, servizio, ufficio).
type Unit struct {
	Code    string `json:"code"`
	Parent  string `json:"parent,omitempty"` // empty for the root
	Name    string `json:"name"`
	Kind    string `json:"kind,omitempty"`
	Manager string `json:"manager,omitempty"` // the responsible's role, e.g. "Dirigente"
}

type unitRow struct {
	Ente      string    `gorm:"column:ente;primaryKey"`
	Code      string    `gorm:"column:code;primaryKey"`
	Parent    string    `gorm:"column:parent"`
	Name      string    `gorm:"column:name"`
	Kind      string    `gorm:"column:kind"`
	Manager   string    `gorm:"column:manager"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

func (unitRow) TableName() string { return "catalog_org_units" }

func (r unitRow) unit() Unit {
	return Unit{Code: r.Code, Parent: r.Parent, Name: r.Name, Kind: r.Kind, Manager: r.Manager}
}

// UnitChange is one entry of the history of an ente's organisation.
type UnitChange struct {
	ID     string    `json:"id" gorm:"column:id;primaryKey"`
	Ente   string    `json:"ente" gorm:"column:ente"`
	Code   string    `json:"code" gorm:"column:code"`
	Action string    `json:"action" gorm:"column:action"` // create, update, delete
	Source string    `json:"source" gorm:"column:source"` // csv (the personnel system) or manual
	Actor  string    `json:"actor,omitempty" gorm:"column:actor"`
	Before string    `json:"before,omitempty" gorm:"column:before"`
	After  string    `json:"after,omitempty" gorm:"column:after"`
	At     time.Time `json:"at" gorm:"column:at"`
}

// TableName is the history table for GORM.
func (UnitChange) TableName() string { return "catalog_org_history" }

// Sources of a change to the organisation.
const (
	SourceCSV    = "csv"
	SourceManual = "manual"
)

// Units returns the organisation of an ente, parents before children.
func (s *Store) Units(ctx context.Context, ente string) ([]Unit, error) {
	var rows []unitRow
	if err := s.conn(ctx).Where("ente = ?", ente).Order("code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list units of %s: %w", ente, err)
	}
	units := make([]Unit, len(rows))
	for i, r := range rows {
		units[i] = r.unit()
	}
	return treeOrder(units), nil
}

// treeOrder sorts units depth-first from the roots, children by code.
func treeOrder(units []Unit) []Unit {
	children := map[string][]Unit{}
	for _, u := range units {
		children[u.Parent] = append(children[u.Parent], u)
	}
	out := make([]Unit, 0, len(units))
	var walk func(code string)
	walk = func(code string) {
		kids := children[code]
		sort.Slice(kids, func(i, j int) bool { return kids[i].Code < kids[j].Code })
		for _, k := range kids {
			out = append(out, k)
			walk(k.Code)
		}
	}
	walk("")
	return out
}

// checkTree finds parents that do not exist and cycles; at names a unit's
// position for the error (a CSV line, or the field).
func checkTree(units map[string]Unit, at func(code string) string) []errs.FieldError {
	var fe []errs.FieldError
	codes := make([]string, 0, len(units))
	for c := range units {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	reported := map[string]bool{}
	for _, c := range codes {
		u := units[c]
		if u.Parent != "" {
			if _, ok := units[u.Parent]; !ok {
				fe = append(fe, errs.FieldError{Field: at(c), Message: fmt.Sprintf("parent %s of %s does not exist", u.Parent, c)})
				continue
			}
		}
		path := []string{c}
		seen := map[string]bool{c: true}
		for p := u.Parent; p != ""; p = units[p].Parent {
			if seen[p] {
				i := indexOf(path, p)
				cycle := append(path[i:], p)
				key := minString(path[i:])
				if !reported[key] {
					reported[key] = true
					fe = append(fe, errs.FieldError{Field: at(c), Message: "cycle in the organisation: " + strings.Join(cycle, " → ")})
				}
				break
			}
			if _, ok := units[p]; !ok {
				break
			}
			seen[p] = true
			path = append(path, p)
		}
	}
	return fe
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return 0
}

func minString(s []string) string {
	m := s[0]
	for _, x := range s[1:] {
		m = min(m, x)
	}
	return m
}

// PutUnit creates or edits one unit by hand, refusing a missing parent or a move
// under its own descendants; the change goes in the history.
func (s *Store) PutUnit(ctx context.Context, ente string, u Unit, actor string) (*Unit, error) {
	u.Code, u.Parent, u.Name = strings.TrimSpace(u.Code), strings.TrimSpace(u.Parent), strings.TrimSpace(u.Name)
	var fe []errs.FieldError
	if u.Code == "" {
		fe = append(fe, errs.FieldError{Field: "code", Message: "is required"})
	} else if err := CheckUnitCode("code", u.Code); err != nil {
		e, _ := errs.As(err)
		fe = append(fe, e.Fields...)
	}
	if u.Parent != "" {
		if err := CheckUnitCode("parent", u.Parent); err != nil {
			e, _ := errs.As(err)
			fe = append(fe, e.Fields...)
		}
	}
	if u.Name == "" {
		fe = append(fe, errs.FieldError{Field: "name", Message: "is required"})
	}
	if err := errs.Fields(fe); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(ts *Store) error {
		if _, err := ts.GetEnte(ctx, ente); err != nil {
			return err
		}
		current, err := ts.Units(ctx, ente)
		if err != nil {
			return err
		}
		units := map[string]Unit{}
		var before *Unit
		for _, x := range current {
			units[x.Code] = x
			if x.Code == u.Code {
				x := x
				before = &x
			}
		}
		if before != nil && *before == u {
			return nil
		}
		units[u.Code] = u
		if fe := checkTree(units, func(string) string { return "parent" }); len(fe) > 0 {
			return errs.Fields(fe[:1])
		}
		row := unitRow{Ente: ente, Code: u.Code, Parent: u.Parent, Name: u.Name, Kind: u.Kind, Manager: u.Manager, UpdatedAt: s.now()}
		if err := ts.conn(ctx).Save(&row).Error; err != nil {
			return fmt.Errorf("save unit %s/%s: %w", ente, u.Code, err)
		}
		return ts.recordUnit(ctx, ente, before, &u, SourceManual, actor)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// DeleteUnit removes a unit without children.
func (s *Store) DeleteUnit(ctx context.Context, ente, code, actor string) error {
	if err := CheckUnitCode("code", code); err != nil {
		return err
	}
	return s.tx(ctx, func(ts *Store) error {
		if _, err := ts.GetEnte(ctx, ente); err != nil {
			return err
		}
		var row unitRow
		if err := ts.conn(ctx).Where("ente = ? AND code = ?", ente, code).Take(&row).Error; err != nil {
			return errs.E(errs.NotFound, "unit %s of %s does not exist", code, ente)
		}
		var n int64
		if err := ts.conn(ctx).Model(&unitRow{}).Where("ente = ? AND parent = ?", ente, code).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &errs.Error{Code: errs.Conflict, Reason: "has_children", Message: fmt.Sprintf("unit %s has %d units under it: move or delete them first", code, n)}
		}
		if err := ts.checkOfficesKept(ctx, ente, []Unit{row.unit()}); err != nil {
			e, _ := errs.As(err)
			return &errs.Error{Code: errs.Conflict, Reason: "in_use", Message: e.Fields[0].Message}
		}
		if err := ts.conn(ctx).Delete(&row).Error; err != nil {
			return fmt.Errorf("delete unit %s/%s: %w", ente, code, err)
		}
		u := row.unit()
		return ts.recordUnit(ctx, ente, &u, nil, SourceManual, actor)
	})
}

func (s *Store) recordUnit(ctx context.Context, ente string, before, after *Unit, source, actor string) error {
	c := UnitChange{ID: uuid.Must(uuid.NewV7()).String(), Ente: ente, Source: source, Actor: actor, At: s.now()}
	switch {
	case before == nil:
		c.Action, c.Code = "create", after.Code
	case after == nil:
		c.Action, c.Code = "delete", before.Code
	default:
		c.Action, c.Code = "update", after.Code
	}
	if before != nil {
		b, _ := json.Marshal(before)
		c.Before = string(b)
	}
	if after != nil {
		b, _ := json.Marshal(after)
		c.After = string(b)
	}
	if err := s.conn(ctx).Create(&c).Error; err != nil {
		return fmt.Errorf("record unit change: %w", err)
	}
	return nil
}

// UnitHistory lists the changes to an ente's organisation, oldest first: ids are
// UUIDv7, time-ordered and monotonic within the process.
func (s *Store) UnitHistory(ctx context.Context, ente string) ([]UnitChange, error) {
	var out []UnitChange
	err := s.conn(ctx).Where("ente = ?", ente).Order("id").Find(&out).Error
	return out, err
}

// Office checks that office is an organisation unit of ente; with ente empty,
// that some ente has a unit with that code (regional templates name office
// kinds each ente provides). The modeller and the pratiche use it.
func (s *Store) Office(ctx context.Context, ente, office string) error {
	q := s.conn(ctx).Model(&unitRow{}).Where("code = ?", office)
	if ente != "" {
		q = q.Where("ente = ?", ente)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return fmt.Errorf("check office %s: %w", office, err)
	}
	if n == 0 {
		if ente == "" {
			return errs.E(errs.NotFound, "no ente has an office %s", office)
		}
		return errs.E(errs.NotFound, "office %s of %s not found", office, ente)
	}
	return nil
}
