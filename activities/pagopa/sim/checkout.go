package sim

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/calendar"
)

// Errors of Pay, shown on the checkout page.
var (
	ErrUnknownNotice = errors.New("unknown notice")
	ErrNotPayable    = errors.New("notice not payable")
	ErrAlreadyPaid   = errors.New("notice already paid")
)

// Pay pays the notice nav of ente org as the simulated PSP would, then sends
// the receipt. payer is the payer's codice fiscale (may be empty).
func (s *Simulator) Pay(ctx context.Context, org, nav, payer string) (*Payment, error) {
	s.mu.Lock()
	k, ok := s.navs[org+"/"+nav]
	if !ok {
		s.mu.Unlock()
		return nil, ErrUnknownNotice
	}
	p := s.positions[k]
	s.refreshLocked(p)
	if p.Status != string(pagopa.Valid) && p.Status != string(pagopa.PartiallyPaid) {
		s.mu.Unlock()
		return nil, ErrNotPayable
	}
	var opt *pagopa.GPDOption
	for i := range p.PaymentOption {
		o := &p.PaymentOption[i]
		if o.NAV == nav {
			opt = o
		} else if o.Status == "PO_PAID" && o.IsPartialPayment != paymentOptionKind(p, nav) {
			// paying in installments excludes the single payment, and back.
			s.mu.Unlock()
			return nil, ErrNotPayable
		}
	}
	if opt.Status == "PO_PAID" {
		s.mu.Unlock()
		return nil, ErrAlreadyPaid
	}
	now := s.cfg.Now().UTC().Truncate(time.Second)
	opt.Status, opt.PaymentDate = "PO_PAID", &now
	s.updateStatusLocked(p)
	pay := &Payment{OrganizationFiscalCode: org, IUPD: p.IUPD, IUV: opt.IUV, NoticeNumber: nav, IUR: "SIM" + strings.ToUpper(randomHex(8)),
		ReceiptID: randomHex(16), Amount: opt.Amount, PSP: PSPID, PSPName: PSPName, PaymentDateTime: now, Payer: payer}
	rec := &pagopa.Receipt{ReceiptID: pay.ReceiptID, NoticeNumber: nav, FiscalCode: org, Outcome: "OK", CreditorReferenceID: opt.IUV,
		Amount: opt.Amount, Description: opt.Description, CompanyName: p.CompanyName,
		Debtor: pagopa.Subject{Type: p.Type, ID: p.FiscalCode, FullName: p.FullName, Email: p.Email},
		PSPID:  PSPID, PSPName: PSPName, ChannelID: Channel, PaymentMethod: "creditCard", PaymentDateTime: &now,
		ApplicationDate: now.In(calendar.Rome).Format("2006-01-02"), TransferDate: now.In(calendar.Rome).AddDate(0, 0, 1).Format("2006-01-02")}
	if rec.Description == "" {
		rec.Description = p.IUPD
	}
	if payer != "" {
		rec.Payer = &pagopa.Subject{Type: "F", ID: payer, FullName: payer}
	}
	for _, t := range opt.Transfer {
		id := int(t.IDTransfer[0] - '0')
		tOrg := t.OrganizationFiscalCode
		if tOrg == "" {
			tOrg = org
		}
		pay.Transfers = append(pay.Transfers, Transfer{IDTransfer: id, Amount: t.Amount, OrganizationFiscalCode: tOrg, IBAN: t.IBAN,
			Category: t.Category, RemittanceInformation: t.RemittanceInformation})
		rec.Transfers = append(rec.Transfers, pagopa.ReceiptTransfer{ID: id, Amount: t.Amount, FiscalCodePA: tOrg, CompanyName: t.CompanyName,
			IBAN: t.IBAN, RemittanceInformation: t.RemittanceInformation, Category: t.Category})
	}
	s.payments = append(s.payments, pay)
	s.logLocked(change{Position: &storedPosition{Org: org, Position: p}}, change{Payment: pay})
	s.mu.Unlock()

	s.deliver(ctx, pay, rec)
	s.mu.Lock()
	out := *pay
	out.Transfers, out.Delivery = slices.Clone(pay.Transfers), slices.Clone(pay.Delivery)
	s.mu.Unlock()
	return &out, nil
}

func paymentOptionKind(p *pagopa.GPDPosition, nav string) bool {
	for _, o := range p.PaymentOption {
		if o.NAV == nav {
			return o.IsPartialPayment
		}
	}
	return false
}

func (s *Simulator) updateStatusLocked(p *pagopa.GPDPosition) {
	paid, inst, instPaid := false, 0, 0
	for _, o := range p.PaymentOption {
		if o.IsPartialPayment {
			inst++
			if o.Status == "PO_PAID" {
				instPaid++
			}
		} else if o.Status == "PO_PAID" {
			paid = true
		}
	}
	switch {
	case paid || (inst > 0 && instPaid == inst):
		p.Status = string(pagopa.Paid)
	case instPaid > 0:
		p.Status = string(pagopa.PartiallyPaid)
	}
}

type page struct {
	Lang, Org, Notice, Error string
	T                        map[string]string
	Position                 *pagopa.GPDPosition
	Option                   *pagopa.GPDOption
	Amount                   string
	Payment                  *Payment
}

