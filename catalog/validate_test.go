package catalog_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestBadServicesNameTheField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		for _, tc := range []struct {
			name string
			in   catalog.Input
			want []errs.FieldError
		}{
			{"unknown taxonomy", catalog.Input{ID: "c_l424.nuovo", Ente: "c_l424", Base: "tari",
				Spec: []byte(`{"taxonomy":["9/0101101IM/","9/0199999TS/"]}`)},
				[]errs.FieldError{{Field: "spec.taxonomy[1]", Message: "taxonomy code 9/0199999TS/ is unknown"},
					{Field: "spec.payments[0].iban", Message: "is required: the account the payment is credited to"}}},
			{"expired taxonomy in a payment", catalog.Input{ID: "c_l424.musei", Ente: "c_l424", Base: "tari",
				Spec: []byte(`{"payments":[{"label":{"it":"Biglietto"},"amountCents":500,"taxonomy":"9/0706100TS/","iban":"IT13X0306902230100000046001"}]}`)},
				[]errs.FieldError{{Field: "spec.payments[0].taxonomy", Message: "taxonomy code 9/0706100TS/ expired on 01/04/2022"}}},
			{"bad IBAN and an account of someone else", catalog.Input{ID: "c_l424.x", Ente: "c_l424", Base: "tari",
				Spec: []byte(`{"payments":[{"label":{"it":"A"},"amountCents":1,"taxonomy":"9/0101101IM/","iban":"IT60X0542811101000000123457"},` +
					`{"label":{"it":"B"},"amountCents":1,"taxonomy":"9/0101101IM/","iban":"IT60X0542811101000000123456"}]}`)},
				[]errs.FieldError{{Field: "spec.payments[0].iban", Message: "check digits are wrong"},
					{Field: "spec.payments[1].iban", Message: "IT60X0542811101000000123456 is not an account of c_l424: add it to the ente's master data first"}}},
			{"missing procedimento", catalog.Input{ID: "c_l424.y", Ente: "c_l424", Base: "matrimonio", Spec: []byte(`{"procedimento":"unione-civile"}`)},
				[]errs.FieldError{{Field: "spec.payments[0].iban", Message: "is required: the account the payment is credited to"},
					{Field: "spec.procedimento", Message: "procedimento unione-civile does not exist"}}},
			{"another ente's procedimento", catalog.Input{ID: "c_l424.z", Ente: "c_l424", Spec: []byte(`{"name":{"it":"Z"},"channels":["web"],` +
				`"interactivity":"two-way","availability":{"status":"attivo"},"procedimento":"c_f081.matrimonio"}`)},
				[]errs.FieldError{{Field: "spec.procedimento", Message: "c_f081.matrimonio belongs to another ente"}}},
			{"unknown field", catalog.Input{ID: "c_l424.w", Ente: "c_l424", Base: "tari", Spec: []byte(`{"canali":["web"]}`)},
				[]errs.FieldError{{Field: "spec.canali", Message: "is not a known field"}}},
			{"wrong type", catalog.Input{ID: "c_l424.w", Ente: "c_l424", Base: "tari", Spec: []byte(`{"channels":"web"}`)},
				[]errs.FieldError{{Field: "spec.channels", Message: "must be a JSON slice, got string"}}},
			{"enums and App IO", catalog.Input{ID: "c_l424.v", Ente: "c_l424", Spec: []byte(`{"name":{"it":"V"},"channels":["fax"],` +
				`"interactivity":"totale","availability":{"status":"programmato"},"appIO":{"enabled":true},"contacts":[{"kind":"email","value":"nope"}]}`)},
				[]errs.FieldError{
					{Field: "spec.channels[0]", Message: `"fax" is not one of web, app, sportello, pec, telefono`},
					{Field: "spec.interactivity", Message: "must be one of informativo, modulistica, one-way, two-way, transazionale"},
					{Field: "spec.availability.from", Message: "is required for a scheduled service"},
					{Field: "spec.contacts[0].value", Message: `"nope" is not an e-mail address`},
					{Field: "spec.appIO.serviceId", Message: "is required to publish on App IO: the id App IO gave the service"},
					{Field: "spec.appIO.keyRef", Message: "is required to publish on App IO: the name of the secret holding the API key"}}},
			{"id and ente", catalog.Input{ID: "c_f081.tari2", Ente: "c_zzzz", Base: "tari", Spec: []byte(`{}`)},
				[]errs.FieldError{{Field: "ente", Message: "ente c_zzzz does not exist"},
					{Field: "id", Message: "must be c_zzzz.<slug>, the slug lower-case letters, digits and dashes"}}},
			{"missing base", catalog.Input{ID: "c_l424.q", Ente: "c_l424", Base: "nessuno", Spec: []byte(`{}`)},
				[]errs.FieldError{{Field: "base", Message: "service nessuno does not exist"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.PutService(ctx, tc.in, 0, "test")
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				if diff := cmp.Diff(tc.want, e.Fields); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		if _, err := s.GetService(ctx, "c_l424.nuovo"); !errs.Is(err, errs.NotFound) {
			t.Errorf("a refused service was stored: %v", err)
		}
	})
}

func TestDUfficioProcedimentoIsNotAService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		p := []byte(`{"name":{"it":"Accertamento TARI"},"legalBasis":[{"title":"L. 147/2013"}],"term":{"days":30},` +
			`"start":"d-ufficio","end":"provvedimento-espresso","office":"tributi"}`)
		if _, err := s.PutProcedimento(ctx, catalog.Input{ID: "accertamento-tari", Spec: p}, 0, "regione"); err != nil {
			t.Fatal(err)
		}
		tari, err := s.GetService(ctx, "c_l424.tari")
		if err != nil {
			t.Fatal(err)
		}
		tari.Overrides["procedimento"] = json.RawMessage(`"accertamento-tari"`)
		spec, _ := json.Marshal(tari.Overrides)
		_, err = s.PutService(ctx, catalog.Input{ID: "c_l424.tari", Ente: "c_l424", Base: "tari", Spec: spec}, tari.Revision, "t")
		wantField(t, err, "spec.procedimento", "accertamento-tari starts d-ufficio: only procedimenti a istanza di parte map to services")
	})
}

func TestIfMatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		sv, err := s.GetService(ctx, "c_l424.suolo-pubblico")
		if err != nil {
			t.Fatal(err)
		}
		sv.Overrides["info"] = json.RawMessage(`{"it":"Dehors: domanda 30 giorni prima"}`)
		spec, _ := json.Marshal(sv.Overrides)
		in := catalog.Input{ID: sv.ID, Ente: sv.Ente, Base: sv.Base, Spec: spec}
		up, err := s.PutService(ctx, in, sv.Revision, "ts-admin")
		if err != nil {
			t.Fatal(err)
		}
		if up.Revision != sv.Revision+1 || up.Origins["payments"] != catalog.FromEnte || up.Origins["name"] != catalog.FromRegion || up.Info.It != "Dehors: domanda 30 giorni prima" {
			t.Errorf("after update: revision %d, payments from %s", up.Revision, up.Origins["payments"])
		}
		_, err = s.PutService(ctx, in, sv.Revision, "someone-else")
		if e, _ := errs.As(err); e == nil || e.Code != errs.Conflict || e.Reason != catalog.ReasonStale {
			t.Errorf("stale If-Match = %v, want conflict %s", err, catalog.ReasonStale)
		}
		_, err = s.PutService(ctx, in, 0, "someone-else")
		if e, _ := errs.As(err); e == nil || e.Code != errs.Conflict || e.Reason != "exists" {
			t.Errorf("create over an existing service = %v, want conflict exists", err)
		}
		if err := s.DeleteService(ctx, "tari", catalog.Unconditional); !errs.Is(err, errs.Conflict) {
			t.Errorf("delete a type enti use = %v, want conflict", err)
		}
		if err := s.DeleteProcedimento(ctx, "iscrizione-mensa", catalog.Unconditional); !errs.Is(err, errs.Conflict) {
			t.Errorf("delete a procedimento services use = %v, want conflict", err)
		}
		if err := s.DeleteService(ctx, up.ID, up.Revision); err != nil {
			t.Errorf("delete: %v", err)
		}
	})
}
