package modeler

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// FieldErrors is a list of problems stored as JSON text.
type FieldErrors = store.List[errs.FieldError]

// SaveTemplateDraft writes doc as the draft following the last published
// version of id, replacing an earlier draft, with the problems found in it.
func (s *Store) SaveTemplateDraft(ctx context.Context, t *Template, doc []byte, problems []errs.FieldError) (*TemplateRecord, error) {
	var rec TemplateRecord
	err := store.Tx(ctx, s.DB, func(tx *gorm.DB) error {
		var last TemplateRecord
		if err := tx.Where("id = ?", t.ID).Order("version DESC").Limit(1).Find(&last).Error; err != nil {
			return err
		}
		now := s.now()
		rec = TemplateRecord{ID: t.ID, Version: last.Version + 1, Status: Draft, CreatedAt: now}
		if last.Status == Draft {
			rec.Version, rec.CreatedAt = last.Version, last.CreatedAt
		}
		rec.Ente, rec.TitleIT, rec.Document, rec.Problems, rec.UpdatedAt = t.Ente, t.Title.IT, string(doc), problems, now
		if rec.Problems == nil {
			rec.Problems = FieldErrors{}
		}
		return tx.Save(&rec).Error
	})
	if err != nil {
		return nil, errs.Wrap(err, "save template %s", t.ID)
	}
	return &rec, nil
}

// PublishTemplateDraft makes version of id published with hash. The version
// must be the draft; a version with the same hash already published is returned instead.
func (s *Store) PublishTemplateDraft(ctx context.Context, id string, version int, hash string) (*TemplateRecord, error) {
	var rec TemplateRecord
	err := store.Tx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND version = ?", id, version).Take(&rec).Error; err != nil {
			return notFound(err, "template %s@%d not found", id, version)
		}
		if rec.Status != Draft {
			return &errs.Error{Code: errs.Conflict, Reason: "published_is_immutable",
				Message: fmt.Sprintf("template %s@%d is already published and cannot change", id, version)}
		}
		var same TemplateRecord
		if err := tx.Where("id = ? AND hash = ?", id, hash).Limit(1).Find(&same).Error; err != nil {
			return err
		}
		if same.ID != "" {
			rec = same
			return tx.Where("id = ? AND version = ?", id, version).Delete(&TemplateRecord{}).Error
		}
		now := s.now()
		rec.Status, rec.Hash, rec.PublishedAt, rec.UpdatedAt, rec.Problems = Published, hash, &now, now, FieldErrors{}
		return tx.Select("status", "hash", "published_at", "updated_at", "problems").Save(&rec).Error
	})
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// InsertPublishedTemplate stores a resolved overlay as the next published
// version of its id, unless a version with the same hash exists, which it returns.
func (s *Store) InsertPublishedTemplate(ctx context.Context, t *Template, doc []byte, hash string) (*TemplateRecord, error) {
	var rec TemplateRecord
	err := store.Tx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND hash = ?", t.ID, hash).Limit(1).Find(&rec).Error; err != nil || rec.ID != "" {
			return err
		}
		var last TemplateRecord
		if err := tx.Where("id = ?", t.ID).Order("version DESC").Limit(1).Find(&last).Error; err != nil {
			return err
		}
		now := s.now()
		rec = TemplateRecord{ID: t.ID, Version: last.Version + 1, Status: Published, Ente: t.Ente, Base: t.Base,
			TitleIT: t.Title.IT, Document: string(doc), Problems: FieldErrors{}, Hash: hash,
			CreatedAt: now, UpdatedAt: now, PublishedAt: &now}
		return tx.Create(&rec).Error
	})
	if err != nil {
		return nil, errs.Wrap(err, "store template %s", t.ID)
	}
	return &rec, nil
}

// TemplateVersion reads one template version; version 0 means the latest published.
func (s *Store) TemplateVersion(ctx context.Context, id string, version int) (*TemplateRecord, error) {
	var rec TemplateRecord
	q := s.DB.WithContext(ctx).Where("id = ?", id)
	if version == 0 {
		q = q.Where("status = ?", Published).Order("version DESC").Limit(1)
	} else {
		q = q.Where("version = ?", version)
	}
	if err := q.Take(&rec).Error; err != nil {
		if version == 0 {
			return nil, notFound(err, "template %s has no published version", id)
		}
		return nil, notFound(err, "template %s@%d not found", id, version)
	}
	return &rec, nil
}

// TemplateVersions lists a template's versions newest first; with id empty, every template's versions.
func (s *Store) TemplateVersions(ctx context.Context, id string) ([]TemplateRecord, error) {
	var out []TemplateRecord
	q := s.DB.WithContext(ctx).Order("id, version DESC")
	if id != "" {
		q = q.Where("id = ?", id)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, errs.Wrap(err, "list templates")
	}
	return out, nil
}

// OverlayOf reads an ente's overlay of a template.
func (s *Store) OverlayOf(ctx context.Context, ente, template string) (*OverlayRecord, error) {
	var rec OverlayRecord
	if err := s.DB.WithContext(ctx).Where("ente = ? AND template = ?", ente, template).Take(&rec).Error; err != nil {
		return nil, notFound(err, "overlay of %s for %s not found", template, ente)
	}
	return &rec, nil
}

// deleteOverlay removes an ente's overlay; not_found when there is none.
func (s *Store) deleteOverlay(ctx context.Context, ente, template string) error {
	res := s.DB.WithContext(ctx).Where("ente = ? AND template = ?", ente, template).Delete(&OverlayRecord{})
	if res.Error != nil {
		return errs.Wrap(res.Error, "delete overlay of %s for %s", template, ente)
	}
	if res.RowsAffected == 0 {
		return errs.E(errs.NotFound, "overlay of %s for %s not found", template, ente)
	}
	return nil
}

// Overlays lists the overlays of a template (all templates when empty).
func (s *Store) Overlays(ctx context.Context, template string) ([]OverlayRecord, error) {
	var out []OverlayRecord
	q := s.DB.WithContext(ctx).Order("template, ente")
	if template != "" {
		q = q.Where("template = ?", template)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, errs.Wrap(err, "list overlays")
	}
	return out, nil
}

// EnteOverlays lists an ente's overlays by template.
func (s *Store) EnteOverlays(ctx context.Context, ente string) ([]OverlayRecord, error) {
	out := []OverlayRecord{}
	if err := s.DB.WithContext(ctx).Where("ente = ?", ente).Order("template").Find(&out).Error; err != nil {
		return nil, errs.Wrap(err, "list overlays of %s", ente)
	}
	return out, nil
}
