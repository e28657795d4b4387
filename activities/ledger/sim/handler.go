package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
)

// Importer is where delivered documents go; *ledger.Service implements it.
// The ente is left empty: the documents name their ente themselves.
type Importer interface {
	ImportFDRXML(ctx context.Context, ente string, r io.Reader) (ledger.ImportResult, error)
	ImportFDRJSON(ctx context.Context, ente string, flow io.Reader, pages ...io.Reader) (ledger.ImportResult, error)
	ImportOPIXML(ctx context.Context, ente string, r io.Reader) (ledger.ImportResult, error)
	// FlowRevision tells what was imported under a flow id, so a changed flow
	// is delivered as the next revision, as the FdR node publishes it.
	FlowRevision(ctx context.Context, orgCF, id string) (revision int, digest string, found bool, err error)
}

// Handler serves the reporting simulator next to the pagoPA one (the lead
// mounts it, e.g. at /sim/reporting):
//
//	GET  /days/{date}          the flows and journals of the payments of date, as XML strings in JSON
//	POST /days/{date}/deliver  the same, imported into the ledger as the PSPs and the bank would deliver them
//	GET  /fdr/organizations/…  the FdR API for organisations, publishing the flows of every day's payments
type Handler struct {
	Reporter Reporter
	PagoPA   string // base URL of the pagoPA simulator, e.g. http://localhost:8080/sim/pagopa
	// Intermediaries, when an ente issues through several, maps each
	// intermediary's id to the base URL of its pagoPA simulator: the payments
	// of each are reported in flows of their own.
	Intermediaries map[string]string
	HTTP           *http.Client
	Importer       Importer

	node fdrNode // the flows the FdR API publishes (see fdrRoutes)
}

// Document is one generated file.
type Document struct {
	Kind string `json:"kind"` // fdr or giornale
	ID   string `json:"id"`
	XML  string `json:"xml"`
}

// ServeHTTP routes the two endpoints.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := http.NewServeMux()
	m.HandleFunc("GET /days/{date}", h.show)
	m.HandleFunc("POST /days/{date}/deliver", h.deliver)
	h.fdrRoutes(m)
	m.ServeHTTP(w, r)
}

func (h *Handler) documents(r *http.Request) ([]Document, int, error) {
	docs, _, status, err := h.report(r)
	return docs, status, err
}

// report builds the day's documents and keeps the flows they were written from.
func (h *Handler) report(r *http.Request) ([]Document, []*fdr.Flow, int, error) {
	day := r.PathValue("date")
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return nil, nil, http.StatusBadRequest, err
	}
	payments, err := h.fetch(r.Context(), day)
	if err != nil {
		return nil, nil, http.StatusBadGateway, err
	}
	out, err := h.Reporter.Report(day, payments)
	if err != nil {
		return nil, nil, http.StatusInternalServerError, err
	}
	var docs []Document
	var flows []*fdr.Flow
	for _, f := range out.Flows {
		x, err := f.XML()
		if err != nil {
			return nil, nil, http.StatusInternalServerError, err
		}
		docs = append(docs, Document{Kind: "fdr", ID: f.ID, XML: string(x)})
		flows = append(flows, f)
	}
	for _, j := range out.Journals {
		x, err := j.XML()
		if err != nil {
			return nil, nil, http.StatusInternalServerError, err
		}
		docs = append(docs, Document{Kind: "giornale", ID: j.FlowID, XML: string(x)})
	}
	return docs, flows, http.StatusOK, nil
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	docs, status, err := h.documents(r)
	if err != nil {
		http.Error(w, err.Error(), status)
		return
	}
	reply(w, docs)
}

func (h *Handler) deliver(w http.ResponseWriter, r *http.Request) {
	docs, flows, status, err := h.report(r)
	if err != nil {
		http.Error(w, err.Error(), status)
		return
	}
	results := []ledger.ImportResult{}
	for i, d := range docs {
		var res ledger.ImportResult
		if d.Kind == "fdr" {
			res, err = h.deliverFlow(r.Context(), flows[i], d.XML)
		} else {
			res, err = h.Importer.ImportOPIXML(r.Context(), "", bytes.NewReader([]byte(d.XML)))
		}
		if err != nil {
			http.Error(w, d.Kind+" "+d.ID+": "+err.Error(), http.StatusUnprocessableEntity)
			return
		}
		results = append(results, res)
	}
	reply(w, results)
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// deliverFlow delivers a PSP's flow as the node publishes it: the first time as
// the FlussoRiversamento XML; when the day has gained payments since the flow
// was delivered, as its next revision through the FdR API, which replaces the
// earlier one.
func (h *Handler) deliverFlow(ctx context.Context, f *fdr.Flow, xml string) (ledger.ImportResult, error) {
	rev, dg, found, err := h.Importer.FlowRevision(ctx, f.Receiver, f.ID)
	if err != nil {
		return ledger.ImportResult{}, err
	}
	if found {
		parsed, err := fdr.ParseXML(strings.NewReader(xml))
		if err != nil {
			return ledger.ImportResult{}, err
		}
		if ledger.Digest(parsed) != dg {
			flow, page, err := flowJSON(f, rev+1)
			if err != nil {
				return ledger.ImportResult{}, err
			}
			return h.Importer.ImportFDRJSON(ctx, "", bytes.NewReader(flow), bytes.NewReader(page))
		}
	}
	return h.Importer.ImportFDRXML(ctx, "", strings.NewReader(xml))
}
