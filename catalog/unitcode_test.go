package catalog_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestUnitCodesChecked: a unit code follows one syntax wherever it comes from
// (by hand, in a parent, in the personnel system's CSV), and deleting a unit
// that does not exist, or one of an ente that does not exist, is not_found.
func TestUnitCodesChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		for _, tc := range []struct{ name, code, parent, field string }{
			{"space", "a b", "", "code"},
			{"nul", "a\x00b", "", "code"},
			{"too long", strings.Repeat("z", 65), "", "code"},
			{"markup", "x<script>", "", "code"},
			{"path", "../..", "", "code"},
			{"bad parent", "ok", "../comune", "parent"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.PutUnit(ctx, "c_l424", catalog.Unit{Code: tc.code, Parent: tc.parent, Name: "Prova"}, "test")
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
					t.Fatalf("err = %v, want invalid naming %s", err, tc.field)
				}
			})
		}
		if _, err := s.PutUnit(ctx, "c_l424", catalog.Unit{Code: "Uff.Prova_1", Parent: "comune", Name: "Prova"}, "test"); err != nil {
			t.Fatalf("a good code: %v", err)
		}
		if err := s.DeleteUnit(ctx, "c_l424", "non-esiste", "test"); !errs.Is(err, errs.NotFound) {
			t.Errorf("delete a missing unit = %v, want not_found", err)
		}
		if err := s.DeleteUnit(ctx, "c_x999", "comune", "test"); !errs.Is(err, errs.NotFound) {
			t.Errorf("delete a unit of a missing ente = %v, want not_found", err)
		}
		_, err := catalog.ParseOrgCSV([]byte("codice;padre;denominazione\ncomune;;Comune\na b;comune;Spazio\n"))
		if e, ok := errs.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "line 3.codice" {
			t.Errorf("CSV with a bad code = %v, want line 3.codice", err)
		}
	})
}
