package sim_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/store/storetest"
)

// TestPollFlowsFromFdrAPI polls the simulated FdR API for organisations:
// the first poll imports the flow of the day's payment, a second one reads
// nothing new, a payment more publishes the flow's next revision, which the
// next poll imports in place of the first, and then nothing again. Pages of
// one item make the client follow every page.
func TestPollFlowsFromFdrAPI(t *testing.T) {
	ctx := context.Background()
	pagoSrv, pay := paidMeals(t)
	svc := ledger.NewService(storetest.SQLite(t), ledger.DemoEntes, fromPayments{}, ledger.StaticChart{})
	srv := httptest.NewServer(&sim.Handler{Reporter: sim.Reporter{ABI: "02008"}, PagoPA: pagoSrv.URL, Importer: svc})
	defer srv.Close()
	client := fdr.NewClient(srv.URL+"/fdr", "")
	client.PageSize = 1
	poller := &ledger.FlowPoller{Service: svc, Source: client}
	poll := func(want ledger.PollResult) {
		t.Helper()
		got, err := poller.Poll(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, *got); diff != "" {
			t.Fatalf("poll (-want +got):\n%s", diff)
		}
	}
	poll(ledger.PollResult{Ente: "c_l424"})
	pay("47000000000000601", 1000)
	pay("47000000000000602", 500)
	poll(ledger.PollResult{Ente: "c_l424", Listed: 1, Imported: 1})
	list, _ := client.List(ctx, trieste, time.Time{})
	rev, _, found, err := svc.FlowRevision(ctx, trieste, list[0].FDR)
	if err != nil || !found || rev != 1 {
		t.Fatalf("imported revision %d %v %v", rev, found, err)
	}
	poll(ledger.PollResult{Ente: "c_l424", Listed: 1})

	pay("47000000000000603", 2000)
	poll(ledger.PollResult{Ente: "c_l424", Listed: 1, Revised: 1})
	f, err := client.Get(ctx, trieste, fdr.Published{FDR: list[0].FDR, PSPID: list[0].PSPID, Revision: 2})
	if err != nil || len(f.Lines) != 3 || f.Total != 3500 {
		t.Fatalf("revision 2: %+v %v", f, err)
	}
	if rev, _, _, _ := svc.FlowRevision(ctx, trieste, list[0].FDR); rev != 2 {
		t.Errorf("imported revision %d, want 2", rev)
	}
	poll(ledger.PollResult{Ente: "c_l424", Listed: 1})

	// What the simulator answers is what the official document describes.
	base := srv.URL + "/fdr/organizations/" + trieste + "/fdrs"
	flow := base + "/" + list[0].FDR + "/revisions/2/psps/" + list[0].PSPID
	for u, component := range map[string]string{base: "PaginatedFlowsResponse", flow: "SingleFlowResponse", flow + "/payments?size=2&page=2": "PaginatedPaymentsResponse"} {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d %v %s", u, res.StatusCode, err, data)
		}
		if err := fdrSchema(t, component).Validate(v); err != nil {
			t.Errorf("%s: %v\n%s", component, err, data)
		}
	}
	if res, _ := http.Get(base + "/" + list[0].FDR + "/revisions/1/psps/" + list[0].PSPID); res.StatusCode != http.StatusNotFound {
		t.Errorf("a replaced revision: %d, want 404", res.StatusCode)
	}
}

// fdrSchema compiles a component schema of the official fdr_organization.json.
func fdrSchema(t *testing.T, component string) *jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile("../../../../shared/specs/pagopa/openapi/fdr_organization.json")
	if err != nil {
		t.Fatal(err)
	}
	// The document's amount pattern \d{1,2147483647} exceeds Go's regexp
	// repeat limit (1000); \d+ is the same language.
	raw = bytes.ReplaceAll(raw, []byte(`{1,2147483647}`), []byte(`+`))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://sportello.test/fdr_organization.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url + "#/components/schemas/" + component)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
