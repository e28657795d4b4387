package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

var payTrieste = pagopa.Creditor{Ente: "c_l424", FiscalCode: "00210240321", Name: "Comune di Trieste", AuxDigit: 3, SegregationCode: "47",
	IBAN: "IT61X0306909606100000012345"}

type payServices map[string]*pagopa.SpontaneousService

func (s payServices) SpontaneousService(_ context.Context, id string) (*pagopa.SpontaneousService, error) {
	if svc, ok := s[id]; ok {
		return svc, nil
	}
	return nil, errs.E(errs.NotFound, "no service %s", id)
}

func paymentsServer(t *testing.T) (*pagopa.Store, *pagopa.Position, func(who *Principal, method, path, ct, body string) *httptest.ResponseRecorder) {
	db := storetest.SQLite(t)
	st := pagopa.NewStore(db, nil)
	gpd := httptest.NewServer(sim.New(sim.Config{}))
	t.Cleanup(gpd.Close)
	svc := &pagopa.Service{Positions: st, GPD: pagopa.NewClient(gpd.URL, "")}
	spo := &pagopa.Spontaneous{Payments: svc, Services: payServices{"c_l424.suolo-pubblico": {ID: "c_l424.suolo-pubblico", Name: "Suolo pubblico",
		Creditor: payTrieste, Taxonomy: "9/0101103IM/", Fee: pagopa.FeeRule{Kind: "fixed", Amount: 5000}}}}
	pos, err := svc.Issue(context.Background(), pagopa.IssueRequest{IUPD: "MAT-1", PraticaID: "pr-1", Creditor: payTrieste, Publish: true,
		Debtor:  pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"},
		Subject: "Celebrazione matrimonio",
		Options: []pagopa.OptionRequest{{Amount: 3000, DueDate: time.Now().AddDate(0, 0, 30),
			Transfers: []pagopa.TransferRequest{{Amount: 2000, Category: "9/0104102TS/"}, {Amount: 1000, Category: "9/0104102TS/"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	h := NewPayments(&pagopa.Receipts{Store: st}, st, spo, func(_ context.Context, ente string) (string, error) {
		if ente == "c_l424" {
			return "00210240321", nil
		}
		return "", errs.E(errs.NotFound, "ente %s", ente)
	})
	h.EnteOf = func(_ context.Context, cf string) (string, error) {
		switch cf {
		case "00210240321", "77777777777": // the official samples' creditor stands for Trieste here
			return "c_l424", nil
		case "00123430316":
			return "c_f081", nil
		}
		return "", errs.E(errs.NotFound, "no ente has fiscal code %s", cf)
	}
	var who *Principal
	srv := New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, who); return next(c) }
		}
	}}, h)
	return st, pos, func(p *Principal, method, path, ct, body string) *httptest.ResponseRecorder {
		who = p
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		srv.Echo.ServeHTTP(rec, req)
		return rec
	}
}

var (
	payMachine   = &Principal{Subject: "fvg-pay", Role: RoleMachine, Ente: "c_l424", Scopes: []string{"receipt:create"}, Serves: []string{"c_l424"}}
	payMachineMe = &Principal{Subject: "medea-key", Role: RoleMachine, Ente: "c_f081", Scopes: []string{"receipt:create"}, Serves: []string{"c_f081"}}
	payDebtor    = &Principal{Subject: "u1", Role: RoleCitizen, FiscalCode: "RSSMRA80A01H501U", Name: "Mario Rossi"}
	payStranger  = &Principal{Subject: "u2", Role: RoleCitizen, FiscalCode: "BNCLCU85C41L424O"}
	payOpTrieste = &Principal{Subject: "o1", Role: RoleOperator, Ente: "c_l424", Office: "stato-civile"}
	payOpMedea   = &Principal{Subject: "o2", Role: RoleOperator, Ente: "c_f081"}
	payRegion    = &Principal{Subject: "r1", Role: RoleRegionalAdmin, Ente: Region}
)

