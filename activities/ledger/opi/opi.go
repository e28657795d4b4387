// Package opi reads and writes the treasury's giornale di cassa in the OPI
// format of Banca d'Italia / SIOPE+ (XML versions 1.4 to 1.8) and as CSV.
package opi

import (
	"fmt"
	"regexp"
	"time"

	"github.com/sportello/sportello/errs"
)

// MaxSize bounds a giornale di cassa document.
const MaxSize = 64 << 20

// Directions of a movement.
const (
	Entrata = "ENTRATA"
	Uscita  = "USCITA"
)

// Journal is one giornale di cassa (one page of it, when the bank splits it).
type Journal struct {
	FlowID    string     `json:"flowId"` // identificativo_flusso_BT
	ABI       string     `json:"abi"`
	CreatedAt time.Time  `json:"createdAt"`
	EnteCode  string     `json:"enteCode"` // codice_ente: the IPA code
	EnteCF    string     `json:"enteFiscalCode"`
	EnteName  string     `json:"enteName,omitempty"`
	Year      int        `json:"year"`
	Page      int        `json:"page,omitempty"`
	Pages     int        `json:"pages,omitempty"`
	Movements []Movement `json:"movements"`
}

// Movement is one movement on one conto evidenza; Amount in cents.
type Movement struct {
	Account     string `json:"account"` // conto_evidenza
	Direction   string `json:"direction"`
	DocType     string `json:"docType"`   // REVERSALE, SOSPESO ENTRATA, ...
	Operation   string `json:"operation"` // ESEGUITO, STORNATO, ...
	Number      int64  `json:"number"`
	Progressive int64  `json:"progressive"`
	Receipt     int64  `json:"receipt,omitempty"` // numero_bolletta_quietanza
	Amount      int64  `json:"amount"`
	BookedOn    string `json:"bookedOn"` // data_movimento, YYYY-MM-DD
	ValueDate   string `json:"valueDate,omitempty"`
	Execution   string `json:"execution,omitempty"`
	EndToEndID  string `json:"endToEndId,omitempty"`
	Customer    string `json:"customer"`
	Causale     string `json:"causale"`
}

// Key identifies a movement for good: a bank may send the same journal again.
func (m Movement) Key(j *Journal) string {
	return fmt.Sprintf("%s|%d|%s|%s|%s|%d|%d|%d|%s|%d", j.EnteCF, j.Year, m.Account, m.Direction, m.DocType, m.Number, m.Progressive, m.Receipt, m.BookedOn, m.Amount)
}

var (
	abiRe    = regexp.MustCompile(`^[0-9]{5}$`)
	stateRe  = regexp.MustCompile(`^[A-Z]{2}$`)
	docTypes = map[string]bool{"REVERSALE": true, "MANDATO": true, "SOSPESO ENTRATA": true, "SOSPESO USCITA": true,
		"ANTICIPAZIONE": true, "GIROCONTO": true, "FONDO DI CASSA": true, "DEFICIT DI CASSA": true}
	operations = map[string]bool{"ESEGUITO": true, "STORNATO": true, "REGOLARIZZATO": true, "RIPRISTINATO": true}
)

// Validate checks what matching relies on; the XML rules of the schema are
// checked while parsing.
func (j *Journal) Validate() error {
	var fe []errs.FieldError
	add := func(f, format string, a ...any) {
		fe = append(fe, errs.FieldError{Field: f, Message: fmt.Sprintf(format, a...)})
	}
	if !abiRe.MatchString(j.ABI) {
		add("testata_messaggio.codice_ABI_BT", "must be 5 digits, got %q", j.ABI)
	}
	if j.FlowID == "" {
		add("identificativo_flusso_BT", "is required")
	}
	if j.EnteCF == "" {
		add("testata_messaggio.codice_fiscale_ente", "is required")
	}
	if j.Year < 1999 || j.Year > 2099 {
		add("esercizio", "must be 1999 to 2099, got %d", j.Year)
	}
	for i, m := range j.Movements {
		p := fmt.Sprintf("movimento_conto_evidenza[%d]", i)
		if l := len(m.Account); l < 1 || l > 25 {
			add(p+".conto_evidenza", "must be 1 to 25 characters")
		}
		if m.Direction != Entrata && m.Direction != Uscita {
			add(p+".tipo_movimento", "must be ENTRATA or USCITA, got %q", m.Direction)
		}
		if !docTypes[m.DocType] {
			add(p+".tipo_documento", "is not a document type of the schema: %q", m.DocType)
		}
		if !operations[m.Operation] {
			add(p+".tipo_operazione", "must be ESEGUITO, STORNATO, REGOLARIZZATO or RIPRISTINATO, got %q", m.Operation)
		}
		if m.Number < 0 {
			add(p+".numero_documento", "must not be negative")
		}
		if _, err := time.Parse(time.DateOnly, m.BookedOn); err != nil {
			add(p+".data_movimento", "must be a date YYYY-MM-DD")
		}
		if m.Causale == "" {
			add(p+".causale", "is required")
		}
		if m.Customer == "" {
			add(p+".cliente.anagrafica_cliente", "is required")
		}
	}
	return errs.Fields(fe)
}
