package sim

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/calendar"
)

// published is the last revision of a flow the simulated FdR node publishes.
type published struct {
	flow     *fdr.Flow
	revision int
	digest   string
	at       time.Time
}

// fdrNode is the simulated FdR node: the flows of the pagoPA simulator's
// payments, each republished as its next revision when its day gained payments.
type fdrNode struct {
	mu    sync.Mutex
	flows map[[2]string]*published // receiver, flow id
}

// fdrRoutes serves the FdR API for organisations under /fdr:
//
//	GET /fdr/organizations/{org}/fdrs                                              the published flows
//	GET /fdr/organizations/{org}/fdrs/{fdr}/revisions/{revision}/psps/{psp}           one flow
//	GET /fdr/organizations/{org}/fdrs/{fdr}/revisions/{revision}/psps/{psp}/payments  its payments
func (h *Handler) fdrRoutes(m *http.ServeMux) {
	base := "GET /fdr/organizations/{org}/fdrs"
	m.HandleFunc(base, h.fdrList)
	m.HandleFunc(base+"/{fdr}/revisions/{revision}/psps/{psp}", h.fdrFlow)
	m.HandleFunc(base+"/{fdr}/revisions/{revision}/psps/{psp}/payments", h.fdrPayments)
}

// fdrError answers the FdR API's ErrorResponse.
func fdrError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"httpStatusCode": status, "httpStatusDescription": http.StatusText(status),
		"appErrorCode": "FDR-" + strconv.Itoa(status), "errors": []map[string]string{{"message": msg}}})
}

// refresh publishes the flows of every day of the pagoPA simulator's
// payments: a new flow as revision 1, a flow whose content changed as its next revision.
func (h *Handler) refresh(r *http.Request) (int, error) {
	payments, err := h.fetch(r.Context(), "")
	if err != nil {
		return http.StatusBadGateway, err
	}
	days := map[string][]Payment{}
	for _, p := range payments {
		d := p.PaymentDateTime.In(calendar.Rome).Format(time.DateOnly)
		days[d] = append(days[d], p)
	}
	h.node.mu.Lock()
	defer h.node.mu.Unlock()
	if h.node.flows == nil {
		h.node.flows = map[[2]string]*published{}
	}
	now := time.Now().UTC()
	for day, ps := range days {
		out, err := h.Reporter.Report(day, ps)
		if err != nil {
			return http.StatusInternalServerError, err
		}
		for _, f := range out.Flows {
			k := [2]string{f.Receiver, f.ID}
			dg := ledger.Digest(f)
			switch prev := h.node.flows[k]; {
			case prev == nil:
				h.node.flows[k] = &published{flow: f, revision: 1, digest: dg, at: now}
			case prev.digest != dg:
				h.node.flows[k] = &published{flow: f, revision: prev.revision + 1, digest: dg, at: now}
			}
		}
	}
	return http.StatusOK, nil
}

// page reads the page and size parameters (defaults 1 and 1000).
func page(r *http.Request) (page, size int, ok bool) {
	page, size = 1, 1000
	var err error
	if v := r.URL.Query().Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, false
		}
	}
	if v := r.URL.Query().Get("size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 1000 {
			return 0, 0, false
		}
	}
	return page, size, true
}

func window(n, page, size int) (from, to int, meta fdr.Metadata) {
	from = min((page-1)*size, n)
	to = min(from+size, n)
	return from, to, fdr.Metadata{PageSize: to - from, PageNumber: page, TotPage: max((n+size-1)/size, 1)}
}

func (h *Handler) fdrList(w http.ResponseWriter, r *http.Request) {
	pg, size, ok := page(r)
	if !ok {
		fdrError(w, http.StatusBadRequest, "page must be ≥ 1 and size 1 to 1000")
		return
	}
	var since time.Time
	if v := r.URL.Query().Get("publishedGt"); v != "" {
		var err error
		if since, err = time.Parse(time.RFC3339, v); err != nil {
			fdrError(w, http.StatusBadRequest, "publishedGt must be a date-time")
			return
		}
	}
	if status, err := h.refresh(r); err != nil {
		fdrError(w, status, err.Error())
		return
	}
	h.node.mu.Lock()
	var list []fdr.Published
	for k, p := range h.node.flows {
		if k[0] != r.PathValue("org") || !p.at.After(since) {
			continue
		}
		if psp := r.URL.Query().Get("pspId"); psp != "" && psp != p.flow.PSP {
			continue
		}
		list = append(list, fdr.Published{FDR: p.flow.ID, PSPID: p.flow.PSP, Revision: p.revision, Published: p.at, FlowDate: p.flow.Date})
	}
	h.node.mu.Unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].FDR < list[j].FDR })
	from, to, meta := window(len(list), pg, size)
	reply(w, fdr.FlowsPage{Metadata: meta, Count: to - from, Data: append([]fdr.Published{}, list[from:to]...)})
}

// find returns the flow of the path at the revision asked for; the node keeps
// only the last revision of each flow.
func (h *Handler) find(w http.ResponseWriter, r *http.Request) *published {
	h.node.mu.Lock()
	defer h.node.mu.Unlock()
	p := h.node.flows[[2]string{r.PathValue("org"), r.PathValue("fdr")}]
	if p == nil || strconv.Itoa(p.revision) != r.PathValue("revision") || p.flow.PSP != r.PathValue("psp") {
		fdrError(w, http.StatusNotFound, "flow "+r.PathValue("fdr")+" revision "+r.PathValue("revision")+" not found")
		return nil
	}
	return p
}

func (h *Handler) fdrFlow(w http.ResponseWriter, r *http.Request) {
	p := h.find(w, r)
	if p == nil {
		return
	}
	flow, _, err := flowJSON(p.flow, p.revision)
	if err != nil {
		fdrError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(flow)
}

func (h *Handler) fdrPayments(w http.ResponseWriter, r *http.Request) {
	pg, size, ok := page(r)
	if !ok {
		fdrError(w, http.StatusBadRequest, "page must be ≥ 1 and size 1 to 1000")
		return
	}
	p := h.find(w, r)
	if p == nil {
		return
	}
	_, all, err := flowJSON(p.flow, p.revision)
	var doc struct {
		Data []json.RawMessage `json:"data"`
	}
	if err == nil {
		err = json.Unmarshal(all, &doc)
	}
	if err != nil {
		fdrError(w, http.StatusInternalServerError, err.Error())
		return
	}
	from, to, meta := window(len(doc.Data), pg, size)
	reply(w, map[string]any{"metadata": meta, "count": to - from, "data": append([]json.RawMessage{}, doc.Data[from:to]...)})
}
