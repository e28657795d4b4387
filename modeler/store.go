package modeler

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Version states.
const (
	Draft     = "draft"
	Published = "published"
)

// FormRecord is a stored form version.
type FormRecord struct {
	ID          string     `gorm:"column:id;primaryKey" json:"id"`
	Version     int        `gorm:"column:version;primaryKey" json:"version"`
	Status      string     `gorm:"column:status" json:"status"`
	TitleIT     string     `gorm:"column:title_it" json:"-"`
	TitleEN     string     `gorm:"column:title_en" json:"-"`
	Document    string     `gorm:"column:document" json:"-"`
	Hash        string     `gorm:"column:hash" json:"hash,omitempty"`
	CreatedAt   time.Time  `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt   time.Time  `gorm:"column:updated_at" json:"updatedAt"`
	PublishedAt *time.Time `gorm:"column:published_at" json:"publishedAt,omitempty"`
}

// TableName implements gorm's Tabler.
func (FormRecord) TableName() string { return "modeler_forms" }

// Form decodes the stored document.
func (r *FormRecord) Form() (*Form, error) {
	var f Form
	if err := json.Unmarshal([]byte(r.Document), &f); err != nil {
		return nil, errs.Wrap(err, "decode form %s@%d", r.ID, r.Version)
	}
	f.ID, f.Version = r.ID, r.Version
	return &f, nil
}

// TemplateRecord is a stored template version: a draft (possibly with problems)
// or an immutable published version with its content hash.
type TemplateRecord struct {
	ID       string      `gorm:"column:id;primaryKey" json:"id"`
	Version  int         `gorm:"column:version;primaryKey" json:"version"`
	Status   string      `gorm:"column:status" json:"status"`
	Ente     string      `gorm:"column:ente" json:"ente,omitempty"`
	Base     string      `gorm:"column:base" json:"base,omitempty"`
	TitleIT  string      `gorm:"column:title_it" json:"title"`
	Document string      `gorm:"column:document" json:"-"`
	Problems FieldErrors `gorm:"column:problems" json:"problems"`
	// Warnings do not stop publishing (see Warnings); filled when a draft is saved.
	Warnings    FieldErrors `gorm:"-" json:"warnings,omitempty"`
	Hash        string      `gorm:"column:hash" json:"hash,omitempty"`
	CreatedAt   time.Time   `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt   time.Time   `gorm:"column:updated_at" json:"updatedAt"`
	PublishedAt *time.Time  `gorm:"column:published_at" json:"publishedAt,omitempty"`
	// Doc is the document, filled when a handler returns it.
	Doc json.RawMessage `gorm:"-" json:"document,omitempty"`
	// Overlays are what a regional publish did to each ente's overlay.
	Overlays []OverlayMove `gorm:"-" json:"overlays,omitempty"`
}

// TableName implements gorm's Tabler.
func (TemplateRecord) TableName() string { return "modeler_templates" }

// OverlayRecord is an ente's stored overlay with the problems of its last check.
type OverlayRecord struct {
	Ente        string      `gorm:"column:ente;primaryKey" json:"ente"`
	Template    string      `gorm:"column:template;primaryKey" json:"template"`
	BaseVersion int         `gorm:"column:base_version" json:"baseVersion"`
	Document    string      `gorm:"column:document" json:"-"`
	Problems    FieldErrors `gorm:"column:problems" json:"problems"`
	// Warnings do not stop publishing (see Warnings); filled when a draft is saved.
	Warnings FieldErrors `gorm:"-" json:"warnings,omitempty"`
	// Review is NeedsReview when a regional publish could not carry the overlay along.
	Review     string    `gorm:"column:review" json:"review"`
	ReviewDiff string    `gorm:"column:review_diff" json:"-"`
	UpdatedAt  time.Time `gorm:"column:updated_at" json:"updatedAt"`
	// Diff is ReviewDiff decoded, filled when a handler returns the record.
	Diff *Diff `gorm:"-" json:"diff,omitempty"`
}

// TableName implements gorm's Tabler.
func (OverlayRecord) TableName() string { return "modeler_overlays" }

// Store keeps forms, template versions and overlays.
type Store struct {
	DB  *gorm.DB
	Now func() time.Time
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.E(errs.NotFound, format, args...)
	}
	return errs.Wrap(err, format, args...)
}

