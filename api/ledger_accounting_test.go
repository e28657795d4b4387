package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/store/storetest"
)

// TestLedgerAccountingRoutes: a campaign's accounting reads only in its own
// ente (another ente's operator, or a citizen, gets nothing), as JSON and
// CSV; notices import as CSV only, naming bad rows by line and field.
func TestLedgerAccountingRoutes(t *testing.T) {
	entes := ledger.StaticEntes{"00210240321": "c_l424", "00123430316": "c_f081"}
	svc := ledger.NewService(storetest.SQLite(t), entes, noReceipts{}, ledger.StaticChart{Default: ledger.Capitolo{Capitolo: "3100"}})
	acc := ledger.Accrual{Ente: "c_l424", EnteCF: "00210240321", Campaign: "camp-1", IUPD: "TARI-1", Source: ledger.SourceCampaign,
		Components: []ledger.AccrualComponent{{Code: "TARI", Capitolo: "1010", Articolo: "1", Amount: 9000}},
		Notices:    []ledger.AccrualNotice{{IUV: "02000000000000001", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 9000}}}}}
	if _, err := svc.PostAccruals(context.Background(), []ledger.Accrual{acc}); err != nil {
		t.Fatal(err)
	}
	call := reconServer(t, NewLedgerAccounting(svc))
	operator := &Principal{Subject: "op1", Role: RoleOperator, Ente: "c_l424"}
	medea := &Principal{Subject: "op2", Role: RoleOperator, Ente: "c_f081"}
	citizen := &Principal{Subject: "c", Role: RoleCitizen, FiscalCode: "RSSMRA80A01H501U"}
	for _, tc := range []struct {
		name         string
		who          *Principal
		method, path string
		ct, body     string
		code         int
		contains     string
	}{
		{"report", operator, "GET", "/api/ledger/campaigns/camp-1/accounting", "", "", 200, `"issued":9000`},
		{"report CSV", operator, "GET", "/api/ledger/campaigns/camp-1/accounting.csv", "", "", 200, "1010;1;;1;90.00;0.00;90.00;0.00;0.00;90.00"},
		{"another ente", medea, "GET", "/api/ledger/campaigns/camp-1/accounting", "", "", 404, "not_found"},
		{"citizen", citizen, "GET", "/api/ledger/campaigns/camp-1/accounting", "", "", 403, "staff"},
		{"import as JSON", operator, "POST", "/api/reconciliation/imports/notices", "application/json", "{}", 422, "Content-Type"},
		{"bad row", operator, "POST", "/api/reconciliation/imports/notices", "text/csv", "numero_avviso;importo\n302000000000000009;abc\n", 422, "line 2.importo"},
		{"import", operator, "POST", "/api/reconciliation/imports/notices", "text/csv", "numero_avviso;importo\n302000000000000009;12,00\n", 201, `"added":1`},
		{"import again", operator, "POST", "/api/reconciliation/imports/notices", "text/csv", "numero_avviso;importo\n302000000000000009;12,00\n", 200, `"skipped":1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(tc.who, tc.method, tc.path, tc.ct, tc.body)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("%d %s, want %d containing %s", rec.Code, rec.Body.String(), tc.code, tc.contains)
			}
		})
	}
	var rep ledger.CampaignAccounting
	json.Unmarshal(call(operator, "GET", "/api/ledger/campaigns/camp-1/accounting", "", "").Body.Bytes(), &rep)
	if !rep.Check.OK || rep.Total.Outstanding != 9000 {
		t.Errorf("report = %+v", rep)
	}
}

// TestExceptionsOfAnIntermediary: the queue filtered by an intermediary the
// ente does not have is refused naming the parameter.
func TestExceptionsOfAnIntermediary(t *testing.T) {
	svc := ledger.NewService(storetest.SQLite(t), ledger.DemoEntes, noReceipts{}, ledger.StaticChart{})
	svc.Intermediaries = ledger.StaticIntermediaries{"c_l424": {{ID: "conc", Name: "Concessionario", SegregationCodes: []string{"47"}}}}
	call := reconServer(t, NewReconciliation(svc))
	operator := &Principal{Subject: "op1", Role: RoleOperator, Ente: "c_l424"}
	if rec := call(operator, "GET", "/api/reconciliation/exceptions?intermediary=conc", "", ""); rec.Code != 200 {
		t.Errorf("conc's queue = %d %s", rec.Code, rec.Body.String())
	}
	if rec := call(operator, "GET", "/api/reconciliation/exceptions?intermediary=nope", "", ""); rec.Code != 422 || !strings.Contains(rec.Body.String(), `"intermediary"`) {
		t.Errorf("unknown intermediary = %d %s", rec.Code, rec.Body.String())
	}
}
