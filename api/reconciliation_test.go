package api

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/store/storetest"
)

type noReceipts struct{}

func (noReceipts) ReceiptsBetween(context.Context, string, time.Time, time.Time) ([]ledger.Receipt, error) {
	return nil, nil
}

// reconServer serves modules with the caller set by the test, as the real guard would.
func reconServer(t *testing.T, modules ...Module) func(who *Principal, method, path, ct, body string) *httptest.ResponseRecorder {
	var who *Principal
	srv := New(Options{BodyLimit: "8M", Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, who); return next(c) }
		}
	}}, modules...)
	return func(p *Principal, method, path, ct, body string) *httptest.ResponseRecorder {
		who = p
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set(echo.HeaderContentType, ct)
		}
		rec := httptest.NewRecorder()
		srv.Echo.ServeHTTP(rec, req)
		return rec
	}
}

func TestReconciliationRoutes(t *testing.T) {
	svc := ledger.NewService(storetest.SQLite(t), ledger.DemoEntes, noReceipts{}, ledger.StaticChart{})
	call := reconServer(t, NewReconciliation(svc))
	f := &fdr.Flow{ID: "2026-11-20BCITITMM-S1", Date: time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC), Regulation: "SCT 1", RegulationDate: "2026-11-20",
		SenderType: "B", PSP: "BCITITMM", Receiver: "00210240321", Count: 1, Total: 500,
		Lines: []fdr.Line{{IUV: "X", IUR: "x", Amount: 500, Outcome: "0", Date: "2026-11-19"}}}
	flowXML, err := f.XML()
	if err != nil {
		t.Fatal(err)
	}
	machine := &Principal{Subject: "fvgpay", Role: RoleMachine, Ente: "c_l424"}
	operator := &Principal{Subject: "op1", Role: RoleOperator, Ente: "c_l424"}
	medea := &Principal{Subject: "op2", Role: RoleOperator, Ente: "c_f081"}
	citizen := &Principal{Subject: "c", Role: RoleCitizen, FiscalCode: "RSSMRA80A01H501U"}
	csv := "identificativo_flusso_BT,codice_ABI_BT,codice_fiscale_ente,esercizio,conto_evidenza,tipo_movimento,tipo_documento,tipo_operazione,numero_documento,progressivo_documento,numero_bolletta_quietanza,importo,data_movimento,anagrafica_cliente,causale\n" +
		"GDC-1,02008,00210240321,2026,0000001,ENTRATA,SOSPESO ENTRATA,ESEGUITO,1,0,1,99.00,2026-11-20,PSP,/PUR/LGPE-RIVERSAMENTO/URI/2026-11-19NOFLOW\n"

	tests := []struct {
		name         string
		who          *Principal
		method, path string
		ct, body     string
		status       int
		field        string
	}{
		{"import fdr", machine, "POST", "/api/reconciliation/imports/fdr", "application/xml", string(flowXML), 201, ""},
		{"same fdr again", machine, "POST", "/api/reconciliation/imports/fdr", "application/xml", string(flowXML), 200, ""},
		{"another ente's fdr", medea, "POST", "/api/reconciliation/imports/fdr", "application/xml", string(flowXML), 403, ""},
		{"citizen", citizen, "POST", "/api/reconciliation/imports/fdr", "application/xml", string(flowXML), 403, ""},
		{"fdr as text", machine, "POST", "/api/reconciliation/imports/fdr", "text/plain", "x", 422, "Content-Type"},
		{"fdr json missing flow", machine, "POST", "/api/reconciliation/imports/fdr", "application/json", `{"payments":[]}`, 422, "flow"},
		{"giornale csv", machine, "POST", "/api/reconciliation/imports/giornale", "text/csv", csv, 201, ""},
		{"run", operator, "POST", "/api/reconciliation/runs", "application/json", `{"day":"2026-11-30"}`, 200, ""},
		{"run bad day", operator, "POST", "/api/reconciliation/runs", "application/json", `{"day":"30/11/2026"}`, 422, "day"},
		{"run unknown field", operator, "POST", "/api/reconciliation/runs", "application/json", `{"day":"2026-11-30","force":true}`, 422, "force"},
		{"report needs a day", operator, "GET", "/api/reconciliation/report", "", "", 422, "day"},
		{"report", operator, "GET", "/api/reconciliation/report?day=2026-11-20", "", "", 200, ""},
		{"ledger csv", operator, "GET", "/api/ledger/entries.csv", "", "", 200, ""},
		{"resolve unknown", operator, "POST", "/api/reconciliation/exceptions/nope/resolve", "application/json", `{"resolution":"ok fine"}`, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(tt.who, tt.method, tt.path, tt.ct, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.field != "" {
				if e := errorOf(rec); len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
					t.Errorf("error %+v does not name %s", e, tt.field)
				}
			}
		})
	}

	// The run queued the unknown IUV and the credit naming no flow; Medea sees none of it.
	var queue []ledger.Exception
	rec := call(operator, "GET", "/api/reconciliation/exceptions", "", "")
	if err := json.Unmarshal(rec.Body.Bytes(), &queue); err != nil || len(queue) != 3 {
		t.Fatalf("queue: %s", rec.Body.String())
	}
	if rec := call(medea, "GET", "/api/reconciliation/exceptions", "", ""); strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("another ente's queue: %s", rec.Body.String())
	}
	if rec := call(medea, "POST", "/api/reconciliation/exceptions/"+queue[0].ID+"/resolve", "application/json", `{"resolution":"mine now"}`); rec.Code != 404 {
		t.Errorf("another ente resolves: %d", rec.Code)
	}
	if rec := call(operator, "POST", "/api/reconciliation/exceptions/"+queue[0].ID+"/resolve", "application/json", `{"resolution":"verificato"}`); rec.Code != 200 {
		t.Errorf("resolve: %d %s", rec.Code, rec.Body.String())
	}
	if rec := call(operator, "POST", "/api/reconciliation/exceptions/"+queue[0].ID+"/resolve", "application/json", `{"resolution":"verificato"}`); rec.Code != 409 {
		t.Errorf("resolve twice: %d", rec.Code)
	}
}

