package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// fields is a definition as its top-level JSON fields; inheritance works on them:
// an ente's field replaces the regional one whole.
type fields map[string]json.RawMessage

// parseSpec decodes raw strictly into T, so an unknown field or a wrong type is
// an error naming it, and returns the fields present. null removes a field.
func parseSpec[T any](prefix string, raw json.RawMessage) (fields, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return fields{}, nil
	}
	var f fields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errs.Field(prefix, "must be a JSON object")
	}
	for k, v := range f {
		if string(bytes.TrimSpace(v)) == "null" {
			delete(f, k)
		}
	}
	var probe T
	if err := strictDecode(f, &probe); err != nil {
		return nil, specError(prefix, err)
	}
	return f, nil
}

func strictDecode(f fields, v any) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func specError(prefix string, err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return errs.Field(prefix+"."+typ.Field, "must be a JSON %s, got %s", typ.Type.Kind(), typ.Value)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return errs.Field(prefix+"."+strings.Trim(name, `"`), "is not a known field")
	}
	return errs.Field(prefix, "%s", strings.TrimPrefix(err.Error(), "json: "))
}

func encodeFields(f fields) string {
	b, _ := json.Marshal(f) // map keys are sorted: equal specs encode equally
	return string(b)
}

func decodeFields(s string) (fields, error) {
	f := fields{}
	if s == "" {
		return f, nil
	}
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return nil, fmt.Errorf("decode stored spec: %w", err)
	}
	return f, nil
}

// Change is one field of a regional definition that changed since the revision
// an ente's specialisation was based on.
type Change struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	// Overridden is true when the ente overrides the field, so the change does
	// not show in its merged view until it drops its override.
	Overridden bool `json:"overridden"`
}

// revisionRow is one stored revision of a definition.
type revisionRow struct {
	Kind     string    `gorm:"column:kind;primaryKey"`
	ID       string    `gorm:"column:id;primaryKey"`
	Revision int64     `gorm:"column:revision;primaryKey"`
	Spec     string    `gorm:"column:spec"`
	Actor    string    `gorm:"column:actor"`
	At       time.Time `gorm:"column:at"`
}

func (revisionRow) TableName() string { return "catalog_revisions" }

func (s *Store) saveRevision(ctx context.Context, kind, id string, rev int64, spec, actor string) error {
	r := revisionRow{Kind: kind, ID: id, Revision: rev, Spec: spec, Actor: actor, At: s.now()}
	if err := s.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("save %s %s revision %d: %w", kind, id, rev, err)
	}
	return nil
}

func (s *Store) revisionSpec(ctx context.Context, kind, id string, rev int64) (fields, error) {
	var r revisionRow
	err := s.conn(ctx).Where("kind = ? AND id = ? AND revision = ?", kind, id, rev).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "%s %s has no revision %d", kind, id, rev)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s %s revision %d: %w", kind, id, rev, err)
	}
	return decodeFields(r.Spec)
}

// diff lists the fields that differ between two revisions of a regional definition.
func diff(before, after, over fields) []Change {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		if bytes.Equal(compact(before[k]), compact(after[k])) {
			continue
		}
		_, o := over[k]
		out = append(out, Change{Field: k, Before: before[k], After: after[k], Overridden: o})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func compact(b json.RawMessage) []byte {
	if b == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// changes lists what changed in the regional definition since the ente's row was based on it.
func (s *Store) changes(ctx context.Context, k kind, id string) ([]Change, error) {
	r, err := s.loadDef(ctx, k, id)
	if err != nil {
		return nil, err
	}
	if r.Base == "" {
		return nil, errs.E(errs.Invalid, "%s %s specialises nothing: it has no upstream changes", k.name, id)
	}
	base, err := s.loadDef(ctx, k, r.Base)
	if err != nil {
		return nil, err
	}
	before, err := s.revisionSpec(ctx, k.name, base.ID, r.BaseVersion)
	if err != nil {
		return nil, err
	}
	after, err := decodeFields(base.Spec)
	if err != nil {
		return nil, err
	}
	own, err := decodeFields(r.Spec)
	if err != nil {
		return nil, err
	}
	return diff(before, after, own), nil
}

// rebase records that the ente accepted the current regional revision.
func (s *Store) rebase(ctx context.Context, k kind, id string, ifMatch int64) (*defRow, error) {
	var out *defRow
	err := s.tx(ctx, func(ts *Store) error {
		r, err := ts.loadDef(ctx, k, id)
		if err != nil {
			return err
		}
		if err := precondition(k, id, r, ifMatch); err != nil {
			return err
		}
		if r.Base == "" {
			return errs.E(errs.Invalid, "%s %s specialises nothing", k.name, id)
		}
		base, err := ts.loadDef(ctx, k, r.Base)
		if err != nil {
			return err
		}
		if base.Revision == r.BaseVersion {
			out = r
			return nil
		}
		r.BaseVersion, r.Revision, r.UpdatedAt = base.Revision, r.Revision+1, s.now()
		if err := ts.conn(ctx).Table(k.table).Where("id = ?", id).
			Select("base_version", "revision", "updated_at").Updates(r).Error; err != nil {
			return fmt.Errorf("rebase %s %s: %w", k.name, id, err)
		}
		out = r
		return ts.saveRevision(ctx, k.name, r.ID, r.Revision, r.Spec, "")
	})
	return out, err
}
