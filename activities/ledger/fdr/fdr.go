// Package fdr reads and writes the pagoPA flussi di rendicontazione (FdR): the
// XML of FlussoRiversamento 1.0.x and the JSON of the FdR organization API.
package fdr

import (
	"fmt"
	"regexp"
	"time"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/errs"
)

// MaxSize bounds an FdR document: the node splits larger flows.
const MaxSize = 32 << 20

// Flow is one reporting flow: what a PSP settled to an ente in one transfer.
type Flow struct {
	ID             string    `json:"id"`
	Revision       int       `json:"revision,omitempty"`
	Date           time.Time `json:"date"`
	Regulation     string    `json:"regulation"`     // identificativoUnivocoRegolamento: the transfer's reference
	RegulationDate string    `json:"regulationDate"` // YYYY-MM-DD
	SenderType     string    `json:"senderType"`     // G, A or B
	PSP            string    `json:"psp"`            // codiceIdentificativoUnivoco of the sender
	PSPName        string    `json:"pspName,omitempty"`
	BIC            string    `json:"bic,omitempty"`
	Receiver       string    `json:"receiver"` // the ente's fiscal code
	ReceiverName   string    `json:"receiverName,omitempty"`
	Count          int       `json:"count"`
	Total          int64     `json:"total"` // cents
	Lines          []Line    `json:"lines"`
}

// Line is one payment settled in the flow.
type Line struct {
	IUV     string `json:"iuv"`
	IUR     string `json:"iur"`
	Index   int    `json:"index,omitempty"` // the transfer of the payment, 1 to 5
	Amount  int64  `json:"amount"`          // cents
	Outcome string `json:"outcome"`         // 0 paid, 3 revoked, 4 stand-in, 8 stand-in without RPT, 9 without RPT
	Date    string `json:"date"`            // YYYY-MM-DD
}

var (
	flowIDRe = regexp.MustCompile(`^[a-zA-Z0-9\-_]{1,35}$`)
	outcomes = map[string]bool{"0": true, "3": true, "4": true, "8": true, "9": true}
)

// Validate applies the schema's rules and the arithmetic: the count and the
// total must be those of the lines. Every problem is reported at once.
func (f *Flow) Validate() error {
	var fe []errs.FieldError
	add := func(field, format string, a ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	if !flowIDRe.MatchString(f.ID) {
		add("identificativoFlusso", "must be 1 to 35 letters, digits, - or _")
	}
	if f.Date.IsZero() {
		add("dataOraFlusso", "is required")
	}
	if l := len(f.Regulation); l < 1 || l > 35 {
		add("identificativoUnivocoRegolamento", "must be 1 to 35 characters")
	}
	if _, err := time.Parse(time.DateOnly, f.RegulationDate); err != nil {
		add("dataRegolamento", "must be a date YYYY-MM-DD")
	}
	switch f.SenderType {
	case "G", "A", "B":
	default:
		add("istitutoMittente.identificativoUnivocoMittente.tipoIdentificativoUnivoco", "must be G, A or B")
	}
	if l := len(f.PSP); l < 1 || l > 35 {
		add("istitutoMittente.identificativoUnivocoMittente.codiceIdentificativoUnivoco", "must be 1 to 35 characters")
	}
	if l := len(f.Receiver); l < 1 || l > 35 {
		add("istitutoRicevente.identificativoUnivocoRicevente.codiceIdentificativoUnivoco", "must be 1 to 35 characters")
	}
	if len(f.Lines) == 0 {
		add("datiSingoliPagamenti", "must list at least one payment")
	}
	// A line repeating another (same IUV, IUR and index) is not refused: real
	// flows carry them, and refusing the flow would hold back every other
	// payment in it. Reconciliation puts the repeat in the exceptions queue.
	var sum int64
	for i, l := range f.Lines {
		p := fmt.Sprintf("datiSingoliPagamenti[%d]", i)
		if n := len(l.IUV); n < 1 || n > 35 {
			add(p+".identificativoUnivocoVersamento", "must be 1 to 35 characters")
		}
		if n := len(l.IUR); n < 1 || n > 35 {
			add(p+".identificativoUnivocoRiscossione", "must be 1 to 35 characters")
		}
		if l.Index != 0 && (l.Index < 1 || l.Index > 5) {
			add(p+".indiceDatiSingoloPagamento", "must be 1 to 5")
		}
		if l.Amount < 1 || l.Amount > 99999999999 {
			add(p+".singoloImportoPagato", "must be 0.01 to 999999999.99")
		}
		if !outcomes[l.Outcome] {
			add(p+".codiceEsitoSingoloPagamento", "must be 0, 3, 4, 8 or 9, got %q", l.Outcome)
		}
		if _, err := time.Parse(time.DateOnly, l.Date); err != nil {
			add(p+".dataEsitoSingoloPagamento", "must be a date YYYY-MM-DD")
		}
		sum += l.Amount
	}
	if f.Count != len(f.Lines) {
		add("numeroTotalePagamenti", "is %d but the flow lists %d payments", f.Count, len(f.Lines))
	}
	if f.Total != sum {
		add("importoTotalePagamenti", "is %s but the payments add up to %s", safexml.Euro(f.Total), safexml.Euro(sum))
	}
	return errs.Fields(fe)
}
