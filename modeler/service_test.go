package modeler_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

func TestSeedPublishesAndOverlayResolves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		for i := 0; i < 2; i++ {
			if err := modeler.Seed(ctx, db); err != nil {
				t.Fatalf("seed %d: %v", i, err)
			}
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		// The demo marriage books 1 to 6 months ahead: the sample's date is in the window.
		s.Now = func() time.Time { return time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC) }
		var got []string
		recs, err := s.Store.TemplateVersions(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			got = append(got, r.ID+"@"+string(rune('0'+r.Version))+":"+r.Status)
		}
		want := []string{"c_l424.matrimonio@1:published", "cie-scadenza@1:published", "matrimonio@1:published",
			"mensa@1:published", "richiesta-generica@1:published", "tari@1:published"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("versions after seeding twice (-want +got):\n%s", diff)
		}
		p, err := s.Plan(ctx, "c_l424.matrimonio", 0)
		if err != nil {
			t.Fatal(err)
		}
		pay := p.Steps["pagamento"].Payment
		if pay.AmountCents != 15000 || pay.Transfers[0].IBAN != "IT90G0200802242000105898765" || p.Ente != "c_l424" {
			t.Errorf("overlay not applied: %+v ente %q", pay, p.Ente)
		}
		form := p.Steps[p.Start].Form
		if form.FormID != "c_l424.matrimonio-domanda" {
			t.Errorf("start form = %+v, want the ente's extended form", form)
		}
		sub := map[string]any{
			"sposo1": map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": "RSSMRA80A01L424X", "dataNascita": "1980-01-01"},
			"sposo2": map[string]any{"nome": "Anna", "cognome": "Bianchi", "codiceFiscale": "BNCNNA85M41L424Y", "dataNascita": "1985-08-01"},
			"sala":   "giardino", "data": "2027-06-12", "testimoni": 7,
		}
		err = s.ValidateSubmission(ctx, p.TemplateID, p.Version, "RSSMRA80A01L424X", sub, "it")
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		wantFields := []errs.FieldError{
			{Field: "/ospiti", Message: "è obbligatorio"},
			{Field: "/sposo1/codiceFiscale", Message: "non è un codice fiscale valido"},
			{Field: "/testimoni", Message: "deve essere al massimo 4"},
		}
		if diff := cmp.Diff(wantFields, e.Fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
}