// SaveFormDraft writes f as the draft following the last published version,
// replacing an earlier draft; it returns the stored record.
func (s *Store) SaveFormDraft(ctx context.Context, f *Form) (*FormRecord, error) {
	var rec FormRecord
	err := store.Tx(ctx, s.DB, func(tx *gorm.DB) error {
		var last FormRecord
		err := tx.Where("id = ?", f.ID).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return err
		}
		now := s.now()
		rec = FormRecord{ID: f.ID, Version: last.Version + 1, Status: Draft, CreatedAt: now}
		if last.Status == Draft {
			rec.Version, rec.CreatedAt = last.Version, last.CreatedAt
		}
		f.Version = rec.Version
		doc, err := json.Marshal(f)
		if err != nil {
			return err
		}
		rec.TitleIT, rec.TitleEN, rec.Document, rec.UpdatedAt = f.Title.IT, f.Title.EN, string(doc), now
		return tx.Save(&rec).Error
	})
	if err != nil {
		return nil, errs.Wrap(err, "save form %s", f.ID)
	}
	return &rec, nil
}

// PublishFormDraft marks the draft of id published with hash; publishing a
// draft identical to the last published version returns that version instead.
func (s *Store) PublishFormDraft(ctx context.Context, id string, hash func(*FormRecord) string) (*FormRecord, error) {
	var rec FormRecord
	err := store.Tx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND status = ?", id, Draft).Take(&rec).Error; err != nil {
			return notFound(err, "form %s has no draft to publish", id)
		}
		h := hash(&rec)
		var same FormRecord
		if err := tx.Where("id = ? AND status = ? AND hash = ?", id, Published, h).Limit(1).Find(&same).Error; err != nil {
			return err
		}
		if same.ID != "" {
			rec = same
			return tx.Where("id = ? AND status = ?", id, Draft).Delete(&FormRecord{}).Error
		}
		now := s.now()
		rec.Status, rec.Hash, rec.PublishedAt, rec.UpdatedAt = Published, h, &now, now
		return tx.Select("status", "hash", "published_at", "updated_at").Save(&rec).Error
	})
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// InsertPublishedForm stores an already published form (an overlay's extension)
// unless one with the same hash exists, which it returns.
func (s *Store) InsertPublishedForm(ctx context.Context, f *Form, hash string) (*FormRecord, error) {
	var rec FormRecord
	err := store.Tx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND hash = ?", f.ID, hash).Limit(1).Find(&rec).Error; err != nil || rec.ID != "" {
			return err
		}
		var last FormRecord
		if err := tx.Where("id = ?", f.ID).Order("version DESC").Limit(1).Find(&last).Error; err != nil {
			return err
		}
		f.Version = last.Version + 1
		doc, err := json.Marshal(f)
		if err != nil {
			return err
		}
		now := s.now()
		rec = FormRecord{ID: f.ID, Version: f.Version, Status: Published, TitleIT: f.Title.IT, TitleEN: f.Title.EN,
			Document: string(doc), Hash: hash, CreatedAt: now, UpdatedAt: now, PublishedAt: &now}
		return tx.Create(&rec).Error
	})
	if err != nil {
		return nil, errs.Wrap(err, "store form %s", f.ID)
	}
	return &rec, nil
}

// FormVersion reads one form version.
func (s *Store) FormVersion(ctx context.Context, ref FormRef) (*FormRecord, error) {
	var rec FormRecord
	if err := s.DB.WithContext(ctx).Where("id = ? AND version = ?", ref.ID, ref.Version).Take(&rec).Error; err != nil {
		return nil, notFound(err, "form %s not found", ref.Key())
	}
	return &rec, nil
}

// FormVersions lists the versions of a form, newest first; every form's latest when id is empty.
func (s *Store) FormVersions(ctx context.Context, id string) ([]FormRecord, error) {
	var out []FormRecord
	q := s.DB.WithContext(ctx).Order("id, version DESC")
	if id != "" {
		q = q.Where("id = ?", id)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, errs.Wrap(err, "list forms")
	}
	return out, nil
}

// upsertOverlay writes an overlay.
func (s *Store) upsertOverlay(ctx context.Context, rec *OverlayRecord) error {
	rec.UpdatedAt = s.now()
	return s.DB.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(rec).Error
}