func TestReceiptSOAPRoute(t *testing.T) {
	_, _, do := paymentsServer(t)
	sample := func(name string) string {
		b, err := os.ReadFile("../../shared/specs/pagopa/samples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, body string
		status     int
		contains   string
	}{
		{"unknown notice is an anomaly, answered OK", sample("RECEIPT_VALID.xml"), 200, "<outcome>OK</outcome>"},
		{"the same receipt again", sample("RECEIPT_VALID.xml"), 200, "<faultCode>PAA_RECEIPT_DUPLICATA</faultCode>"},
		{"invalid sample names idPA", sample("RECEIPT_INVALID.xml"), 400, "idPA: is required"},
		{"doctype refused", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + sample("RECEIPT_VALID.xml"), 400, "DOCTYPE"},
	}
	// Medea's key cannot deliver Trieste's receipt: the node's own fault, nothing stored.
	if rec := do(payMachineMe, http.MethodPost, "/api/payments/receipts/soap", "text/xml", sample("RECEIPT_VALID.xml")); rec.Code != 400 ||
		!strings.Contains(rec.Body.String(), "<faultCode>PAA_ID_DOMINIO_ERRATO</faultCode>") {
		t.Errorf("another ente's key: %d %s", rec.Code, rec.Body)
	}
	for _, tt := range tests {
		rec := do(payMachine, http.MethodPost, "/api/payments/receipts/soap", "text/xml", tt.body)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) || !strings.Contains(rec.Body.String(), "paSendRTV2Response") {
			t.Errorf("%s: %d %s", tt.name, rec.Code, rec.Body)
		}
	}
	rec := do(payRegion, http.MethodGet, "/api/payments/anomalies", "", "")
	var an []pagopa.Anomaly
	json.Unmarshal(rec.Body.Bytes(), &an)
	if rec.Code != 200 || len(an) != 1 || an[0].Reason != "unknown_notice" || an[0].ReceiptID != "c110729d258c4ab1b765fe902aae41d6" {
		t.Errorf("anomalies for the region: %d %s", rec.Code, rec.Body)
	}
	rec = do(payOpTrieste, http.MethodGet, "/api/payments/anomalies", "", "")
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("anomalies for Trieste: %d %s", rec.Code, rec.Body)
	}
	if rec := do(payDebtor, http.MethodGet, "/api/payments/anomalies", "", ""); rec.Code != http.StatusForbidden {
		t.Errorf("anomalies for a citizen: %d", rec.Code)
	}
}

func TestReceiptJSONRoute(t *testing.T) {
	st, pos, do := paymentsServer(t)
	o := pos.Options[0]
	body := `{"receiptId":"rj-1","noticeNumber":"` + o.NoticeNumber + `","fiscalCode":"00210240321","outcome":"OK","creditorReferenceId":"` + o.IUV + `",
"paymentAmount":30.00,"description":"Celebrazione matrimonio","companyName":"Comune di Trieste",
"debtor":{"entityUniqueIdentifierType":"F","entityUniqueIdentifierValue":"RSSMRA80A01H501U","fullName":"Mario Rossi","streetName":"via Roma","civicNumber":"1","postalCode":"34121","city":"Trieste","stateProvinceRegion":"TS","country":"IT","email":"m@example.it"},
"payer":{"entityUniqueIdentifierType":"F","entityUniqueIdentifierValue":"RSSMRA80A01H501U","fullName":"Mario Rossi","city":"Trieste"},
"transferList":[{"idTransfer":1,"transferAmount":20.00,"fiscalCodePA":"00210240321","iban":"IT61X0306909606100000012345","mbdAttachment":"","remittanceInformation":"a","transferCategory":"0104102TS"},
{"idTransfer":2,"transferAmount":10.00,"fiscalCodePA":"00210240321","iban":"IT61X0306909606100000012345","mbdAttachment":"","remittanceInformation":"b","transferCategory":"0104102TS"}],
"idPSP":"SIMPSP","pspCompanyName":"PSP","idChannel":"SIMPSP_01","paymentDateTime":"2026-11-27","paymentDateTimeFormatted":"2026-11-27T10:00:00Z"}`
	if rec := do(payMachineMe, http.MethodPost, "/api/payments/receipts", "application/json", body); rec.Code != http.StatusForbidden ||
		!strings.Contains(rec.Body.String(), "PAA_ID_DOMINIO_ERRATO") {
		t.Errorf("another ente's key: %d %s", rec.Code, rec.Body)
	}
	if got, _ := st.Get(context.Background(), pos.ID); got.Status == pagopa.Paid {
		t.Fatal("a receipt refused for its creditor paid the position")
	}
	for i, want := range []string{`"outcome":"paid"`, `"outcome":"duplicate"`} {
		rec := do(payMachine, http.MethodPost, "/api/payments/receipts", "application/json", body)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("post %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	got, err := st.Get(context.Background(), pos.ID)
	if err != nil || got.Status != pagopa.Paid {
		t.Fatalf("after the JSON receipt: %v %v", got.Status, err)
	}
	rec := do(payMachine, http.MethodPost, "/api/payments/receipts", "application/json", strings.Replace(body, `"receiptId":"rj-1"`, `"receiptId":"rj-2","extra":1`, 1))
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "extra") {
		t.Errorf("unknown field: %d %s", rec.Code, rec.Body)
	}
	rec = do(payMachine, http.MethodPost, "/api/payments/receipts", "application/json", strings.Replace(body, `"paymentAmount":30.00`, `"paymentAmount":31.00`, 1))
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "receipt.transferList") {
		t.Errorf("amounts that do not add up: %d %s", rec.Code, rec.Body)
	}
}

