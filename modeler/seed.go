package modeler

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler/demo"
)

// Seed stores and publishes the demo forms, templates and overlays, checking
// references against DefaultRefs. Running it again changes nothing.
func Seed(ctx context.Context, db *gorm.DB) error {
	return NewService(db, DefaultRefs(), nil, slog.Default()).Seed(ctx)
}

// Seed stores and publishes the demo forms, templates (regional ones first) and
// overlays, each overlay on the latest version of its template. Idempotent:
// unchanged documents publish as the version they already are. It links no
// service (the caller links the demo services to the latest versions), so a
// restart never takes back what an admin published, and it leaves an overlay
// an ente already has alone.
func (s *Service) Seed(ctx context.Context) error {
	ctx = context.WithValue(ctx, seeding{}, true)
	forms, _ := fs.Glob(demo.FS, "forms/*.json")
	published := map[string]int{}
	for _, name := range forms {
		b, _ := demo.FS.ReadFile(name)
		var f Form
		if err := json.Unmarshal(b, &f); err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		if _, err := s.SaveForm(ctx, &f); err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		rec, err := s.PublishForm(ctx, f.ID)
		if err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		published[f.ID] = rec.Version
	}
	templates, _ := fs.Glob(demo.FS, "templates/*.json")
	for _, name := range templates {
		b, _ := demo.FS.ReadFile(name)
		b, err := followForms(b, published)
		if err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		rec, err := s.SaveTemplate(ctx, b)
		if err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		if _, err := s.PublishTemplate(ctx, rec.ID); err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
	}
	overlays, _ := fs.Glob(demo.FS, "overlays/*.json")
	for _, name := range overlays {
		b, _ := demo.FS.ReadFile(name)
		var o Overlay
		if err := json.Unmarshal(b, &o); err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		if _, err := s.Store.OverlayOf(ctx, o.Ente, o.Template); err == nil {
			continue
		}
		latest, err := s.Store.TemplateVersion(ctx, o.Template, 0)
		if err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		o.BaseVersion = latest.Version
		if _, err := s.SaveOverlay(ctx, &o); err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
		if _, err := s.PublishOverlay(ctx, o.Ente, o.Template); err != nil {
			return errs.Wrap(err, "seed %s", name)
		}
	}
	return nil
}

// seeding marks the context of Seed: publishing then links no service.
type seeding struct{}

// followForms points a demo template's form references at the versions the
// demo forms were just published as. On a fresh database they are the files'
// own (the document is returned unchanged); on one seeded before a demo form
// changed (rules added, say), the form is a new version and the template must
// use it, or the change would never reach a pratica.
func followForms(doc []byte, published map[string]int) ([]byte, error) {
	var t map[string]any
	if err := json.Unmarshal(doc, &t); err != nil {
		return nil, err
	}
	changed := false
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["formId"].(string); ok {
				if want, ok := published[id]; ok {
					for _, k := range []string{"version", "formVersion"} {
						if got, ok := x[k].(float64); ok && int(got) != want {
							x[k], changed = want, true
						}
					}
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(t)
	if !changed {
		return doc, nil
	}
	return json.Marshal(t)
}
