package modeler

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/errs"
)

// OverlayCheck is an overlay checked against a version of its regional template.
type OverlayCheck struct {
	Ente     string            `json:"ente"`
	Template string            `json:"template"`
	Base     int               `json:"baseVersion"`
	Against  int               `json:"against"`
	Problems []errs.FieldError `json:"problems"`
	// Diff compares the overlay resolved on its base version with it resolved on Against.
	Diff *Diff `json:"diff,omitempty"`
}

// SaveOverlay stores an ente's overlay after resolving it on its base version;
// values for undeclared parameters or outside their limits are refused, other
// problems of the resolved template are stored with it.
func (s *Service) SaveOverlay(ctx context.Context, o *Overlay) (*OverlayRecord, error) {
	if o.Ente == "" {
		return nil, errs.Field("/ente", "is required")
	}
	if err := s.checkEnte(ctx, o.Ente); err != nil {
		return nil, err
	}
	if o.Values == nil {
		// A null body or one without values would store the defaults over the ente's choices.
		return nil, errs.Field("values", "is required: an object of parameter values / è obbligatorio: un oggetto con i valori dei parametri")
	}
	base, err := s.Store.TemplateVersion(ctx, o.Template, o.BaseVersion)
	if err != nil {
		return nil, err
	}
	if base.Status != Published || base.Ente != "" {
		return nil, errs.Field("/baseVersion", "must be a published version of a regional template")
	}
	t, _, err := s.materialise(ctx, []byte(base.Document), o, false)
	if err != nil {
		return nil, err
	}
	if err := s.checkOffices(ctx, []byte(base.Document), o); err != nil {
		return nil, err
	}
	doc, _ := json.Marshal(o)
	rec := &OverlayRecord{Ente: o.Ente, Template: o.Template, BaseVersion: o.BaseVersion, Document: string(doc),
		Problems: FieldErrors(s.Checker.Check(ctx, t))}
	if rec.Problems == nil {
		rec.Problems = FieldErrors{}
	}
	if err := s.Store.upsertOverlay(ctx, rec); err != nil {
		return nil, errs.Wrap(err, "save overlay")
	}
	return rec, nil
}

// DeleteOverlay removes an ente's overlay of a template. Versions already
// published from it stay, as do the pratiche pinned to them and the services
// linked to them: the next publish of the ente starts from the regional defaults.
// The ente is not checked, so overlays stored under enti that do not exist
// (before saves checked them) can be removed too.
func (s *Service) DeleteOverlay(ctx context.Context, ente, template string) error {
	if err := s.Store.deleteOverlay(ctx, ente, template); err != nil {
		return err
	}
	s.Log.Info("overlay deleted", "ente", ente, "template", template)
	return nil
}

// Overlay reads an ente's overlay.
func (s *Service) Overlay(ctx context.Context, ente, template string) (*Overlay, error) {
	rec, err := s.Store.OverlayOf(ctx, ente, template)
	if err != nil {
		return nil, err
	}
	var o Overlay
	if err := json.Unmarshal([]byte(rec.Document), &o); err != nil {
		return nil, errs.Wrap(err, "decode overlay")
	}
	return &o, nil
}

// materialise resolves o on a regional document. With publish, the forms the
// overlay extends are stored as the ente's own forms ("<ente>.<form>") and the
// resolved template points to them.
func (s *Service) materialise(ctx context.Context, doc []byte, o *Overlay, publish bool) (*Template, []json.RawMessage, error) {
	t, exts, err := Resolve(doc, o.BaseVersion, o)
	if err != nil {
		return nil, nil, err
	}
	var ps problems
	for _, ext := range exts {
		var ref FormRef
		for _, st := range t.Steps {
			if st.Form != nil && st.Form.FormID == ext.Form {
				ref = FormRef{st.Form.FormID, st.Form.Version}
			}
		}
		if ref.ID == "" {
			ps.add("/values", "extra fields target form %s, which no step uses", ext.Form)
			continue
		}
		f, err := s.Form(ctx, ref)
		if err != nil {
			return nil, nil, err
		}
		ext2, err := extendForm(f, o.Ente, ext)
		if err != nil {
			return nil, nil, err
		}
		if !publish {
			// Checked on save too: extra fields that do not make a schema are refused now, not at publish.
			if _, err := s.Forms.compile(ctx, ext2.ID+"@overlay", ext2.Schema); err != nil {
				msg := err.Error()
				if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
					msg = e.Fields[0].Message
				}
				ps.add("/values/"+ext.Param, "the extra fields do not make a valid form: %s", msg)
			}
			continue
		}
		rec, err := s.Store.InsertPublishedForm(ctx, ext2, sha(string(ext2.Schema)))
		if err != nil {
			return nil, nil, err
		}
		for i := range t.Steps {
			if st := t.Steps[i].Form; st != nil && st.FormID == ref.ID && st.Version == ref.Version {
				st.FormID, st.Version = rec.ID, rec.Version
			}
		}
	}
	if len(ps) > 0 {
		return nil, nil, errs.Fields(ps)
	}
	return t, s.schemasOf(ctx, t), nil
}