func TestPositionRoutesScope(t *testing.T) {
	_, pos, do := paymentsServer(t)
	tests := []struct {
		who    *Principal
		status int
	}{{payDebtor, 200}, {payStranger, 403}, {payOpTrieste, 200}, {payOpMedea, 403}, {payRegion, 200}}
	for _, tt := range tests {
		if rec := do(tt.who, http.MethodGet, "/api/payments/positions/"+pos.ID, "", ""); rec.Code != tt.status {
			t.Errorf("%s: position %d, want %d", tt.who.Subject, rec.Code, tt.status)
		}
		if rec := do(tt.who, http.MethodGet, "/api/payments/positions/"+pos.ID+"/notice?lang=en", "", ""); rec.Code != tt.status {
			t.Errorf("%s: notice %d, want %d", tt.who.Subject, rec.Code, tt.status)
		} else if tt.status == 200 && (rec.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(rec.Body.String(), "%PDF-")) {
			t.Errorf("notice is not a PDF: %s", rec.Header().Get("Content-Type"))
		}
	}
	for _, tt := range []struct {
		who  *Principal
		want int
	}{{payDebtor, 1}, {payStranger, 0}, {payOpTrieste, 1}, {payOpMedea, 0}, {payRegion, 1}} {
		rec := do(tt.who, http.MethodGet, "/api/payments/positions?praticaId=pr-1", "", "")
		var list []pagopa.Position
		json.Unmarshal(rec.Body.Bytes(), &list)
		if rec.Code != 200 || len(list) != tt.want {
			t.Errorf("%s: list %d with %d positions, want %d", tt.who.Subject, rec.Code, len(list), tt.want)
		}
	}
	if rec := do(payDebtor, http.MethodGet, "/api/payments/positions/nope", "", ""); rec.Code != 404 {
		t.Errorf("missing position: %d", rec.Code)
	}
}

func TestSpontaneousRoute(t *testing.T) {
	_, _, do := paymentsServer(t)
	rec := do(payDebtor, http.MethodPost, "/api/payments/spontaneous", "application/json", `{"serviceId":"c_l424.suolo-pubblico","requestId":"a"}`)
	var p pagopa.Position
	json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != http.StatusCreated || p.Amount() != 5000 || p.Debtor.FiscalCode != payDebtor.FiscalCode || p.Status != pagopa.Valid {
		t.Fatalf("spontaneous: %d %s", rec.Code, rec.Body)
	}
	if rec := do(payOpTrieste, http.MethodPost, "/api/payments/spontaneous", "application/json", `{"serviceId":"c_l424.suolo-pubblico"}`); rec.Code != 403 {
		t.Errorf("operator: %d", rec.Code)
	}
	rec = do(payDebtor, http.MethodPost, "/api/payments/spontaneous", "application/json", `{"serviceId":"c_l424.nope"}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"serviceId"`) {
		t.Errorf("unknown service: %d %s", rec.Code, rec.Body)
	}
}

// TestListsSayTheirTotal: the positions and anomalies lists answer one page
// with its total and refuse a limit above the cap instead of cutting silently.
func TestListsSayTheirTotal(t *testing.T) {
	_, _, do := paymentsServer(t)
	for _, path := range []string{"/api/payments/positions", "/api/payments/anomalies"} {
		rec := do(payRegion, http.MethodGet, path+"?limit=1", "", "")
		if rec.Code != 200 || rec.Header().Get("X-Total-Count") == "" {
			t.Errorf("%s: %d, X-Total-Count %q", path, rec.Code, rec.Header().Get("X-Total-Count"))
		}
		if rec := do(payRegion, http.MethodGet, path+"?limit=5000", "", ""); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"limit"`) {
			t.Errorf("%s?limit=5000: %d %s", path, rec.Code, rec.Body)
		}
	}
}
