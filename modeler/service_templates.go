package modeler

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/errs"
)

// SaveTemplate stores a template document (JSON or YAML) as the draft of its id,
// with every problem the checker finds: a draft with problems is kept, listing
// them, and can never be published. A document that does not parse is refused.
func (s *Service) SaveTemplate(ctx context.Context, doc []byte) (*TemplateRecord, error) {
	raw, err := ToJSON(doc)
	if err != nil {
		return nil, err
	}
	t, _, err := Resolve(raw, 0, nil)
	if err != nil {
		return nil, err
	}
	if !idPattern.MatchString(t.ID) {
		return nil, errs.Field("/id", "must be 2-63 lowercase letters, digits, '.', '_' or '-'")
	}
	rec, err := s.Store.SaveTemplateDraft(ctx, t, raw, s.Checker.Check(ctx, t))
	if rec != nil {
		rec.Warnings = Warnings(t)
	}
	return rec, err
}

// CheckTemplate re-runs the checks on a stored version.
func (s *Service) CheckTemplate(ctx context.Context, id string, version int) ([]errs.FieldError, error) {
	rec, err := s.Store.TemplateVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	t, _, err := Resolve([]byte(rec.Document), rec.Version, nil)
	if err != nil {
		return nil, err
	}
	return s.checkPublishable(ctx, t), nil
}

// checkPublishable is Check plus: every form used is published.
func (s *Service) checkPublishable(ctx context.Context, t *Template) []errs.FieldError {
	ps := problems(s.Checker.Check(ctx, t))
	for i, st := range t.Steps {
		var ref FormRef
		switch {
		case st.Form != nil:
			ref = FormRef{st.Form.FormID, st.Form.Version}
		case st.Task != nil && st.Task.FormID != "":
			ref = FormRef{st.Task.FormID, st.Task.Version}
		default:
			continue
		}
		if rec, err := s.Store.FormVersion(ctx, ref); err == nil && rec.Status != Published {
			ps.add(fmt.Sprintf("/steps/%d", i), "form %s is still a draft: publish it first", ref.Key())
		}
	}
	return ps
}

// PublishTemplate checks the draft of id again and publishes it as an immutable
// version with its content hash; it fails listing every problem when there are any.
// The services that run the template start new pratiche on the new version, and
// every ente overlay of a regional template is re-resolved on it (moveOverlays).
func (s *Service) PublishTemplate(ctx context.Context, id string) (*TemplateRecord, error) {
	var draft *TemplateRecord
	versions, err := s.Store.TemplateVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range versions {
		if versions[i].Status == Draft {
			draft = &versions[i]
		}
	}
	if draft == nil {
		return nil, errs.E(errs.NotFound, "template %s has no draft to publish", id)
	}
	t, _, err := Resolve([]byte(draft.Document), draft.Version, nil)
	if err != nil {
		return nil, err
	}
	if ps := s.checkPublishable(ctx, t); len(ps) > 0 {
		return nil, errs.Fields(ps)
	}
	hash, err := Hash(t)
	if err != nil {
		return nil, err
	}
	rec, err := s.Store.PublishTemplateDraft(ctx, id, draft.Version, hash)
	if err != nil {
		return nil, err
	}
	s.Log.Info("template published", "template", id, "version", rec.Version, "hash", hash)
	if err := s.link(ctx, rec, ""); err != nil {
		return nil, err
	}
	if rec.Ente == "" {
		if rec.Overlays, err = s.moveOverlays(ctx, rec); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// resolvedVersion loads a stored template version as a template plus its forms' schemas.
func (s *Service) resolvedVersion(ctx context.Context, id string, version int) (*Template, []json.RawMessage, error) {
	rec, err := s.Store.TemplateVersion(ctx, id, version)
	if err != nil {
		return nil, nil, err
	}
	t, _, err := Resolve([]byte(rec.Document), rec.Version, nil)
	if err != nil {
		return nil, nil, err
	}
	return t, s.schemasOf(ctx, t), nil
}

func (s *Service) schemasOf(ctx context.Context, t *Template) []json.RawMessage {
	var out []json.RawMessage
	for _, st := range t.Steps {
		if st.Form == nil {
			continue
		}
		if f, err := s.Form(ctx, FormRef{st.Form.FormID, st.Form.Version}); err == nil {
			out = append(out, f.Schema)
		}
	}
	return out
}

// DiffVersions compares two versions of a template.
func (s *Service) DiffVersions(ctx context.Context, id string, from, to int) (*Diff, error) {
	a, fa, err := s.resolvedVersion(ctx, id, from)
	if err != nil {
		return nil, err
	}
	b, fb, err := s.resolvedVersion(ctx, id, to)
	if err != nil {
		return nil, err
	}
	d := DiffTemplates(a, b, fa, fb)
	d.From, d.To = fmt.Sprintf("%s@%d", id, from), fmt.Sprintf("%s@%d", id, to)
	return &d, nil
}
