package sim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/calendar"
)

func (s *Simulator) create(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	var p pagopa.GPDPosition
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		problem(w, http.StatusBadRequest, "Bad Request", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if status, msg := s.addLocked(org, &p, r.URL.Query().Get("toPublish") == "true"); status != http.StatusCreated {
		problem(w, status, http.StatusText(status), msg)
		return
	}
	s.logPositionLocked(org, p.IUPD)
	writeJSON(w, http.StatusCreated, p)
}

// addLocked checks and stores a new position of org, as the single create and
// a massive upload file do; it answers the HTTP status and, for a refusal,
// why. The state file is not saved.
func (s *Simulator) addLocked(org string, p *pagopa.GPDPosition, publish bool) (int, string) {
	if p.IUPD == "" || len(p.PaymentOption) == 0 || p.FiscalCode == "" || p.CompanyName == "" {
		return http.StatusBadRequest, "iupd, fiscalCode, companyName and paymentOption are required"
	}
	for _, o := range p.PaymentOption {
		if o.IUV == "" || o.Amount <= 0 || len(o.Transfer) == 0 || len(o.Transfer) > pagopa.MaxTransfers {
			return http.StatusBadRequest, "each option needs an iuv, an amount > 0 and 1 to 5 transfers"
		}
		var sum int64
		for _, t := range o.Transfer {
			sum += t.Amount
		}
		if sum != o.Amount {
			return http.StatusBadRequest, "the transfers of iuv " + o.IUV + " do not add up to its amount"
		}
	}
	k := key{org, p.IUPD}
	if _, ok := s.positions[k]; ok {
		return http.StatusConflict, "debt position " + p.IUPD + " already exists"
	}
	seen := map[string]bool{}
	for i := range p.PaymentOption {
		o := &p.PaymentOption[i]
		o.NAV = s.nav(org, o.IUV)
		if _, ok := s.navs[org+"/"+o.NAV]; ok || seen[o.NAV] {
			return http.StatusConflict, "iuv " + o.IUV + " already used"
		}
		seen[o.NAV] = true
		o.Status = "PO_UNPAID"
		for j := range o.Transfer {
			o.Transfer[j].Status = "T_UNREPORTED"
		}
	}
	p.Status = string(pagopa.Draft)
	if publish {
		s.publishLocked(p)
	}
	s.positions[k] = p
	for _, o := range p.PaymentOption {
		s.navs[org+"/"+o.NAV] = k
	}
	return http.StatusCreated, ""
}

// publishLocked publishes p: VALID at once unless a validity date is ahead.
func (s *Simulator) publishLocked(p *pagopa.GPDPosition) {
	p.Status = string(pagopa.Valid)
	if p.ValidityDate != nil && p.ValidityDate.After(s.cfg.Now()) {
		p.Status = string(pagopa.Published)
	}
}

// refreshLocked applies the validity date and the due date (switchToExpired).
func (s *Simulator) refreshLocked(p *pagopa.GPDPosition) {
	now := s.cfg.Now()
	if p.Status == string(pagopa.Published) && (p.ValidityDate == nil || !p.ValidityDate.After(now)) {
		p.Status = string(pagopa.Valid)
	}
	if p.Status == string(pagopa.Valid) && p.SwitchToExpired {
		expired := true
		for _, o := range p.PaymentOption {
			if !o.DueDate.Before(now) {
				expired = false
			}
		}
		if expired {
			p.Status = string(pagopa.Expired)
		}
	}
}

func (s *Simulator) find(w http.ResponseWriter, r *http.Request) *pagopa.GPDPosition {
	p, ok := s.positions[key{r.PathValue("org"), r.PathValue("iupd")}]
	if !ok {
		problem(w, http.StatusNotFound, "Not Found", "no debt position "+r.PathValue("iupd"))
		return nil
	}
	s.refreshLocked(p)
	return p
}

func (s *Simulator) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.find(w, r); p != nil {
		writeJSON(w, http.StatusOK, p)
	}
}

func (s *Simulator) publish(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(w, r)
	if p == nil {
		return
	}
	if p.Status != string(pagopa.Draft) {
		problem(w, http.StatusConflict, "Conflict", "debt position is "+p.Status+", not DRAFT")
		return
	}
	s.publishLocked(p)
	s.logPositionLocked(r.PathValue("org"), p.IUPD)
	writeJSON(w, http.StatusOK, p)
}

func (s *Simulator) invalidate(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(w, r)
	if p == nil {
		return
	}
	// A partially paid plan can be closed too: its paid installments stay paid,
	// the others stop being payable (a withdrawal after a partial payment).
	switch pagopa.Status(p.Status) {
	case pagopa.Published, pagopa.Valid, pagopa.Expired, pagopa.PartiallyPaid:
		p.Status = string(pagopa.Invalid)
		s.logPositionLocked(r.PathValue("org"), p.IUPD)
		writeJSON(w, http.StatusOK, p)
	default:
		problem(w, http.StatusConflict, "Conflict", "debt position is "+p.Status+": it cannot be invalidated")
	}
}

func (s *Simulator) listPayments(w http.ResponseWriter, r *http.Request) {
	var day time.Time
	if d := r.URL.Query().Get("date"); d != "" {
		var err error
		if day, err = time.ParseInLocation("2006-01-02", d, calendar.Rome); err != nil {
			problem(w, http.StatusBadRequest, "Bad Request", "date must be YYYY-MM-DD")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Payment{}
	for _, p := range s.payments {
		if day.IsZero() || p.PaymentDateTime.In(calendar.Rome).Format("2006-01-02") == day.Format("2006-01-02") {
			out = append(out, *p)
		}
	}
	writeJSON(w, http.StatusOK, out)
}
