package opi

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

type xmlParty struct {
	Name    string `xml:"anagrafica_cliente"`
	Address string `xml:"indirizzo_cliente,omitempty"`
	State   string `xml:"stato_cliente,omitempty"`
	TaxCode string `xml:"codice_fiscale_cliente,omitempty"`
	VATCode string `xml:"partita_iva_cliente,omitempty"`
}

type xmlMovement struct {
	FlowRef     string   `xml:"identificativo_flusso,omitempty"` // 1.6.1 and later
	MoveNumber  string   `xml:"numero_movimento,omitempty"`
	Direction   string   `xml:"tipo_movimento"`
	DocType     string   `xml:"tipo_documento"`
	Operation   string   `xml:"tipo_operazione"`
	Number      string   `xml:"numero_documento"`
	Progressive string   `xml:"progressivo_documento"`
	Amount      string   `xml:"importo"`
	Receipt     string   `xml:"numero_bolletta_quietanza,omitempty"`
	BookedOn    string   `xml:"data_movimento"`
	ValueDate   string   `xml:"data_valuta_ente,omitempty"`
	Execution   string   `xml:"tipo_esecuzione"`
	EndToEndID  string   `xml:"end_to_end_id,omitempty"`
	Bollo       string   `xml:"assoggettamento_bollo"`
	Customer    xmlParty `xml:"cliente"`
	Delegate    string   `xml:"delegato>stato_delegato,omitempty"`
	Creditor    string   `xml:"creditore_effettivo>stato_creditore_effettivo,omitempty"`
	Causale     string   `xml:"causale"`
}

type xmlAccount struct {
	Account   string        `xml:"conto_evidenza"`
	Name      string        `xml:"descrizione_conto_evidenza,omitempty"`
	Movements []xmlMovement `xml:"movimento_conto_evidenza"`
}

type xmlJournal struct {
	XMLName   xml.Name     `xml:"flusso_giornale_di_cassa"`
	ABI       string       `xml:"testata_messaggio>codice_ABI_BT"`
	Created   string       `xml:"testata_messaggio>data_ora_creazione_flusso"`
	EnteCode  string       `xml:"testata_messaggio>codice_ente"`
	EnteName  string       `xml:"testata_messaggio>descrizione_ente"`
	Istat     string       `xml:"testata_messaggio>codice_istat_ente"`
	EnteCF    string       `xml:"testata_messaggio>codice_fiscale_ente"`
	Tramite   string       `xml:"testata_messaggio>codice_tramite_ente"`
	TramiteBT string       `xml:"testata_messaggio>codice_tramite_BT"`
	EnteBT    string       `xml:"testata_messaggio>codice_ente_BT"`
	FlowID    string       `xml:"identificativo_flusso_BT"`
	Page      string       `xml:"pagina,omitempty"`
	Pages     string       `xml:"pagine_totali,omitempty"`
	Year      string       `xml:"esercizio"`
	From      string       `xml:"data_inizio_periodo_riferimento,omitempty"` // 1.4
	To        string       `xml:"data_fine_periodo_riferimento,omitempty"`   // 1.4
	Day       string       `xml:"data_riferimento_GdC,omitempty"`            // 1.6.1 and later
	Accounts  []xmlAccount `xml:"informazioni_conto_evidenza"`
}

