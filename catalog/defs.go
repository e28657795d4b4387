package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// Input writes a procedimento or a service. For a regional or national
// definition Spec is the whole definition; for an ente's specialisation of Base
// it holds only the fields the ente overrides (null drops an override).
type Input struct {
	ID    string          `json:"id"`
	Ente  string          `json:"ente,omitempty"`
	Level Level           `json:"level,omitempty"`
	Base  string          `json:"base,omitempty"`
	Spec  json.RawMessage `json:"spec"`
}

// Header is what every procedimento and service view carries besides its fields.
type Header struct {
	ID    string `json:"id"`
	Ente  string `json:"ente,omitempty"`
	Level Level  `json:"level"`
	Base  string `json:"base,omitempty"`
	// BaseVersion is the revision of Base the ente last accepted; RegionalVersion is its current one.
	BaseVersion     int64 `json:"baseVersion,omitempty"`
	RegionalVersion int64 `json:"regionalVersion,omitempty"`
	// Outdated is true when the regional definition changed since BaseVersion.
	Outdated  bool      `json:"outdated,omitempty"`
	Revision  int64     `json:"revision"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Origins says for each field whether it comes from the region or the ente.
	Origins map[string]Origin `json:"origins"`
	// Overrides is what the ente stored itself: only the fields it overrides.
	Overrides map[string]json.RawMessage `json:"overrides,omitempty"`
}

// ETag is the entity tag of the stored row, for If-Match.
func (h *Header) ETag() string { return fmt.Sprintf(`"%s.%d"`, h.ID, h.Revision) }

// Values of ifMatch besides a stored revision (positive) and 0 (create only).
const (
	// Unconditional writes whatever is stored, creating when nothing is (seed, import).
	Unconditional int64 = -1
	// AnyRevision writes over whatever revision is stored, but only over an existing row (If-Match: *).
	AnyRevision int64 = -2
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

type defRow struct {
	ID          string    `gorm:"column:id;primaryKey"`
	Ente        string    `gorm:"column:ente"`
	Level       string    `gorm:"column:level"`
	Base        string    `gorm:"column:base"`
	BaseVersion int64     `gorm:"column:base_version"`
	Spec        string    `gorm:"column:spec"`
	Revision    int64     `gorm:"column:revision"`
	CreatedAt   time.Time `gorm:"column:created_at"`
	UpdatedAt   time.Time `gorm:"column:updated_at"`
	// decoded memoises Spec as fields when the row is the base of many in a list.
	decoded fields
}

// fields returns the row's spec decoded, once.
func (r *defRow) fields() (fields, error) {
	if r.decoded == nil {
		f, err := decodeFields(r.Spec)
		if err != nil {
			return nil, err
		}
		r.decoded = f
	}
	return r.decoded, nil
}

// kind describes one of the two inherited definitions.
type kind struct {
	name  string
	table string
	// derive computes the merged view's columns used by list filters.
	derive func(merged fields) (map[string]any, error)
}

func (s *Store) loadDef(ctx context.Context, k kind, id string) (*defRow, error) {
	var r defRow
	err := s.conn(ctx).Table(k.table).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "%s %s does not exist", k.name, id)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", k.name, id, err)
	}
	return &r, nil
}

// view merges row over its base and fills the header.
func (s *Store) view(ctx context.Context, k kind, r *defRow, bases map[string]*defRow) (Header, fields, error) {
	own, err := decodeFields(r.Spec)
	if err != nil {
		return Header{}, nil, err
	}
	h := Header{ID: r.ID, Ente: r.Ente, Level: Level(r.Level), Base: r.Base, Revision: r.Revision, UpdatedAt: r.UpdatedAt.UTC()}
	var base fields
	if r.Base != "" {
		b := bases[r.Base]
		if b == nil {
			if b, err = s.loadDef(ctx, k, r.Base); err != nil {
				return Header{}, nil, err
			}
		}
		if base, err = b.fields(); err != nil {
			return Header{}, nil, err
		}
		h.BaseVersion, h.RegionalVersion, h.Outdated = r.BaseVersion, b.Revision, b.Revision > r.BaseVersion
		h.Overrides = own
	}
	merged := fields{}
	h.Origins = map[string]Origin{}
	for k, v := range base {
		merged[k], h.Origins[k] = v, FromRegion
	}
	for k, v := range own {
		merged[k], h.Origins[k] = v, FromEnte
	}
	if r.Ente == "" {
		for k := range h.Origins {
			h.Origins[k] = FromRegion
		}
	}
	return h, merged, nil
}

// putDef validates and writes one definition. ifMatch 0 creates, a positive
// revision updates that revision only, AnyRevision any existing one, Unconditional
// writes in any case.
func putDef[T any](ctx context.Context, s *Store, k kind, in Input, ifMatch int64, actor string,
	validate func(ctx context.Context, ts *Store, ente string, spec T) []errs.FieldError) (*defRow, error) {
	if err := checkIdentity(ctx, s, k, &in); err != nil {
		return nil, err
	}
	own, err := parseSpec[T]("spec", in.Spec)
	if err != nil {
		return nil, err
	}
	var out *defRow
	err = s.tx(ctx, func(ts *Store) error {
		var base *defRow
		if in.Base != "" {
			if base, err = ts.loadDef(ctx, k, in.Base); errs.Is(err, errs.NotFound) {
				return errs.Field("base", "%s %s does not exist", k.name, in.Base)
			} else if err != nil {
				return err
			}
			if base.Ente != "" {
				return errs.Field("base", "%s is an ente's %s: only regional or national ones are specialised", in.Base, k.name)
			}
		}
		cur, err := ts.loadDef(ctx, k, in.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		if err := precondition(k, in.ID, cur, ifMatch); err != nil {
			return err
		}
		if cur != nil && (cur.Base != in.Base || cur.Ente != in.Ente) {
			return errs.Field("base", "a %s keeps its ente and base: delete it and create it again", k.name)
		}
		row := &defRow{ID: in.ID, Ente: in.Ente, Level: string(in.Level), Base: in.Base, Spec: encodeFields(own), Revision: 1}
		if base != nil {
			row.BaseVersion = base.Revision
		}
		_, merged, err := ts.view(ctx, k, row, map[string]*defRow{in.Base: base})
		if err != nil {
			return err
		}
		var spec T
		if err := strictDecode(merged, &spec); err != nil {
			return specError("spec", err)
		}
		if err := errs.Fields(validate(ctx, ts, in.Ente, spec)); err != nil {
			return err
		}
		now := s.now()
		if cur != nil {
			if cur.Spec == row.Spec && cur.Level == row.Level {
				out = cur
				return nil
			}
			row.Revision, row.BaseVersion, row.CreatedAt, row.UpdatedAt = cur.Revision+1, cur.BaseVersion, cur.CreatedAt, now
			res := ts.conn(ctx).Table(k.table).Where("id = ? AND revision = ?", cur.ID, cur.Revision).
				Select("level", "spec", "revision", "updated_at").Updates(row)
			if res.Error != nil {
				return fmt.Errorf("update %s %s: %w", k.name, in.ID, res.Error)
			}
			if res.RowsAffected != 1 {
				return stale(k, in.ID)
			}
		} else {
			row.CreatedAt, row.UpdatedAt = now, now
			if err := ts.conn(ctx).Table(k.table).Create(row).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return errs.E(errs.Conflict, "%s %s already exists", k.name, in.ID)
				}
				return fmt.Errorf("create %s %s: %w", k.name, in.ID, err)
			}
		}
		if err := ts.saveRevision(ctx, k.name, row.ID, row.Revision, row.Spec, actor); err != nil {
			return err
		}
		if err := ts.rederive(ctx, k, row); err != nil {
			return err
		}
		out = row
		return nil
	})
	return out, err
}

// rederive refreshes the filter columns of row and, for a regional row, of
// every ente specialisation based on it, whose merged view just changed.
func (s *Store) rederive(ctx context.Context, k kind, row *defRow) error {
	rows := []*defRow{row}
	if row.Ente == "" {
		var children []*defRow
		if err := s.conn(ctx).Table(k.table).Where("base = ?", row.ID).Find(&children).Error; err != nil {
			return fmt.Errorf("load specialisations of %s: %w", row.ID, err)
		}
		rows = append(rows, children...)
	}
	for _, r := range rows {
		_, merged, err := s.view(ctx, k, r, map[string]*defRow{row.ID: row})
		if err != nil {
			return err
		}
		cols, err := k.derive(merged)
		if err != nil {
			return err
		}
		if err := s.conn(ctx).Table(k.table).Where("id = ?", r.ID).Updates(cols).Error; err != nil {
			return fmt.Errorf("derive %s %s: %w", k.name, r.ID, err)
		}
	}
	return nil
}

// deleteDef removes a definition; refs says who still uses it.
func (s *Store) deleteDef(ctx context.Context, k kind, id string, ifMatch int64, refs func(ctx context.Context, ts *Store) ([]string, error)) error {
	return s.tx(ctx, func(ts *Store) error {
		r, err := ts.loadDef(ctx, k, id)
		if err != nil {
			return err
		}
		if err := precondition(k, id, r, ifMatch); err != nil {
			return err
		}
		var users []string
		if err := ts.conn(ctx).Table(k.table).Where("base = ?", id).Order("id").Pluck("id", &users).Error; err != nil {
			return err
		}
		more, err := refs(ctx, ts)
		if err != nil {
			return err
		}
		if users = append(users, more...); len(users) > 0 {
			return &errs.Error{Code: errs.Conflict, Reason: "in_use",
				Message: fmt.Sprintf("%s %s is used by %s", k.name, id, strings.Join(users, ", "))}
		}
		if err := ts.conn(ctx).Table(k.table).Where("id = ?", id).Delete(&defRow{}).Error; err != nil {
			return fmt.Errorf("delete %s %s: %w", k.name, id, err)
		}
		return ts.conn(ctx).Where("kind = ? AND id = ?", k.name, id).Delete(&revisionRow{}).Error
	})
}
