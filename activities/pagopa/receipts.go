package pagopa

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/sportello/sportello/errs"
)

// ReceiptNotifier tells a pratica that its payment arrived; the lead
// implements it with a Temporal signal. It may be called more than once for
// the same receipt (the node repeats receipts): the receiver dedups on ReceiptID.
type ReceiptNotifier interface {
	ReceiptArrived(ctx context.Context, praticaID string, r Receipt) error
}

// ReceiptStore is what the receipt service needs of the database; *Store implements it.
type ReceiptStore interface {
	RecordReceipt(ctx context.Context, r *Receipt, source string, body []byte) (Recorded, error)
}

// Receipts records receipts and notifies their pratiche.
type Receipts struct {
	Store    ReceiptStore
	Notifier ReceiptNotifier // nil: nobody to tell
	Log      *slog.Logger
}

// Record stores r once and tells the pratica. A repeated receipt tells the
// pratica again, so a notification lost after a crash is delivered on the
// node's retry.
func (s *Receipts) Record(ctx context.Context, r *Receipt, source string, body []byte) (Recorded, error) {
	rec, err := s.Store.RecordReceipt(ctx, r, source, body)
	if err != nil {
		return Recorded{}, err
	}
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.Info("receipt recorded", "receiptId", r.ReceiptID, "notice", r.NoticeNumber, "org", r.FiscalCode, "outcome", rec.Outcome, "source", source)
	if rec.Position == nil || rec.Position.PraticaID == "" || s.Notifier == nil {
		return rec, nil
	}
	o, ok := rec.Position.Option(r.NoticeNumber)
	if !ok || o.ReceiptID != r.ReceiptID {
		return rec, nil
	}
	if rec.Outcome == OutcomePaid || rec.Outcome == OutcomeDuplicate {
		if err := s.Notifier.ReceiptArrived(ctx, rec.Position.PraticaID, *r); err != nil {
			return rec, fmt.Errorf("notify pratica %s of receipt %s: %w", rec.Position.PraticaID, r.ReceiptID, err)
		}
	}
	return rec, nil
}

// CreditorCheck refuses a receipt whose creditor (the organisation's fiscal
// code) the caller does not serve; nil lets every creditor through.
type CreditorCheck func(ctx context.Context, orgFiscalCode string) error

// SOAP handles a paSendRT or paSendRTV2 body and returns the HTTP status and
// the SOAP answer: OK when recorded, KO PAA_RECEIPT_DUPLICATA for a repeated
// receiptId, KO PAA_SINTASSI_XSD (400) naming the field for a malformed one,
// KO PAA_ID_DOMINIO_ERRATO (400) for a creditor the caller does not serve (nothing
// is stored), KO PAA_SYSTEM_ERROR (500) when we could not record it, so the node retries.
func (s *Receipts) SOAP(ctx context.Context, body io.Reader, check CreditorCheck) (int, []byte) {
	raw, err := io.ReadAll(io.LimitReader(body, MaxReceiptBody+1))
	if err != nil {
		return http.StatusBadRequest, SendRTResponse(1, FaultSyntax, "body cannot be read", err.Error())
	}
	req, err := ParseSendRT(bytesReader(raw))
	if err != nil {
		version := 1
		if containsV2(raw) {
			version = 2
		}
		return http.StatusBadRequest, SendRTResponse(version, FaultSyntax, "invalid paSendRT", err.Error())
	}
	if check != nil {
		if err := check(ctx, req.Receipt.FiscalCode); err != nil {
			return http.StatusBadRequest, SendRTResponse(req.Version, FaultDomain, "idPA not served by this station", err.Error())
		}
	}
	rec, err := s.Record(ctx, &req.Receipt, fmt.Sprintf("paSendRTV%d", req.Version), raw)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return http.StatusBadRequest, SendRTResponse(req.Version, FaultSyntax, "invalid receipt", err.Error())
		}
		(s.logger()).Error("receipt not recorded", "receiptId", req.Receipt.ReceiptID, "err", err)
		return http.StatusInternalServerError, SendRTResponse(req.Version, FaultSystem, "system error", "retry later")
	}
	if rec.Outcome == OutcomeDuplicate {
		return http.StatusOK, SendRTResponse(req.Version, FaultDuplicate, "receipt already received", req.Receipt.ReceiptID)
	}
	return http.StatusOK, SendRTResponse(req.Version, "", "", "")
}

func (s *Receipts) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
