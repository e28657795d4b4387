package modeler_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

const (
	mario  = "RSSMRA80A01L424F"
	giulia = "BNCGLI85C55L424K"
)

func marriage(cf1, cf2, date string) map[string]any {
	return map[string]any{
		"sposo1": map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": cf1, "dataNascita": "1980-01-01"},
		"sposo2": map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": cf2, "dataNascita": "1985-03-15"},
		"sala":   "sala-matrimoni", "data": date,
	}
}

// The demo marriage form's rules and date bounds, on the server, with today in
// Europe/Rome: 23:30 UTC on 14 January is already the 15th in Trieste.
func TestMarriageRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		s.Now = func() time.Time { return time.Date(2027, 1, 14, 23, 30, 0, 0, time.UTC) }
		both := []string{"/sposo1/codiceFiscale", "/sposo2/codiceFiscale"}
		for _, tc := range []struct {
			name      string
			applicant string
			data      map[string]any
			lang      string
			want      []errs.FieldError
		}{
			{"valid", mario, marriage(mario, giulia, "2027-03-01"), "it", nil},
			{"first day of the window", giulia, marriage(mario, giulia, "2027-02-15"), "it", nil},
			{"last day of the window", mario, marriage(mario, giulia, "2027-07-15"), "it", nil},
			{"lowercase codice fiscale", giulia, marriage(mario, " bncgli85c55l424k ", "2027-03-01"), "it", nil},
			{"date in the past", mario, marriage(mario, giulia, "2026-12-01"), "it",
				[]errs.FieldError{{Field: "/data", Message: "deve essere tra il 15/02/2027 e il 15/07/2027"}}},
			{"date too soon", mario, marriage(mario, giulia, "2027-02-14"), "en",
				[]errs.FieldError{{Field: "/data", Message: "must be between 15 February 2027 and 15 July 2027"}}},
			{"date too late", mario, marriage(mario, giulia, "2027-07-16"), "en",
				[]errs.FieldError{{Field: "/data", Message: "must be between 15 February 2027 and 15 July 2027"}}},
			{"same codice fiscale twice", mario, marriage(mario, "rssmra80a01l424f", "2027-03-01"), "en", []errs.FieldError{
				{Field: both[0], Message: "the two spouses must have different tax codes"},
				{Field: both[1], Message: "the two spouses must have different tax codes"}}},
			{"applicant neither spouse", "VRDLGU70A01L424Z", marriage(mario, giulia, "2027-03-01"), "it", []errs.FieldError{
				{Field: both[0], Message: "chi presenta la domanda deve essere uno dei due sposi"},
				{Field: both[1], Message: "chi presenta la domanda deve essere uno dei due sposi"}}},
			{"schema and rules together", "VRDLGU70A01L424Z", marriage(mario, mario, "2020-01-01"), "en", []errs.FieldError{
				{Field: "/data", Message: "must be between 15 February 2027 and 15 July 2027"},
				{Field: both[0], Message: "the two spouses must have different tax codes"},
				{Field: both[0], Message: "the applicant must be one of the two spouses"},
				{Field: both[1], Message: "the two spouses must have different tax codes"},
				{Field: both[1], Message: "the applicant must be one of the two spouses"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.ValidateSubmission(ctx, "matrimonio", 0, tc.applicant, tc.data, tc.lang)
				var got []errs.FieldError
				if err != nil {
					e, ok := errs.As(err)
					if !ok || e.Code != errs.Invalid {
						t.Fatalf("err = %v, want invalid", err)
					}
					got = e.Fields
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// A codice fiscale is stored as the office compares it: upper case, no spaces.
func TestCodiceFiscaleNormalised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		s.Now = func() time.Time { return time.Date(2027, 1, 14, 12, 0, 0, 0, time.UTC) }
		data := marriage(" rssmra80a01l424f", "BncGli85c55L424k ", "2027-03-01")
		if err := s.ValidateSubmission(ctx, "matrimonio", 0, mario, data, "it"); err != nil {
			t.Fatal(err)
		}
		got := []any{data["sposo1"].(map[string]any)["codiceFiscale"], data["sposo2"].(map[string]any)["codiceFiscale"]}
		if diff := cmp.Diff([]any{mario, giulia}, got); diff != "" {
			t.Errorf("stored codici fiscali (-want +got):\n%s", diff)
		}
		// A wrong one is still refused after upper-casing.
		bad := marriage(mario, "bncgli85c55l424x", "2027-03-01")
		if err := s.ValidateSubmission(ctx, "matrimonio", 0, mario, bad, "en"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("wrong check character: %v, want invalid", err)
		}
	})
}

func TestTodayIsRome(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2027, 1, 14, 22, 59, 0, 0, time.UTC), "2027-01-14"},
		{time.Date(2027, 1, 14, 23, 0, 0, 0, time.UTC), "2027-01-15"},
		{time.Date(2027, 7, 14, 22, 0, 0, 0, time.UTC), "2027-07-15"}, // summer time
	} {
		if got := modeler.Today(tc.at); got != tc.want {
			t.Errorf("Today(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

// A form's rules and date bounds are checked when it is saved.
func TestSaveFormChecksRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		doc := `{"id": "regole", "title": {"it": "Regole"}, "schema": {"type": "object", "properties": {
			"a": {"type": "string"}, "n": {"type": "integer"}, "quando": {"type": "string", "format": "date"}}},
		  "rules": [
		    {"id": "ok", "expr": "data.a != applicant && data.quando >= today", "fields": ["/a"], "message": {"it": "no", "en": "no"}},
		    {"id": "syntax", "expr": "data.a ==", "fields": ["/a"], "message": {"it": "no", "en": "no"}},
		    {"id": "notbool", "expr": "data.n + 1", "fields": ["/n"], "message": {"it": "no", "en": "no"}},
		    {"id": "unknown", "expr": "data.b == 'x'", "fields": ["/b"], "message": {"it": "no"}},
		    {"id": "ok", "expr": "", "fields": [], "message": {"it": "no", "en": "no"}}
		  ],
		  "dates": [
		    {"field": "/quando", "minDays": 0, "maxMonths": 2},
		    {"field": "/a", "minDays": 1},
		    {"field": "/quando"},
		    {"field": "/quando", "minMonths": 2, "maxDays": 10}
		  ]}`
		var f modeler.Form
		if err := json.Unmarshal([]byte(doc), &f); err != nil {
			t.Fatal(err)
		}
		_, err := s.SaveForm(ctx, &f)
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		var got []string
		for _, fe := range e.Fields {
			got = append(got, fe.Field)
		}
		want := []string{"/rules/1/expr", "/rules/2/expr", "/rules/3/expr", "/rules/3/fields/0", "/rules/3/message",
			"/rules/4/id", "/rules/4/expr", "/rules/4/fields", "/dates/1/field", "/dates/2", "/dates/3"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("problems (-want +got):\n%s\n%v", diff, err)
		}
	})
}