var texts = map[string]map[string]string{
	"it": {"title": "Paga un avviso pagoPA (simulatore)", "notice": "Codice avviso", "org": "Codice fiscale ente",
		"find": "Cerca", "pay": "Paga", "amount": "Importo", "due": "Scadenza", "creditor": "Ente creditore", "subject": "Oggetto",
		"done": "Pagamento eseguito", "receipt": "Ricevuta", "other": "English", "payer": "Codice fiscale di chi paga (facoltativo)",
		ErrUnknownNotice.Error(): "Avviso non trovato", ErrNotPayable.Error(): "Avviso non pagabile", ErrAlreadyPaid.Error(): "Avviso già pagato"},
	"en": {"title": "Pay a pagoPA notice (simulator)", "notice": "Notice number", "org": "Creditor fiscal code",
		"find": "Look up", "pay": "Pay", "amount": "Amount", "due": "Due date", "creditor": "Creditor", "subject": "Subject",
		"done": "Payment done", "receipt": "Receipt", "other": "Italiano", "payer": "Payer's fiscal code (optional)",
		ErrUnknownNotice.Error(): "Notice not found", ErrNotPayable.Error(): "Notice cannot be paid", ErrAlreadyPaid.Error(): "Notice already paid"},
}

var checkoutTmpl = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{index .T "title"}}</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}label{display:block;margin:.5em 0}.err{color:#b00}</style></head>
<body><h1>{{index .T "title"}}</h1>
<p><a href="?lang={{if eq .Lang "it"}}en{{else}}it{{end}}&amp;org={{.Org}}&amp;notice={{.Notice}}">{{index .T "other"}}</a></p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
{{if .Payment}}<h2>{{index .T "done"}}</h2>
<p>{{index .T "receipt"}}: <code id="receiptId">{{.Payment.ReceiptID}}</code> · IUR <code>{{.Payment.IUR}}</code> · {{.Amount}} €</p>
{{else if .Option}}<dl><dt>{{index .T "creditor"}}</dt><dd>{{.Position.CompanyName}}</dd>
<dt>{{index .T "subject"}}</dt><dd>{{.Option.Description}}</dd>
<dt>{{index .T "amount"}}</dt><dd id="amount">{{.Amount}} €</dd>
<dt>{{index .T "due"}}</dt><dd>{{.Option.DueDate.Format "02/01/2006"}}</dd></dl>
<form method="post" action="checkout/pay"><input type="hidden" name="lang" value="{{.Lang}}">
<input type="hidden" name="org" value="{{.Org}}"><input type="hidden" name="notice" value="{{.Notice}}">
<label>{{index .T "payer"}} <input name="payer" maxlength="16"></label>
<button type="submit">{{index .T "pay"}}</button></form>
{{else}}<form method="get" action="checkout"><input type="hidden" name="lang" value="{{.Lang}}">
<label>{{index .T "notice"}} <input name="notice" value="{{.Notice}}" pattern="[0-9]{18}" required></label>
<label>{{index .T "org"}} <input name="org" value="{{.Org}}" pattern="[0-9]{11}" required></label>
<button type="submit">{{index .T "find"}}</button></form>{{end}}
</body></html>`))

func pageLang(r *http.Request) string {
	l := r.FormValue("lang")
	if l == "" && strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
		l = "en"
	}
	if l != "en" {
		l = "it"
	}
	return l
}

func (s *Simulator) checkoutPage(w http.ResponseWriter, r *http.Request) {
	pg := page{Lang: pageLang(r), Org: r.FormValue("org"), Notice: strings.ReplaceAll(r.FormValue("notice"), " ", "")}
	pg.T = texts[pg.Lang]
	if pg.Notice != "" && pg.Org != "" {
		s.mu.Lock()
		if k, ok := s.navs[pg.Org+"/"+pg.Notice]; ok {
			p := *s.positions[k]
			for i := range p.PaymentOption {
				if p.PaymentOption[i].NAV == pg.Notice {
					o := p.PaymentOption[i]
					pg.Position, pg.Option, pg.Amount = &p, &o, pagopa.FormatAmount(o.Amount)
				}
			}
		} else {
			pg.Error = pg.T[ErrUnknownNotice.Error()]
		}
		s.mu.Unlock()
	}
	s.render(w, http.StatusOK, pg)
}

func (s *Simulator) checkoutPay(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	pg := page{Lang: pageLang(r), Org: r.FormValue("org"), Notice: r.FormValue("notice")}
	pg.T = texts[pg.Lang]
	pay, err := s.Pay(r.Context(), pg.Org, pg.Notice, strings.ToUpper(strings.TrimSpace(r.FormValue("payer"))))
	if err != nil {
		pg.Error = pg.T[err.Error()]
		s.render(w, http.StatusUnprocessableEntity, pg)
		return
	}
	pg.Payment, pg.Amount = pay, pagopa.FormatAmount(pay.Amount)
	s.render(w, http.StatusOK, pg)
}

func (s *Simulator) render(w http.ResponseWriter, status int, pg page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := checkoutTmpl.Execute(w, pg); err != nil {
		s.cfg.Log.Error("sim: checkout page", "err", err)
	}
}
