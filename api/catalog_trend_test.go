package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestMonitoringTrend reads the agreement's indicator month by month from the
// real payments store: this month Trieste issued two TARI notices (TARI is one
// of its four incasso services: 25 %), paid one of them; bad months are refused
// naming the field; the CSV has the month's line.
func TestMonitoringTrend(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	pay := pagopa.NewStore(db, nil)
	cred := pagopa.Creditor{Ente: "c_l424", FiscalCode: "00210240321", Name: "Comune di Trieste", Office: "Tributi",
		AuxDigit: 3, SegregationCode: "47", IBAN: "IT61X0306909606100000012345"}
	var first *pagopa.Position
	for _, iupd := range []string{"TARI-1", "TARI-2"} {
		p := &pagopa.Position{IUPD: iupd, Creditor: cred, ServiceID: "c_l424.tari", Subject: "TARI 2026",
			Debtor: pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"},
			Options: []pagopa.Option{{Amount: 12000, Description: "Unica soluzione", DueDate: time.Now().AddDate(0, 1, 0),
				Transfers: []pagopa.Transfer{{ID: 1, Amount: 12000, OrganizationFiscalCode: cred.FiscalCode, IBAN: cred.IBAN, RemittanceInformation: "TARI", Category: "9/0101101IM/"}}}}}
		if err := pay.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := pay.SetStatus(ctx, p.ID, pagopa.Valid, true); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = p
		}
	}
	now := time.Now().UTC()
	o := first.Options[0]
	r := &pagopa.Receipt{ReceiptID: "r-1", NoticeNumber: o.NoticeNumber, FiscalCode: cred.FiscalCode, Outcome: "OK",
		CreditorReferenceID: o.IUV, Amount: o.Amount, Description: "TARI", CompanyName: cred.Name,
		Debtor:    pagopa.Subject{Type: "F", ID: "RSSMRA80A01H501U", FullName: "Mario Rossi"},
		Transfers: []pagopa.ReceiptTransfer{{ID: 1, Amount: o.Amount, FiscalCodePA: cred.FiscalCode, IBAN: cred.IBAN, RemittanceInformation: "x", Category: "0101101IM"}},
		PSPID:     "SIMPSP01", PSPName: "PSP simulato", ChannelID: "SIMPSP01_01", PaymentDateTime: &now}
	if _, err := pay.RecordReceipt(ctx, r, "test", []byte("<x/>")); err != nil {
		t.Fatal(err)
	}
	cc := &catalogClient{t: t, who: &Principal{Subject: "regione", Role: RoleRegionalAdmin, Ente: Region}}
	cc.srv = New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, cc.who); return next(c) }
		}
	}}, NewCatalog(catalog.NewStore(db), pay))

	rec := cc.do(http.MethodGet, "/api/catalog/monitoring/trend?ente=c_l424&months=3", "")
	var tr catalog.Trend
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("trend: %d %s", rec.Code, rec.Body)
	}
	if len(tr.Months) != 3 || tr.Name != "Comune di Trieste" || tr.TargetPercent != 70 {
		t.Fatalf("trend = %+v, want three months of Trieste with the 70%% target", tr)
	}
	last := tr.Months[2]
	if last.Month != now.Format("2006-01") || last.Issued != 2 || last.Paid != 1 || last.PaidCents != 12000 ||
		last.ActivePagoPA != 1 || last.Incasso != 4 || last.Percent != 25 || last.TargetMet {
		t.Errorf("this month = %+v, want 2 issued, 1 paid for 120.00, 1 of 4 incasso services active (25%%)", last)
	}
	if m := tr.Months[0]; m.Issued != 0 || m.ActivePagoPA != 0 {
		t.Errorf("two months ago = %+v, want nothing yet", m)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/monitoring/trend?months=3&format=csv", "")
	if line := now.Format("2006-01") + ";2;1;120,00;"; rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), line) {
		t.Errorf("region csv: %d, want a line starting %q\n%s", rec.Code, line, rec.Body)
	}
	for _, q := range []string{"months=0", "months=61", "months=tre"} {
		rec = cc.do(http.MethodGet, "/api/catalog/monitoring/trend?"+q, "")
		if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || len(e.Fields) != 1 || e.Fields[0].Field != "months" {
			t.Errorf("%s: %d %s, want 422 naming months", q, rec.Code, rec.Body)
		}
	}
}
