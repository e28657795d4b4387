package fdr_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/errs"
)

const specs = "../../../../shared/specs/pagopa/"

func TestOfficialSample(t *testing.T) {
	fh, err := os.Open(specs + "samples/FlussoRiversamento_example_pagopa-devportal-docs.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	got, err := fdr.ParseXML(fh)
	if err != nil {
		t.Fatal(err)
	}
	want := &fdr.Flow{ID: "2021-11-21ABI00000-AABB648200001295", Date: time.Date(2021, 11, 21, 23, 37, 32, 0, time.UTC),
		Regulation: "Bonifico SEPA-00000-AABB0", RegulationDate: "2021-11-21", SenderType: "B", PSP: "ABI00000",
		PSPName: "BANCO DI XXXXXXXX SPA", Receiver: "77777777777", ReceiverName: "XXXXXXXXXXX", Count: 1, Total: 123456,
		Lines: []fdr.Line{{IUV: "12210209926737900", IUR: "2130101502302932577", Index: 1, Amount: 123456, Outcome: "0", Date: "2021-11-21"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}
	// Our own writer round-trips it.
	out, err := got.XML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := fdr.ParseXML(strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, out)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("round trip (-first +again):\n%s", diff)
	}
}

func sample(t *testing.T) string {
	b, err := os.ReadFile(specs + "samples/FlussoRiversamento_example_pagopa-devportal-docs.xml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBadFlows(t *testing.T) {
	s := sample(t)
	tests := []struct {
		name  string
		doc   string
		field string
	}{
		{"total is not the sum", strings.Replace(s, "<importoTotalePagamenti>1234.56", "<importoTotalePagamenti>1234.57", 1), "importoTotalePagamenti"},
		{"count is wrong", strings.Replace(s, "<numeroTotalePagamenti>1<", "<numeroTotalePagamenti>2<", 1), "numeroTotalePagamenti"},
		{"amount without decimals", strings.Replace(s, "<singoloImportoPagato>1234.56", "<singoloImportoPagato>1234", 1), "datiSingoliPagamenti[0].singoloImportoPagato"},
		{"unknown outcome", strings.Replace(s, "<codiceEsitoSingoloPagamento>0", "<codiceEsitoSingoloPagamento>7", 1), "datiSingoliPagamenti[0].codiceEsitoSingoloPagamento"},
		{"bad flow id", strings.Replace(s, "2021-11-21ABI00000-AABB648200001295<", "2021/11/21 ABI<", 1), "identificativoFlusso"},
		{"doctype", strings.Replace(s, "<FlussoRiversamento ", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><FlussoRiversamento `, 1), "fdr"},
		{"billion laughs", strings.Replace(s, "<FlussoRiversamento ", `<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><FlussoRiversamento `, 1), "fdr"},
		{"malformed", s[:len(s)-30], "fdr"},
		{"wrong namespace", strings.Replace(s, "http://www.digitpa.gov.it/schemas/2011/Pagamenti/", "urn:other", 1), "fdr"},
		{"latin-1", strings.Replace(s, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1), "fdr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fdr.ParseXML(strings.NewReader(tt.doc))
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("got %v, want invalid on %s", err, tt.field)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	big := strings.NewReader(strings.Repeat(" ", fdr.MaxSize+1))
	if _, err := fdr.ParseXML(big); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("got %v", err)
	}
}

const apiFlow = `{"status":"PUBLISHED","revision":2,"created":"2025-01-01T12:00:30.9Z","fdr":"2025-01-0188888888888-0000001",
"fdrDate":"2025-01-01T12:20:30.8Z","regulation":"SEPA - Bonifico X","regulationDate":"2025-01-02","bicCodePouringBank":"UNCRITMMXXX",
"sender":{"type":"LEGAL_PERSON","id":"SELBIT2B","pspId":"88888888888","pspName":"PSP Name","pspBrokerId":"88888888888","channelId":"88888888888_01"},
"receiver":{"id":"APPBIT2B","organizationId":"00210240321","organizationName":"Comune di Trieste"},
"published":"2025-01-01T12:30:00Z","computedTotPayments":2,"computedSumPayments":16.01,"totPayments":2,"sumPayments":16.01}`

const apiPage = `{"metadata":{"pageSize":1000,"pageNumber":1,"totPage":1},"count":2,"data":[
{"index":1,"iuv":"01000000000000017","iur":"3354426511008","idTransfer":1,"pay":16.00,"payStatus":"EXECUTED","payDate":"2025-01-01T09:00:00Z"},
{"index":2,"iuv":"01000000000000025","iur":"3354426511009","idTransfer":1,"pay":0.01,"payStatus":"NO_RPT","payDate":"2025-01-01T23:30:00Z"}]}`

func TestJSONAPI(t *testing.T) {
	got, err := fdr.ParseJSON(strings.NewReader(apiFlow), strings.NewReader(apiPage))
	if err != nil {
		t.Fatal(err)
	}
	want := &fdr.Flow{ID: "2025-01-0188888888888-0000001", Revision: 2, Date: time.Date(2025, 1, 1, 12, 20, 30, 800000000, time.UTC),
		Regulation: "SEPA - Bonifico X", RegulationDate: "2025-01-02", SenderType: "G", PSP: "88888888888", PSPName: "PSP Name",
		BIC: "UNCRITMMXXX", Receiver: "00210240321", ReceiverName: "Comune di Trieste", Count: 2, Total: 1601,
		Lines: []fdr.Line{
			{IUV: "01000000000000017", IUR: "3354426511008", Index: 1, Amount: 1600, Outcome: "0", Date: "2025-01-01"},
			{IUV: "01000000000000025", IUR: "3354426511009", Index: 1, Amount: 1, Outcome: "9", Date: "2025-01-02"}, // 00:30 in Rome
		}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("json flow (-want +got):\n%s", diff)
	}
	_, err = fdr.ParseJSON(strings.NewReader(strings.Replace(apiFlow, `"sumPayments":16.01`, `"sumPayments":16.02`, 1)), strings.NewReader(apiPage))
	if e, ok := errs.As(err); !ok || e.Fields[0].Field != "importoTotalePagamenti" {
		t.Errorf("sum mismatch: %v", err)
	}
}
