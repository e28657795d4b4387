package catalog_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/sportello/sportello/catalog"
)

// FuzzParseOrgCSV: an ente's organisation chart, uploaded by its admin, is
// parsed or refused naming the line, never a panic; every unit accepted has
// a code, and its parent is a unit of the chart.
func FuzzParseOrgCSV(f *testing.F) {
	if b, err := os.ReadFile("data/c_l424_organigramma.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("codice;padre;denominazione;tipo;responsabile\na;a;Loop;area;x\n"))
	// A bare quote in a line's first field: the CSV reader has no field
	// position for it (a CI fuzz run found the panic).
	f.Add([]byte("codice;denominazione\nx\"y;Z\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		units, err := catalog.ParseOrgCSV(b)
		if err != nil {
			return
		}
		codes := map[string]bool{}
		for _, u := range units {
			codes[u.Code] = true
		}
		for _, u := range units {
			if u.Code == "" || (u.Parent != "" && !codes[u.Parent]) {
				t.Fatalf("accepted unit %+v", u)
			}
		}
	})
}

// FuzzBundle: a catalog bundle (the regional export another ente imports)
// decodes or is refused, never a panic.
func FuzzBundle(f *testing.F) {
	f.Add([]byte(`{"format":"sportello-catalog/1","enti":[{"id":"c_l424","name":"Comune di Trieste"}],"units":{"c_l424":[{"code":"a"}]},"procedimenti":[],"services":[{"id":"c_l424.x","spec":{"payments":[{"fee":{"kind":"bands","bands":[{"code":"A","cents":1}]}}]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var bundle catalog.Bundle
		_ = json.Unmarshal(b, &bundle)
	})
}

// FuzzIdentifiers: the codice fiscale and IBAN checks never panic, and accept
// only what has the right length.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"RSSMRA80A01L424F", "00210240321", "IT60X0542811101000000123456", "IT00", "ÈÈ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if catalog.CheckFiscalCode(s) == nil && len(s) != 16 && len(s) != 11 {
			t.Fatalf("accepted fiscal code %q", s)
		}
		if catalog.CheckIBAN(s) == nil && (len(s) < 15 || len(s) > 34) {
			t.Fatalf("accepted IBAN %q", s)
		}
	})
}
