package catalog_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// officialRows returns the embedded dataset's rows, to derive other versions from.
func officialRows(t *testing.T) []map[string]string {
	t.Helper()
	var rows []map[string]string
	if err := json.Unmarshal(catalog.Taxonomy, &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func dataset(t *testing.T, rows []map[string]string) []byte {
	t.Helper()
	b, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTaxonomyImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := catalog.NewStore(db)
		first, err := s.ImportTaxonomy(ctx, catalog.Taxonomy)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&catalog.ImportResult{Version: "33", Rows: 623}, first); diff != "" {
			t.Errorf("first import (-want +got):\n%s", diff)
		}
		again, err := s.ImportTaxonomy(ctx, catalog.Taxonomy)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&catalog.ImportResult{Version: "33", Rows: 623, Unchanged: true}, again); diff != "" {
			t.Errorf("same import again (-want +got):\n%s", diff)
		}

		// Version 34 drops the TARI code of the current year.
		var v34 []map[string]string
		for _, r := range officialRows(t) {
			r["VERSIONE TASSONOMIA"] = "34"
			if r["DATI SPECIFICI DI INCASSO"] != "9/0101101IM/" {
				v34 = append(v34, r)
			}
		}
		next, err := s.ImportTaxonomy(ctx, dataset(t, v34))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&catalog.ImportResult{Version: "34", Rows: 622, Withdrawn: []string{"9/0101101IM/"}}, next); diff != "" {
			t.Errorf("newer version (-want +got):\n%s", diff)
		}
		_, err = s.ImportTaxonomy(ctx, catalog.Taxonomy)
		wantField(t, err, "VERSIONE TASSONOMIA", "version 33 is older than the imported version 34")

		at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		for _, tc := range []struct {
			code string
			at   time.Time
			msg  string
		}{
			{"9/0104102TS/", at, ""},
			{"9/0101101IM/", at, "taxonomy code 9/0101101IM/ was withdrawn in version 34"},
			{"9/0706100TS/", at, "taxonomy code 9/0706100TS/ expired on 01/04/2022"},
			{"9/0706100TS/", time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), ""},
			{"9/0101109IM/", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC), "taxonomy code 9/0101109IM/ is valid only from 04/01/2021"},
			{"9/0199999TS/", at, "taxonomy code 9/0199999TS/ is unknown"},
			{"0104102TS", at, `"0104102TS" is not a taxonomy code 9/TTMMSSSGG/`},
		} {
			err := s.CheckTaxonomy(ctx, tc.code, tc.at)
			if tc.msg == "" {
				if err != nil {
					t.Errorf("CheckTaxonomy(%s) = %v", tc.code, err)
				}
				continue
			}
			wantField(t, err, "taxonomy", tc.msg)
		}
	})
}

func TestTaxonomyRowsReportedByPosition(t *testing.T) {
	rows := officialRows(t)[:3]
	rows[1]["DATI SPECIFICI DI INCASSO"] = "9/0101999IM/"
	rows[2]["DATA FINE VALIDITA"] = "31-12-2080"
	_, _, err := catalog.ParseTaxonomy(dataset(t, rows))
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("err = %v, want invalid", err)
	}
	want := []errs.FieldError{
		{Field: "[1].DATI SPECIFICI DI INCASSO", Message: `"9/0101999IM/" does not match the row's ente type, macro area, service type and reason`},
		{Field: "[2].DATA FINE VALIDITA", Message: `"31-12-2080" is not a dd/mm/yyyy date`},
	}
	if diff := cmp.Diff(want, e.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestTaxonomySearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := catalog.NewStore(db)
		if _, err := s.ImportTaxonomy(ctx, catalog.Taxonomy); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, tc := range []struct {
			name string
			f    catalog.TaxonomyFilter
			want []string
		}{
			{"accent folded", catalog.TaxonomyFilter{Q: "CARTA D'IDENTITA", EnteType: "01"}, []string{"9/0104100TS/", "9/0104104TS/"}},
			{"two words", catalog.TaxonomyFilter{Q: "mense scolastiche", EnteType: "01"}, []string{"9/0107101TS/"}},
			{"expired excluded", catalog.TaxonomyFilter{Q: "musei", EnteType: "07", At: &at}, nil},
			{"expired listed", catalog.TaxonomyFilter{Q: "musei monumenti", EnteType: "07"}, []string{"9/0706100TS/", "9/0706101TS/"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.SearchTaxonomy(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var codes []string
				for _, e := range got {
					codes = append(codes, e.Code)
				}
				if diff := cmp.Diff(tc.want, codes); diff != "" {
					t.Errorf("codes (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// wantField fails unless err is errs invalid with exactly one field error.
func wantField(t *testing.T, err error, field, msg string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("err = %v, want invalid %s: %s", err, field, msg)
	}
	if diff := cmp.Diff([]errs.FieldError{{Field: field, Message: msg}}, e.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
