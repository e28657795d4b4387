package api

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/pagopa"
)

// TestBulkNoticeRoutes downloads an ente's notices as a zip and as a print
// file through the routes: one PDF per debtor of that ente only, the print
// file in postal order with the debtor without an address last, and only the
// ente's offices (or the region, naming the ente) may ask.
func TestBulkNoticeRoutes(t *testing.T) {
	st, _, do := paymentsServer(t)
	ctx := context.Background()
	due := time.Now().AddDate(0, 1, 0)
	for _, d := range []pagopa.Debtor{
		{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Anna Verdi", StreetName: "Via Roma", CivicNumber: "3", PostalCode: "34136", City: "Trieste", Province: "TS"},
		{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Bruno Bianchi", StreetName: "Via Roma", CivicNumber: "12", PostalCode: "34121", City: "Trieste", Province: "TS"},
	} {
		p := &pagopa.Position{IUPD: "TARI-" + strings.Fields(d.FullName)[1], Creditor: payTrieste, Debtor: d, Subject: "TARI 2026",
			Options: []pagopa.Option{{Amount: 9000, DueDate: due, Transfers: []pagopa.Transfer{{ID: 1, Amount: 9000,
				OrganizationFiscalCode: payTrieste.FiscalCode, IBAN: payTrieste.IBAN, RemittanceInformation: "TARI", Category: "9/0101101IM/"}}}}}
		if err := st.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	other := &pagopa.Position{IUPD: "MEDEA-1", Creditor: pagopa.Creditor{Ente: "c_f081", FiscalCode: "00123430316", Name: "Comune di Medea",
		AuxDigit: 3, SegregationCode: "47", IBAN: payTrieste.IBAN}, Debtor: pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Carla Neri"},
		Subject: "Mensa", Options: []pagopa.Option{{Amount: 500, DueDate: due, Transfers: []pagopa.Transfer{{ID: 1, Amount: 500,
			OrganizationFiscalCode: "00123430316", IBAN: payTrieste.IBAN, RemittanceInformation: "Mensa", Category: "9/0101101IM/"}}}}}
	if err := st.Create(ctx, other); err != nil {
		t.Fatal(err)
	}

	rec := do(payOpTrieste, http.MethodGet, "/api/payments/notices.zip?lang=it", "", "")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	want := []string{"avviso-MAT-1-it.pdf", "avviso-TARI-Bianchi-it.pdf", "avviso-TARI-Verdi-it.pdf"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("zip entries (-want +got):\n%s", diff)
	}

	rec = do(payRegion, http.MethodGet, "/api/payments/notices/print?ente=c_l424&lang=it", "", "")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("print: %d %.200s", rec.Code, body)
	}
	// 34121 before 34136, Mario Rossi (no address) last.
	b, v, m := strings.Index(body, "(Bruno Bianchi)"), strings.Index(body, "(Anna Verdi)"), strings.Index(body, "(Mario Rossi)")
	if !(b >= 0 && b < v && v < m) || strings.Contains(body, "Carla Neri") {
		t.Errorf("print order: Bianchi %d, Verdi %d, Rossi %d", b, v, m)
	}

	for _, tt := range []struct {
		who  *Principal
		path string
		code int
	}{
		{payDebtor, "/api/payments/notices.zip", 403},
		{payRegion, "/api/payments/notices.zip", 422},
		{payOpTrieste, "/api/payments/notices/print?lang=de", 422},
	} {
		if rec := do(tt.who, http.MethodGet, tt.path, "", ""); rec.Code != tt.code {
			t.Errorf("%s %s: %d, want %d: %s", tt.who.Subject, tt.path, rec.Code, tt.code, rec.Body.String())
		}
	}
}