// ParseXML reads a giornale di cassa of any OPI version from 1.4 to 1.8 and
// applies the schema's rules on the fields it uses; errors name the element.
func ParseXML(r io.Reader) (*Journal, error) {
	data, err := safexml.Read(r, MaxSize)
	if err != nil {
		return nil, errs.Field("giornale", "%v", err)
	}
	var x xmlJournal
	if err := safexml.Decode(data, &x); err != nil {
		return nil, errs.Field("giornale", "%v", err)
	}
	var fe []errs.FieldError
	bad := func(f, format string, a ...any) {
		fe = append(fe, errs.FieldError{Field: f, Message: fmt.Sprintf(format, a...)})
	}
	j := &Journal{FlowID: x.FlowID, ABI: x.ABI, EnteCode: x.EnteCode, EnteCF: x.EnteCF, EnteName: x.EnteName}
	if j.CreatedAt, err = dateTime(x.Created); err != nil {
		bad("testata_messaggio.data_ora_creazione_flusso", "must be a date and time")
	}
	if j.Year, err = strconv.Atoi(x.Year); err != nil {
		bad("esercizio", "must be a year")
	}
	for f, v := range map[string]string{"pagina": x.Page, "pagine_totali": x.Pages} {
		if v == "" {
			continue
		}
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 9999999 {
			bad(f, "must be 1 to 9999999")
		}
	}
	j.Page, _ = strconv.Atoi(x.Page)
	j.Pages, _ = strconv.Atoi(x.Pages)
	for name, v := range map[string]string{"data_inizio_periodo_riferimento": x.From, "data_fine_periodo_riferimento": x.To, "data_riferimento_GdC": x.Day} {
		if _, err := date(v); v != "" && err != nil {
			bad(name, "must be a date")
		}
	}
	if len(x.Accounts) == 0 {
		bad("informazioni_conto_evidenza", "must appear at least once")
	}
	n := 0
	for _, a := range x.Accounts {
		for _, xm := range a.Movements {
			p := fmt.Sprintf("movimento_conto_evidenza[%d]", n)
			n++
			m := Movement{Account: a.Account, Direction: xm.Direction, DocType: xm.DocType, Operation: xm.Operation,
				Execution: xm.Execution, EndToEndID: xm.EndToEndID, Customer: xm.Customer.Name, Causale: xm.Causale}
			if m.Number, err = strconv.ParseInt(xm.Number, 10, 64); err != nil || m.Number < 0 {
				bad(p+".numero_documento", "must be a whole number")
			}
			if m.Progressive, err = strconv.ParseInt(xm.Progressive, 10, 64); err != nil || m.Progressive < 0 {
				bad(p+".progressivo_documento", "must be a whole number")
			}
			if xm.Receipt != "" {
				if m.Receipt, err = strconv.ParseInt(xm.Receipt, 10, 64); err != nil || m.Receipt < 0 {
					bad(p+".numero_bolletta_quietanza", "must be a whole number")
				}
			}
			if m.Amount, err = safexml.Cents(xm.Amount); err != nil {
				bad(p+".importo", "%v", err)
			}
			if m.BookedOn, err = date(xm.BookedOn); err != nil {
				bad(p+".data_movimento", "must be a date")
			}
			if xm.ValueDate != "" {
				if m.ValueDate, err = date(xm.ValueDate); err != nil {
					bad(p+".data_valuta_ente", "must be a date")
				}
			}
			for f, v := range map[string]string{"cliente.stato_cliente": xm.Customer.State, "delegato.stato_delegato": xm.Delegate,
				"creditore_effettivo.stato_creditore_effettivo": xm.Creditor} {
				if v != "" && !stateRe.MatchString(v) {
					bad(p+"."+f, "must be a country code of two capital letters, got %q", v)
				}
			}
			j.Movements = append(j.Movements, m)
		}
	}
	if len(fe) > 0 {
		sortFields(fe)
		return nil, errs.Fields(fe)
	}
	if err := j.Validate(); err != nil {
		return nil, err
	}
	return j, nil
}

func sortFields(fe []errs.FieldError) {
	sort.Slice(fe, func(a, b int) bool { return fe[a].Field < fe[b].Field })
}

// date reads xs:date, whose lexical form may carry a zone ("2017-06-07+02:00").
func date(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return "", fmt.Errorf("bad date %q", s)
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return "", err
	}
	if rest := s[10:]; rest != "" && rest != "Z" {
		if _, err := time.Parse("-07:00", rest); err != nil {
			return "", fmt.Errorf("bad zone in %q", s)
		}
	}
	return s[:10], nil
}

// dateTime reads xsd:dateTime, surrounding spaces allowed, in Europe/Rome when it has no zone.
func dateTime(s string) (time.Time, error) {
	t, err := safexml.DateTime(strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date-time %q", s)
	}
	return t, nil
}

// XML writes the journal in OPI 1.6.1 form, one conto evidenza per account.
func (j *Journal) XML() ([]byte, error) {
	x := xmlJournal{ABI: j.ABI, Created: j.CreatedAt.In(calendar.Rome).Format("2006-01-02T15:04:05"), EnteCode: j.EnteCode, EnteName: j.EnteName,
		EnteCF: j.EnteCF, FlowID: j.FlowID, Year: strconv.Itoa(j.Year), Page: "1", Pages: "1"}
	idx := map[string]int{}
	for n, m := range j.Movements {
		i, ok := idx[m.Account]
		if !ok {
			i = len(x.Accounts)
			idx[m.Account] = i
			x.Accounts = append(x.Accounts, xmlAccount{Account: m.Account})
		}
		if x.Day == "" || m.BookedOn > x.Day {
			x.Day = m.BookedOn
		}
		x.Accounts[i].Movements = append(x.Accounts[i].Movements, xmlMovement{FlowRef: j.FlowID, MoveNumber: fmt.Sprintf("%07d", n+1), Direction: m.Direction, DocType: m.DocType, Operation: m.Operation,
			Number: fmt.Sprintf("%07d", m.Number), Progressive: fmt.Sprintf("%07d", m.Progressive), Amount: safexml.Euro(m.Amount),
			Receipt: fmt.Sprintf("%07d", m.Receipt), BookedOn: m.BookedOn, ValueDate: m.ValueDate, Execution: m.Execution,
			EndToEndID: m.EndToEndID, Bollo: "ESENTE BOLLO", Customer: xmlParty{Name: m.Customer}, Causale: m.Causale})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
