package catalog_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestOrgCSVReportsEveryBadLine(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		want      []errs.FieldError
	}{
		{"bad rows", "codice;padre;denominazione\n" +
			"root;;Comune\n" +
			";root;Senza codice\n" +
			"a;root;\n" +
			"root;;Doppio\n" +
			"b;manca;Orfano\n",
			[]errs.FieldError{
				{Field: "line 3.codice", Message: "is required"},
				{Field: "line 4.denominazione", Message: "is required"},
				{Field: "line 5.codice", Message: "root is also on line 2"}}},
		{"unknown parent found after the rows are read", "codice,padre,denominazione\nroot,,Comune\nb,manca,Orfano\n",
			[]errs.FieldError{{Field: "line 3.padre", Message: "parent manca of b does not exist"}}},
		{"cycle", "codice;padre;denominazione\nroot;;Comune\nx;z;X\ny;x;Y\nz;y;Z\nself;self;S\n",
			[]errs.FieldError{
				{Field: "line 6.padre", Message: "a unit cannot be its own parent"}}},
		{"cycle alone", "codice;padre;denominazione\nroot;;Comune\nx;z;X\ny;x;Y\nz;y;Z\n",
			[]errs.FieldError{{Field: "line 3.padre", Message: "cycle in the organisation: x → z → y → x"}}},
		{"header", "code;parent;name\n", []errs.FieldError{
			{Field: "line 1", Message: `column "code" is not one of codice, padre, denominazione, tipo, responsabile`},
			{Field: "line 1", Message: `column "parent" is not one of codice, padre, denominazione, tipo, responsabile`},
			{Field: "line 1", Message: `column "name" is not one of codice, padre, denominazione, tipo, responsabile`},
			{Field: "line 1", Message: "column codice is required"},
			{Field: "line 1", Message: "column denominazione is required"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := catalog.ParseOrgCSV([]byte(tc.csv))
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			if diff := cmp.Diff(tc.want, e.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOrgImportAndHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		units, err := s.Units(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 17 || units[0].Code != "comune" {
			t.Fatalf("Trieste has %d units, first %v", len(units), units[0])
		}
		// A bad export changes nothing.
		if _, err := s.ImportOrgCSV(ctx, "c_l424", []byte("codice;padre;denominazione\nx;y;X\ny;x;Y\n"), "hr"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("cyclic import = %v, want invalid", err)
		}
		res, err := s.ImportOrgCSV(ctx, "c_f081", []byte("codice;padre;denominazione;tipo;responsabile\ncomune;;Comune di Medea;ente;Sindaco\n"+
			"demografici;comune;Servizi demografici e cimiteriali;area;Responsabile\n"+
			"stato-civile;demografici;Anagrafe e stato civile;ufficio;Ufficiale di stato civile\n"+
			"segreteria;comune;Segreteria comunale;area;Segretario comunale\n"), "hr")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&catalog.OrgImport{Units: 4, Updated: 1, Deleted: 4}, res); diff != "" {
			t.Errorf("import (-want +got):\n%s", diff)
		}
		// Moving a unit under its own descendant is a cycle, refused.
		_, err = s.PutUnit(ctx, "c_f081", catalog.Unit{Code: "demografici", Parent: "stato-civile", Name: "Demografici"}, "admin")
		wantField(t, err, "parent", "cycle in the organisation: demografici → stato-civile → demografici")
		if _, err := s.PutUnit(ctx, "c_f081", catalog.Unit{Code: "tributi", Parent: "comune", Name: "Ufficio tributi"}, "admin"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUnit(ctx, "c_f081", "demografici", "admin"); !errs.Is(err, errs.Conflict) {
			t.Errorf("delete a unit with children = %v, want conflict", err)
		}
		if err := s.DeleteUnit(ctx, "c_f081", "stato-civile", "admin"); !errs.Is(err, errs.Conflict) {
			t.Errorf("delete the office of a procedimento = %v, want conflict", err)
		}
		_, err = s.ImportOrgCSV(ctx, "c_f081", []byte("codice;denominazione\ncomune;Comune di Medea\n"), "hr")
		wantField(t, err, "units", "unit stato-civile is the responsible office of procedimento c_f081.matrimonio: keep it or change the procedimento first")
		hist, err := s.UnitHistory(ctx, "c_f081")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hist[8:] { // the seed created 8 units by hand
			got = append(got, h.Source+" "+h.Action+" "+h.Code)
		}
		want := []string{"csv update demografici", "csv delete istruzione", "csv delete mobilita", "csv delete protocollo", "csv delete tributi", "manual create tributi"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	})
}

func TestOffice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		for _, tc := range []struct {
			ente, office string
			want         errs.Code
		}{
			{"c_l424", "stato-civile", ""},
			{"c_f081", "protocollo", ""},
			{"", "istruzione", ""},
			{"c_f081", "polizia-locale", errs.NotFound},
			{"", "nessuno", errs.NotFound},
		} {
			err := s.Office(ctx, tc.ente, tc.office)
			if got := errs.Code(""); err != nil {
				got = errs.CodeOf(err)
				if got != tc.want {
					t.Errorf("Office(%q, %s) = %v, want %q", tc.ente, tc.office, err, tc.want)
				}
			} else if tc.want != "" {
				t.Errorf("Office(%q, %s) = nil, want %s", tc.ente, tc.office, tc.want)
			}
		}
	})
}
