// Package sim is the local pagoPA simulator: it speaks the GPD API, serves a
// checkout page where a citizen pays a notice as at a PSP, sends the receipt
// (paSendRTV2) to the ente's receipt endpoint and lists the day's payments for
// the reconciliation flows. Dev mode mounts it at /sim/pagopa; tests serve it
// with httptest.
package sim

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/store/statelog"
)

// Config configures the simulator and its faults.
type Config struct {
	// ReceiptURL is where receipts are posted as SOAP paSendRTV2; empty keeps them here.
	ReceiptURL string
	// ReceiptHeaders are added to each receipt post, e.g. an API key.
	ReceiptHeaders map[string]string
	// BrokerPA and Station identify the intermediary's station the receipts
	// come through (idBrokerPA, idStation; default Broker and Broker_01): a
	// second simulator plays a further intermediary with its own.
	BrokerPA, Station string
	// SubscriptionKey, when set, is required in Ocp-Apim-Subscription-Key on the GPD API.
	SubscriptionKey string
	// Delay is added before every GPD answer.
	Delay time.Duration
	// ErrorRate is the share (0..1) of GPD calls answered 503 before doing anything.
	ErrorRate float64
	// RejectRate is the share (0..1) of GPD calls refused with 422, a permanent
	// error no retry fixes (a pratica then needs an operator's attention).
	RejectRate float64
	// DuplicateReceipts posts every receipt twice, as the node may.
	DuplicateReceipts bool
	// DeliveryAttempts bounds the posts of one receipt until the station
	// answers OK or PAA_RECEIPT_DUPLICATA (default 3, 100 ms apart, doubling).
	DeliveryAttempts int
	// AuxDigit returns the aux digit and application code of an ente's station,
	// to build the notice number from the IUV; by default 17-digit IUVs are
	// aux digit 3 and 15-digit ones aux digit 2.
	AuxDigit func(org string) (aux int, applicationCode string)
	// StateFile, when set, keeps the positions and the paid payments across
	// restarts: a snapshot read by Open, and a write-ahead log beside it
	// (StateFile + ".log") that each change is appended to before the
	// simulator answers, folded into the snapshot at start and when it grows.
	// A missing file is an empty simulator.
	StateFile string
	Now       func() time.Time
	HTTP      *http.Client
	Log       *slog.Logger

	// Bulk configures the faults of the massive upload API.
	Bulk BulkFaults
}

// PSP names the simulated payment service provider.
const (
	PSPID   = "SIMPSPFVG01"
	PSPName = "PSP simulato FVG"
	Channel = "SIMPSPFVG01_01"
	Broker  = "15376371009" // the intermediary's fiscal code as broker (idBrokerPA)
)

type key struct{ org, iupd string }

// Simulator is the pagoPA simulator, an http.Handler.
type Simulator struct {
	cfg       Config
	mux       *http.ServeMux
	mu        sync.Mutex
	positions map[key]*pagopa.GPDPosition
	navs      map[string]key // org + nav → position
	payments  []*Payment
	uploads   map[string]*upload // file id → massive upload
	// uploadSeq counts the uploads for BulkFaults.UploadLost.
	uploadSeq int
	wal       *statelog.Log // the open write-ahead log of StateFile
}

// Payment is one payment made at the simulated PSP: the line the
// reconciliation flows (FdR, giornale di cassa) are built from.
type Payment struct {
	OrganizationFiscalCode string      `json:"organizationFiscalCode"`
	IUPD                   string      `json:"iupd"`
	IUV                    string      `json:"iuv"`
	NoticeNumber           string      `json:"noticeNumber"`
	IUR                    string      `json:"iur"`
	ReceiptID              string      `json:"receiptId"`
	Amount                 int64       `json:"amount"` // cents
	PSP                    string      `json:"psp"`
	PSPName                string      `json:"pspName"`
	PaymentDateTime        time.Time   `json:"paymentDateTime"`
	Payer                  string      `json:"payer"`
	Transfers              []Transfer  `json:"transfers"`
	Delivery               []Delivered `json:"delivery"`
}