type fakeCampaigns struct{ started []appio.CampaignInput }

func (f *fakeCampaigns) Plan(_ context.Context, in appio.CampaignInput) ([]appio.Planned, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return []appio.Planned{{CardNumber: "CA1", ExpiresOn: "2026-12-27"}}, nil
}

func (f *fakeCampaigns) Start(_ context.Context, in appio.CampaignInput) (string, error) {
	f.started = append(f.started, in)
	return "campaign-cie-scadenza-" + in.Ente + "-" + in.Day, nil
}

func TestNotificationRoutes(t *testing.T) {
	fc := &fakeCampaigns{}
	h := NewNotifications(fc, appio.NewStore(storetest.SQLite(t), nil))
	h.Now = func() time.Time { return time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC) } // already the 27th in Rome
	call := reconServer(t, h)
	admin := &Principal{Subject: "adm", Role: RoleEnteAdmin, Ente: "c_l424"}
	tests := []struct {
		name, path, ct, body string
		status               int
		field                string
	}{
		{"dry run", "/api/campaigns/cie-scadenza/dry-run", "application/json", `{"service":"c_l424.cie-scadenza","daysBefore":30}`, 200, ""},
		{"another ente's service", "/api/campaigns/cie-scadenza/dry-run", "application/json", `{"service":"c_f081.cie-scadenza","daysBefore":30}`, 422, "service"},
		{"days out of range", "/api/campaigns/cie-scadenza/dry-run", "application/json", `{"service":"c_l424.cie-scadenza","daysBefore":0}`, 422, "daysBefore"},
		{"start", "/api/campaigns/cie-scadenza/runs", "application/json", `{"service":"c_l424.cie-scadenza","daysBefore":30}`, 202, ""},
		{"cards", "/api/campaigns/cie-scadenza/cards", "text/csv", "card_number,fiscal_code,expires_on\nCA1,RSSMRA80A01H501U,2026-12-27\n", 200, ""},
		{"bad card", "/api/campaigns/cie-scadenza/cards", "text/csv", "card_number,fiscal_code,expires_on\nCA2,RSSMRA80A01H501X,2026-12-27\n", 422, "csv[2].fiscal_code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(admin, "POST", tt.path, tt.ct, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.field != "" {
				if e := errorOf(rec); len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
					t.Errorf("error %+v does not name %s", e, tt.field)
				}
			}
		})
	}
	if len(fc.started) != 1 || fc.started[0].Day != "2026-11-27" || fc.started[0].Ente != "c_l424" {
		t.Errorf("started %+v", fc.started)
	}
	if rec := call(&Principal{Role: RoleCitizen, FiscalCode: "RSSMRA80A01H501U"}, "POST", "/api/campaigns/cie-scadenza/runs", "application/json", `{"service":"c_l424.cie-scadenza","daysBefore":30}`); rec.Code != 403 {
		t.Errorf("citizen starts a campaign: %d", rec.Code)
	}
}
