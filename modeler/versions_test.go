package modeler_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/modeler/demo"
	"github.com/sportello/sportello/store/storetest"
)

func TestBreakingChangeAndOverlayRecheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)

		// Version 2 of the form makes "note" required.
		b, _ := demo.FS.ReadFile("forms/matrimonio-domanda.json")
		doc := strings.Replace(string(b), `"required": ["sposo1", "sposo2", "sala", "data"]`, `"required": ["sposo1", "sposo2", "sala", "data", "note"]`, 1)
		var f modeler.Form
		if err := json.Unmarshal([]byte(doc), &f); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveForm(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishForm(ctx, f.ID); err != nil {
			t.Fatal(err)
		}
		// Version 2 of the template uses it.
		tb, _ := demo.FS.ReadFile("templates/matrimonio.json")
		tdoc := strings.Replace(string(tb), `"form": {"formId": "matrimonio-domanda", "version": 1}`, `"form": {"formId": "matrimonio-domanda", "version": 2}`, 1)
		if _, err := s.SaveTemplate(ctx, []byte(tdoc)); err != nil {
			t.Fatal(err)
		}
		rec, err := s.PublishTemplate(ctx, "matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Version != 2 {
			t.Fatalf("version = %d, want 2", rec.Version)
		}
		d, err := s.DiffVersions(ctx, "matrimonio", 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := &modeler.Diff{From: "matrimonio@1", To: "matrimonio@2", FieldsAdded: []string{}, FieldsRemoved: []string{},
			FieldsRequired: []string{"/note"}, StepsAdded: []string{}, StepsRemoved: []string{}, StepsChanged: []string{"domanda"},
			Breaking: true, Reasons: []string{"field /note is now required: earlier submissions may not validate"}, Texts: []modeler.TextChange{}}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("diff (-want +got):\n%s", diff)
		}

		// Trieste's overlay, on version 1, was checked against version 2 by the
		// publish, and moved: its values still fit (the breaking diff is shown).
		if m := rec.Overlays; len(m) != 1 || m[0].Ente != "c_l424" || m[0].Base != 1 || m[0].Against != 2 || m[0].Diff == nil || !m[0].Diff.Breaking || m[0].Outcome != modeler.Moved {
			t.Fatalf("overlays moved by the publish = %+v", m)
		}
		checks, err := s.RecheckOverlays(ctx, "matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) != 1 || checks[0].Ente != "c_l424" || checks[0].Base != 2 || checks[0].Against != 2 || len(checks[0].Problems) != 0 {
			t.Fatalf("checks = %+v", checks)
		}

		// A published version is immutable: publishing without a draft is not found.
		if _, err := s.PublishTemplate(ctx, "matrimonio"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("publish again: %v, want not_found", err)
		}
	})
}

func TestOverlayRefusesUndeclaredAndOutOfRange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		o := &modeler.Overlay{Ente: "c_f081", Template: "matrimonio", BaseVersion: 1, Values: map[string]json.RawMessage{
			"tariffa": json.RawMessage(`999999`), "colore": json.RawMessage(`"blu"`), "iban": json.RawMessage(`"IT60X0542811101000000123457"`),
		}}
		_, err := s.SaveOverlay(ctx, o)
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		want := []errs.FieldError{
			{Field: "/values/colore", Message: "is not a parameter of this template"},
			{Field: "/values/iban", Message: "check digits are wrong"},
			{Field: "/values/tariffa", Message: "must be at most 200000"},
		}
		if diff := cmp.Diff(want, e.Fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		if _, err := s.Overlay(ctx, "c_f081", "matrimonio"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a refused overlay was stored: %v", err)
		}
	})
}