// Transfer is one credited share of a payment.
type Transfer struct {
	IDTransfer             int    `json:"idTransfer"`
	Amount                 int64  `json:"amount"`
	OrganizationFiscalCode string `json:"organizationFiscalCode"`
	IBAN                   string `json:"iban"`
	Category               string `json:"category"`
	RemittanceInformation  string `json:"remittanceInformation"`
}

// Delivered is one attempt to post the receipt.
type Delivered struct {
	At        time.Time `json:"at"`
	Status    int       `json:"status"`
	Outcome   string    `json:"outcome"`
	FaultCode string    `json:"faultCode,omitempty"`
	Error     string    `json:"error,omitempty"`
}

// New returns a simulator with cfg. It panics if cfg.StateFile cannot be
// read; use Open when a state file is configured.
func New(cfg Config) *Simulator {
	s, err := Open(cfg)
	if err != nil {
		panic(err)
	}
	return s
}

// Open returns a simulator with cfg, loading cfg.StateFile when set.
func Open(cfg Config) (*Simulator, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.AuxDigit == nil {
		cfg.AuxDigit = func(string) (int, string) { return -1, "" }
	}
	s := &Simulator{cfg: cfg, mux: http.NewServeMux(), positions: map[key]*pagopa.GPDPosition{}, navs: map[string]key{}, uploads: map[string]*upload{}}
	if err := s.load(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// state is the content of the state file.
type state struct {
	Positions []storedPosition `json:"positions"`
	Payments  []*Payment       `json:"payments"`
	Uploads   []*upload        `json:"uploads,omitempty"`
}

type storedPosition struct {
	Org      string              `json:"org"`
	Position *pagopa.GPDPosition `json:"position"`
}

// load reads the state file, if any. The notice index is rebuilt from the
// positions' notice numbers, so it cannot disagree with them.
func (s *Simulator) load() error {
	if s.cfg.StateFile == "" {
		return nil
	}
	data, err := os.ReadFile(s.cfg.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return s.loadLog()
	}
	if err != nil {
		return fmt.Errorf("pagopa sim: read state: %w", err)
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("pagopa sim: state file %s: %w", s.cfg.StateFile, err)
	}
	for i, sp := range st.Positions {
		if sp.Position == nil || sp.Org == "" || sp.Position.IUPD == "" {
			return fmt.Errorf("pagopa sim: state file %s: position %d lacks org or iupd", s.cfg.StateFile, i)
		}
		k := key{sp.Org, sp.Position.IUPD}
		s.positions[k] = sp.Position
		for _, o := range sp.Position.PaymentOption {
			s.navs[sp.Org+"/"+o.NAV] = k
		}
	}
	for _, p := range st.Payments {
		if p != nil {
			s.payments = append(s.payments, p)
		}
	}
	for _, u := range st.Uploads {
		if u != nil && u.ID != "" {
			s.uploads[u.ID] = u
		}
	}
	return s.loadLog()
}

// loadLog replays the write-ahead log over the snapshot and folds both into
// a new snapshot, so each run starts with an empty log.
func (s *Simulator) loadLog() error {
	if !statelog.Exists(s.cfg.StateFile) {
		return nil
	}
	if err := s.replay(); err != nil {
		return err
	}
	if err := s.writeSnapshotLocked(); err != nil {
		return fmt.Errorf("pagopa sim: save state: %w", err)
	}
	return statelog.Remove(s.cfg.StateFile)
}

func (s *Simulator) routes() {
	api := func(h http.HandlerFunc) http.HandlerFunc { return s.gpdGuard(h) }
	s.mux.HandleFunc("POST /organizations/{org}/debtpositions", api(s.create))
	s.mux.HandleFunc("GET /organizations/{org}/debtpositions/{iupd}", api(s.get))
	s.mux.HandleFunc("POST /organizations/{org}/debtpositions/{iupd}/publish", api(s.publish))
	s.mux.HandleFunc("POST /organizations/{org}/debtpositions/{iupd}/invalidate", api(s.invalidate))
	s.mux.HandleFunc("GET /checkout", s.checkoutPage)
	s.mux.HandleFunc("POST /checkout/pay", s.checkoutPay)
	s.mux.HandleFunc("GET /payments", s.listPayments)
	s.bulkRoutes()
}

// ServeHTTP serves the simulator.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// gpdGuard applies the subscription key and the configured faults to the GPD API.
func (s *Simulator) gpdGuard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.SubscriptionKey != "" && r.Header.Get("Ocp-Apim-Subscription-Key") != s.cfg.SubscriptionKey {
			problem(w, http.StatusUnauthorized, "Unauthorized", "missing or wrong subscription key")
			return
		}
		if s.cfg.Delay > 0 {
			select {
			case <-time.After(s.cfg.Delay):
			case <-r.Context().Done():
				return
			}
		}
		if s.cfg.ErrorRate > 0 && mrand.Float64() < s.cfg.ErrorRate {
			problem(w, http.StatusServiceUnavailable, "Service Unavailable", "simulated fault")
			return
		}
		if s.cfg.RejectRate > 0 && mrand.Float64() < s.cfg.RejectRate {
			problem(w, http.StatusUnprocessableEntity, "Unprocessable Entity", "simulated refusal")
			return
		}
		h(w, r)
	}
}

