package modeler

import (
	"context"
	"encoding/json"

	"github.com/sportello/sportello/errs"
)

// NeedsReview marks an overlay a regional publish could not carry along: the
// ente's services stay on their version until the ente's admin fixes the overlay.
const NeedsReview = "needs_review"

// Release is a template version just published: the services that run it
// start new pratiche on it, while pratiche in flight keep the version they pinned.
type Release struct {
	// Template is the published id: a regional template ("matrimonio") or an
	// ente's resolved overlay ("c_l424.matrimonio").
	Template string
	Version  int
	Hash     string
	// Ente and Base are set for a resolved overlay: the ente, and the regional
	// template id its services may still name.
	Ente string
	Base string
}

// Linker points the services that run a template at a newly published
// version. The catalog does it; cmd wires it, so the modeller stays unaware of it.
type Linker interface {
	Link(ctx context.Context, r Release) error
}

// OverlayMove is what a regional publish did to one ente's overlay: moved (a
// new resolved version, live at once), needs_review (kept on its version), or
// checked (an overlay never published, only checked).
type OverlayMove struct {
	OverlayCheck
	Outcome string `json:"outcome"`
	// Version is the resolved version published for a moved overlay.
	Version int `json:"version,omitempty"`
}

// Outcomes of OverlayMove.
const (
	Moved   = "moved"
	Checked = "checked"
)

// link tells the Linker about a published version; base is the regional
// template of a resolved overlay.
func (s *Service) link(ctx context.Context, rec *TemplateRecord, base string) error {
	if s.Links == nil || ctx.Value(seeding{}) != nil {
		return nil
	}
	r := Release{Template: rec.ID, Version: rec.Version, Hash: rec.Hash, Ente: rec.Ente}
	if rec.Ente != "" {
		r.Base = base
	}
	if err := s.Links.Link(ctx, r); err != nil {
		return errs.Wrap(err, "link services to %s@%d", rec.ID, rec.Version)
	}
	return nil
}

// moveOverlays re-resolves every overlay of a regional template on its newly
// published version latest. An overlay that resolves and checks cleanly is
// published on latest and linked at once; one that does not stays on its
// version, marked NeedsReview with the problems and the differences. An
// overlay never published is only checked. One overlay failing does not stop
// the others: the regional version is live already.
func (s *Service) moveOverlays(ctx context.Context, latest *TemplateRecord) ([]OverlayMove, error) {
	recs, err := s.Store.Overlays(ctx, latest.ID)
	if err != nil {
		return nil, err
	}
	out := []OverlayMove{}
	for _, rec := range recs {
		if rec.BaseVersion >= latest.Version {
			continue
		}
		m, err := s.moveOverlay(ctx, &rec, latest)
		if err != nil {
			s.Log.Error("re-resolve overlay", "ente", rec.Ente, "template", rec.Template, "against", latest.Version, "err", err)
			m = OverlayMove{OverlayCheck: OverlayCheck{Ente: rec.Ente, Template: rec.Template, Base: rec.BaseVersion, Against: latest.Version,
				Problems: []errs.FieldError{{Field: "/baseVersion", Message: "could not be moved to the new regional version: publish the overlay again / " +
					"non è stato possibile portarla sulla nuova versione regionale: pubblicarla di nuovo"}}}}
		}
		rec.Problems, rec.Review, rec.ReviewDiff = FieldErrors(m.Problems), "", ""
		if len(m.Problems) > 0 {
			m.Outcome, rec.Review = NeedsReview, NeedsReview
			if m.Diff != nil {
				b, _ := json.Marshal(m.Diff)
				rec.ReviewDiff = string(b)
			}
			s.Log.Warn("overlay needs review", "ente", rec.Ente, "template", rec.Template, "base", rec.BaseVersion, "against", latest.Version)
		}
		if err := s.Store.upsertOverlay(ctx, &rec); err != nil {
			return out, errs.Wrap(err, "save overlay of %s", rec.Ente)
		}
		out = append(out, m)
	}
	return out, nil
}

// moveOverlay checks one overlay against latest and, when it fits and the ente
// has published it before, publishes it on latest and links it; rec then
// carries the new base version.
func (s *Service) moveOverlay(ctx context.Context, rec *OverlayRecord, latest *TemplateRecord) (OverlayMove, error) {
	c, moved, err := s.checkMove(ctx, rec, latest)
	if err != nil {
		return OverlayMove{}, err
	}
	m := OverlayMove{OverlayCheck: c, Outcome: Checked}
	if _, err := s.Store.TemplateVersion(ctx, ResolvedID(rec.Ente, rec.Template), 0); err != nil || len(c.Problems) > 0 {
		return m, nil
	}
	pub, err := s.publishResolved(ctx, moved)
	if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
		m.Problems = append(m.Problems, e.Fields...)
		return m, nil
	} else if err != nil {
		return m, err
	}
	doc, _ := json.Marshal(moved)
	rec.BaseVersion, rec.Document = moved.BaseVersion, string(doc)
	m.Outcome, m.Version = Moved, pub.Version
	return m, s.link(ctx, pub, rec.Template)
}

// EnteOverlays lists an ente's overlays with their review state and, for those
// waiting for review, the differences that stopped them.
func (s *Service) EnteOverlays(ctx context.Context, ente string) ([]OverlayRecord, error) {
	recs, err := s.Store.EnteOverlays(ctx, ente)
	if err != nil {
		return nil, err
	}
	for i := range recs {
		if recs[i].ReviewDiff == "" {
			continue
		}
		var d Diff
		if err := json.Unmarshal([]byte(recs[i].ReviewDiff), &d); err == nil {
			recs[i].Diff = &d
		}
	}
	return recs, nil
}
