package modeler_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

// TestFieldErrorsInSlovenian: a citizen who reads Slovenian gets the form's
// field errors in Slovenian, each at its field, the same fields as in Italian.
func TestFieldErrorsInSlovenian(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		ref := modeler.FormRef{ID: "richiesta-generica", Version: 1}
		check := func(lang string, data map[string]any) map[string]string {
			err := s.CheckData(ctx, ref, data, modeler.Facts{}, lang)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("CheckData(%s) = %v, want invalid", lang, err)
			}
			out := map[string]string{}
			for _, f := range e.Fields {
				out[f.Field] = f.Message
			}
			return out
		}
		data := map[string]any{"email": "non-una-email", "extra": 1}
		got := check("sl", data)
		want := map[string]string{
			"/oggetto": "je obvezno",
			"/testo":   "je obvezno",
			"/email":   "ni veljaven e-poštni naslov",
			"/extra":   "ni polje tega obrazca",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Slovenian field errors (-want +got):\n%s", diff)
		}
		it := check("it", data)
		if it["/oggetto"] != "è obbligatorio" || len(it) != len(got) {
			t.Errorf("Italian field errors = %v", it)
		}
		got = check("sl", map[string]any{"oggetto": 5, "testo": "breve"})
		want = map[string]string{"/oggetto": "mora biti besedilo", "/testo": "mora vsebovati vsaj 10 znakov"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Slovenian type and length errors (-want +got):\n%s", diff)
		}
	})
}