func problem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"title": title, "status": status, "detail": detail})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// nav builds the notice number of an IUV for org.
func (s *Simulator) nav(org, iuv string) string {
	aux, app := s.cfg.AuxDigit(org)
	switch {
	case aux == 0:
		return "0" + app + iuv
	case aux >= 1:
		return strconv.Itoa(aux) + iuv
	case len(iuv) == 15:
		return "2" + iuv
	}
	return "3" + iuv
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// deliver posts the receipt to ReceiptURL (twice with DuplicateReceipts) and
// records each attempt on the payment.
func (s *Simulator) deliver(ctx context.Context, p *Payment, r *pagopa.Receipt) {
	if s.cfg.ReceiptURL == "" {
		return
	}
	broker := cmp.Or(s.cfg.BrokerPA, Broker)
	body, err := r.SendRTV2Envelope(r.FiscalCode, broker, cmp.Or(s.cfg.Station, broker+"_01"))
	if err != nil {
		s.cfg.Log.Error("sim: receipt envelope", "err", err)
		return
	}
	times := 1
	if s.cfg.DuplicateReceipts {
		times = 2
	}
	attempts := s.cfg.DeliveryAttempts
	if attempts <= 0 {
		attempts = 3
	}
	for i := 0; i < times; i++ {
		wait := 100 * time.Millisecond
		for a := 0; a < attempts; a++ {
			if a > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
				wait *= 2
			}
			d := s.post(ctx, body)
			s.mu.Lock()
			p.Delivery = append(p.Delivery, d)
			s.logLocked(change{Payment: p})
			s.mu.Unlock()
			s.cfg.Log.Info("sim: receipt sent", "receiptId", r.ReceiptID, "status", d.Status, "outcome", d.Outcome, "fault", d.FaultCode, "err", d.Error)
			if d.delivered() {
				break
			}
		}
	}
}

// delivered reports whether the station has the receipt: OK, or KO because it
// already had it.
func (d Delivered) delivered() bool {
	return d.Error == "" && (d.Outcome == "OK" || d.FaultCode == pagopa.FaultDuplicate)
}

func (s *Simulator) post(ctx context.Context, body []byte) Delivered {
	d := Delivered{At: s.cfg.Now().UTC()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.ReceiptURL, bytes.NewReader(body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", "paSendRTV2")
	for k, v := range s.cfg.ReceiptHeaders {
		req.Header.Set(k, v)
	}
	res, err := s.cfg.HTTP.Do(req)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	defer res.Body.Close()
	d.Status = res.StatusCode
	data, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	d.Outcome, d.FaultCode, err = pagopa.SendRTOutcome(data)
	if err != nil {
		d.Error = fmt.Sprintf("answer: %v", err)
	}
	return d
}
