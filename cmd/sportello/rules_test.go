package main

import (
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/catalog"
)

// TestMarriageFormRules sends the demo marriage through the real program as the
// citizen's portal does: a date in the past, the same codice fiscale twice and
// an applicant who is neither spouse are refused 422 naming the fields, and
// nothing is created; a lowercase codice fiscale is accepted and stored upper-cased.
func TestMarriageFormRules(t *testing.T) {
	p := startDev(t)
	mario, giulia := p.token("mario.rossi"), p.token("giulia.bianchi")
	const cfMario, cfGiulia = "RSSMRA80A01L424F", "BNCGLI85C55L424K"
	cfLuigi := "VRDLGU70A01L424"
	check, _ := catalog.FiscalCodeCheckChar(cfLuigi)
	cfLuigi += string(check)

	today := time.Now().In(calendar.Rome)
	inWindow := bookableDate()
	form := func(cf1, cf2, date string) map[string]any {
		return map[string]any{
			"sposo1": map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": cf1, "dataNascita": "1980-01-01"},
			"sposo2": map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": cf2, "dataNascita": "1985-03-15"},
			"sala":   "sala-matrimoni", "data": date, "testimoni": 2,
		}
	}
	type refusal struct {
		Error struct {
			Code   string `json:"code"`
			Fields []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"fields"`
		} `json:"error"`
	}
	cfs := []string{"/sposo1/codiceFiscale", "/sposo2/codiceFiscale"}
	for _, tc := range []struct {
		name  string
		token string
		data  map[string]any
		want  []string
	}{
		{"date in the past", mario, form(cfMario, cfGiulia, today.AddDate(0, 0, -1).Format(time.DateOnly)), []string{"/data"}},
		{"date tomorrow, before the booking window", mario, form(cfMario, cfGiulia, today.AddDate(0, 0, 1).Format(time.DateOnly)), []string{"/data"}},
		{"date beyond the booking window", mario, form(cfMario, cfGiulia, today.AddDate(0, 7, 0).Format(time.DateOnly)), []string{"/data"}},
		{"same codice fiscale twice", mario, form(cfMario, "rssmra80a01l424f", inWindow), cfs},
		{"applicant neither spouse", giulia, form(cfMario, cfLuigi, inWindow), cfs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bad refusal
			code := p.call("POST", "/api/pratiche", tc.token, map[string]any{"service": "c_l424.matrimonio", "data": tc.data}, &bad)
			var got []string
			for _, f := range bad.Error.Fields {
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
				got = append(got, f.Field)
			}
			sort.Strings(got)
			if code != http.StatusUnprocessableEntity || bad.Error.Code != "invalid" {
				t.Fatalf("answer = %d %+v, want 422 invalid", code, bad)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s\n%+v", diff, bad)
			}
		})
	}
	// Nothing was created by the refusals.
	for _, tok := range []string{mario, giulia} {
		var mine []struct{ ID string }
		if code := p.call("GET", "/api/pratiche", tok, nil, &mine); code != http.StatusOK || len(mine) != 0 {
			t.Fatalf("pratiche after refusals = %d %+v, want none", code, mine)
		}
	}

	// A lowercase codice fiscale with spaces is accepted, and stored upper-cased.
	var started struct {
		ID   string         `json:"id"`
		Data map[string]any `json:"data"`
	}
	if code := p.call("POST", "/api/pratiche", giulia, map[string]any{"service": "c_l424.matrimonio",
		"data": form(cfMario, " bncgli85c55l424k ", inWindow)}, &started); code != http.StatusCreated {
		t.Fatalf("lowercase codice fiscale = %d %+v, want 201", code, started)
	}
	var stored struct {
		Data struct {
			Sposo2 struct {
				CodiceFiscale string `json:"codiceFiscale"`
			} `json:"sposo2"`
		} `json:"data"`
	}
	if code := p.call("GET", "/api/pratiche/"+started.ID, giulia, nil, &stored); code != http.StatusOK || stored.Data.Sposo2.CodiceFiscale != cfGiulia {
		t.Fatalf("stored codice fiscale = %d %q, want %s", code, stored.Data.Sposo2.CodiceFiscale, cfGiulia)
	}
}

// bookableDate is a ceremony date inside the marriage's booking window (1 to 6
// months ahead of today in Europe/Rome), so the journeys keep passing as time goes by.
func bookableDate() string {
	return time.Now().In(calendar.Rome).AddDate(0, 2, 0).Format(time.DateOnly)
}