// A database seeded before the demo marriage form had its rules gets the new
// form as version 2, and the demo template follows it, so the rules apply.
func TestSeedFollowsChangedDemoForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		old := &modeler.Form{ID: "matrimonio-domanda", Title: modeler.Text{IT: "Matrimonio (prima delle regole)"},
			Schema: json.RawMessage(`{"type": "object", "properties": {"sposo1": {"type": "object"}, "sposo2": {"type": "object"},
				"sala": {"type": "string"}, "data": {"type": "string"}, "ospiti": {"type": "integer"}, "note": {"type": "string"}}}`)}
		if _, err := s.SaveForm(ctx, old); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishForm(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if err := s.Seed(ctx); err != nil {
				t.Fatalf("seed %d: %v", i, err)
			}
		}
		p, err := s.Plan(ctx, "matrimonio", 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Steps[p.Start].Form; got.FormID != "matrimonio-domanda" || got.Version != 2 || p.Version != 1 {
			t.Fatalf("matrimonio@%d starts on %+v, want matrimonio-domanda@2", p.Version, got)
		}
		err = s.ValidateSubmission(ctx, "matrimonio", 0, "VRDLGU70A01L424Z", marriage(mario, mario, "2020-01-01"), "it")
		if e, ok := errs.As(err); !ok || len(e.Fields) < 3 {
			t.Fatalf("rules of the new form not applied: %v", err)
		}
	})
}

// A designer trying data out has no applicant: the rules about the applicant
// wait for a real pratica, the others apply; messages come in Slovenian too.
func TestRulesWithoutApplicant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		s.Now = func() time.Time { return time.Date(2027, 1, 14, 12, 0, 0, 0, time.UTC) }
		ref := modeler.FormRef{ID: "matrimonio-domanda", Version: 1}
		if err := s.ValidateData(ctx, ref, marriage(mario, giulia, "2027-03-01"), "it"); err != nil {
			t.Errorf("designer's valid sample: %v", err)
		}
		err := s.ValidateData(ctx, ref, marriage(mario, mario, "2027-03-01"), "sl")
		e, ok := errs.As(err)
		if !ok || len(e.Fields) != 2 || e.Fields[0].Message != "zakonca morata imeti različni davčni številki" {
			t.Errorf("same codice fiscale twice, in Slovenian: %v", err)
		}
	})
}