// extendForm adds an overlay's extra fields to a copy of f, as optional properties.
func extendForm(f *Form, ente string, ext FormExtension) (*Form, error) {
	var schema map[string]any
	if err := json.Unmarshal(f.Schema, &schema); err != nil {
		return nil, errs.Wrap(err, "decode form %s", f.ID)
	}
	props, _ := schema["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	var ps problems
	for _, name := range sortedKeys(ext.Properties) {
		if _, clash := props[name]; clash {
			ps.add("/values/"+name, "form %s already has a field %q", f.ID, name)
			continue
		}
		var v any
		_ = json.Unmarshal(ext.Properties[name], &v)
		props[name] = v
	}
	if len(ps) > 0 {
		return nil, errs.Fields(ps)
	}
	schema["properties"] = props
	b, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	out := *f
	out.ID, out.Schema = ente+"."+f.ID, b
	return &out, nil
}

// PublishOverlay resolves an ente's overlay on its base version and publishes
// the result as the next version of "<ente>.<template>", unless identical to
// the last one; it fails listing every problem when there are any. The ente's
// services that run the template then start new pratiche on that version.
func (s *Service) PublishOverlay(ctx context.Context, ente, template string) (*TemplateRecord, error) {
	if err := s.checkEnte(ctx, ente); err != nil {
		return nil, err
	}
	o, err := s.Overlay(ctx, ente, template)
	if err != nil {
		return nil, err
	}
	rec, err := s.publishResolved(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := s.link(ctx, rec, template); err != nil {
		return nil, err
	}
	return rec, nil
}

// publishResolved resolves o on its base version and stores the result as a
// published version of "<ente>.<template>".
func (s *Service) publishResolved(ctx context.Context, o *Overlay) (*TemplateRecord, error) {
	base, err := s.Store.TemplateVersion(ctx, o.Template, o.BaseVersion)
	if err != nil {
		return nil, err
	}
	t, _, err := s.materialise(ctx, []byte(base.Document), o, true)
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
	doc, err := Canonical(t)
	if err != nil {
		return nil, err
	}
	rec, err := s.Store.InsertPublishedTemplate(ctx, t, doc, hash)
	if err == nil {
		s.Log.Info("overlay published", "template", rec.ID, "version", rec.Version, "base", t.Base)
	}
	return rec, err
}

// RecheckOverlays checks every overlay of a regional template against its
// latest published version and shows what would change for each ente; the
// problems found are stored on each overlay.
func (s *Service) RecheckOverlays(ctx context.Context, template string) ([]OverlayCheck, error) {
	latest, err := s.Store.TemplateVersion(ctx, template, 0)
	if err != nil {
		return nil, err
	}
	recs, err := s.Store.Overlays(ctx, template)
	if err != nil {
		return nil, err
	}
	out := make([]OverlayCheck, 0, len(recs))
	for _, rec := range recs {
		c, _, err := s.checkMove(ctx, &rec, latest)
		if err != nil {
			return nil, err
		}
		rec.Problems = FieldErrors(c.Problems)
		if err := s.Store.upsertOverlay(ctx, &rec); err != nil {
			return nil, errs.Wrap(err, "save overlay check")
		}
		out = append(out, c)
	}
	return out, nil
}

// checkMove resolves an overlay on latest as well as on its base version and
// returns the problems and the differences, and the overlay moved onto latest.
// When the overlay no longer resolves, the diff is the regional template's own.
func (s *Service) checkMove(ctx context.Context, rec *OverlayRecord, latest *TemplateRecord) (OverlayCheck, *Overlay, error) {
	var o Overlay
	if err := json.Unmarshal([]byte(rec.Document), &o); err != nil {
		return OverlayCheck{}, nil, errs.Wrap(err, "decode overlay %s/%s", rec.Ente, rec.Template)
	}
	template := rec.Template
	c := OverlayCheck{Ente: o.Ente, Template: template, Base: o.BaseVersion, Against: latest.Version, Problems: []errs.FieldError{}}
	base, err := s.Store.TemplateVersion(ctx, template, o.BaseVersion)
	if err != nil {
		return c, nil, err
	}
	old, oldForms, err := s.materialise(ctx, []byte(base.Document), &o, false)
	if err != nil {
		return c, nil, err
	}
	moved := o
	moved.BaseVersion = latest.Version
	now, nowForms, err := s.materialise(ctx, []byte(latest.Document), &moved, false)
	if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
		c.Problems = append(c.Problems, e.Fields...)
		if len(e.Fields) == 0 {
			c.Problems = append(c.Problems, errs.FieldError{Field: "/values", Message: e.Message})
		}
		d, derr := s.DiffVersions(ctx, template, o.BaseVersion, latest.Version)
		if derr != nil {
			return c, nil, derr
		}
		c.Diff = d
		return c, &moved, nil
	} else if err != nil {
		return c, nil, err
	}
	c.Problems = append(c.Problems, s.Checker.Check(ctx, now)...)
	d := DiffTemplates(old, now, oldForms, nowForms)
	d.From, d.To = fmt.Sprintf("%s@%d", template, o.BaseVersion), fmt.Sprintf("%s@%d", template, latest.Version)
	c.Diff = &d
	return c, &moved, nil
}
