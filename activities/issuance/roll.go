package issuance

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// Debtor is who owes a row's amount: a person (F, codice fiscale) or a legal
// person (G, partita IVA), with the address the notice is posted to.
type Debtor struct {
	Type       string `json:"type"` // F or G; derived from the code when empty
	FiscalCode string `json:"fiscalCode"`
	Name       string `json:"name"`
	Address    string `json:"address,omitempty"`
}

// Amount is what a debtor owes for one component, in cents; Account, when
// set, overrides the plan's accounting line for this row.
type Amount struct {
	Code    string          `json:"code"`
	Cents   int64           `json:"amount"`
	Account *AccountingLine `json:"account,omitempty"`
}

// Row is one debtor of the roll.
type Row struct {
	Line       int      `json:"line"` // CSV line, or position in the JSON array from 1
	TaxYear    int      `json:"taxYear"`
	Debtor     Debtor   `json:"debtor"`
	Components []Amount `json:"components"`
}

// Total is the row's amount in cents.
func (r *Row) Total() int64 {
	var t int64
	for _, a := range r.Components {
		t += a.Cents
	}
	return t
}

// RowError is one problem with one field of one row of the roll.
type RowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// JSONRoll is the JSON form of a roll.
type JSONRoll struct {
	Rows []Row `json:"rows"`
}

// CSV columns; per component <code>_amount (euro, "123.45" or "123,45") and,
// optionally, <code>_capitolo, <code>_articolo, <code>_accertamento.
const (
	ColYear       = "tax_year"
	ColType       = "debtor_type"
	ColFiscalCode = "fiscal_code"
	ColName       = "name"
	ColAddress    = "address"
)

// ParseCSV reads a roll in CSV (comma or semicolon separated, UTF-8, header
// first). A file that cannot be read as a roll at all is an invalid error
// naming the line; the rows are returned with their line numbers and checked
// by Check.
func ParseCSV(r io.Reader, plan *Plan) ([]Row, error) {
	br := bufio.NewReader(r)
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, errs.Field("roll", "cannot be read: %v", err)
	}
	first = bytes.TrimPrefix(first, []byte("\xef\xbb\xbf"))
	sep := ','
	if nl := bytes.IndexByte(first, '\n'); bytes.Count(first[:max(nl, 0)], []byte(";")) > bytes.Count(first[:max(nl, 0)], []byte(",")) {
		sep = ';'
	}
	cr := csv.NewReader(br)
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = sep, -1, true
	head, err := cr.Read()
	if err != nil {
		return nil, errs.Field("line 1", "the header is missing or not CSV / intestazione mancante: %v", err)
	}
	cols := map[string]int{}
	var fe []errs.FieldError
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[h]; dup {
			fe = append(fe, errs.FieldError{Field: "line 1", Message: fmt.Sprintf("column %q is given twice / colonna ripetuta", h)})
		}
		cols[h] = i
		if !knownColumn(h, plan) {
			fe = append(fe, errs.FieldError{Field: "line 1", Message: fmt.Sprintf("column %q is not one of %s / colonna sconosciuta", h, strings.Join(Columns(plan), ", "))})
		}
	}
	for _, req := range []string{ColYear, ColFiscalCode, ColName} {
		if _, ok := cols[req]; !ok {
			fe = append(fe, errs.FieldError{Field: "line 1", Message: "column " + req + " is required / colonna obbligatoria"})
		}
	}
	anyAmount := false
	for _, c := range plan.Components {
		_, ok := cols[strings.ToLower(c.Code)+"_amount"]
		anyAmount = anyAmount || ok
	}
	if !anyAmount {
		fe = append(fe, errs.FieldError{Field: "line 1", Message: "an amount column (<component>_amount) is required / serve una colonna importo"})
	}
	if err := errs.Fields(fe); err != nil {
		return nil, err
	}
	get := func(rec []string, name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, errs.Field(fmt.Sprintf("line %d", line), "is not valid CSV / CSV non valido: %v", err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row := Row{Line: line, Debtor: Debtor{Type: strings.ToUpper(get(rec, ColType)), FiscalCode: strings.ToUpper(get(rec, ColFiscalCode)),
			Name: get(rec, ColName), Address: get(rec, ColAddress)}}
		if y := get(rec, ColYear); y != "" {
			if n, err := strconv.Atoi(y); err == nil {
				row.TaxYear = n
			} else {
				row.TaxYear = -1
			}
		}
		for _, c := range plan.Components {
			p := strings.ToLower(c.Code) + "_"
			a := Amount{Code: c.Code, Cents: -1}
			if s := get(rec, p+"amount"); s == "" {
				a.Cents = 0
			} else if n, ok := ParseEuro(s); ok {
				a.Cents = n
			}
			if cap, art, acc := get(rec, p+"capitolo"), get(rec, p+"articolo"), get(rec, p+"accertamento"); cap+art+acc != "" {
				a.Account = &AccountingLine{Capitolo: cap, Articolo: art, Accertamento: acc}
			}
			row.Components = append(row.Components, a)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, errs.Field("roll", "has no rows / il ruolo è vuoto")
	}
	return rows, nil
}

// ParseJSON reads a roll in JSON ({"rows": [...]}, amounts in cents); each
// row's line is its position in the array, from 1.
func ParseJSON(r io.Reader) ([]Row, error) {
	var in JSONRoll
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, errs.Field("roll", "must be {\"rows\": [...]} / deve essere {\"rows\": [...]}: %v", err)
	}
	if len(in.Rows) == 0 {
		return nil, errs.Field("rows", "has no rows / il ruolo è vuoto")
	}
	for i := range in.Rows {
		in.Rows[i].Line = i + 1
		in.Rows[i].Debtor.FiscalCode = strings.ToUpper(strings.TrimSpace(in.Rows[i].Debtor.FiscalCode))
	}
	return in.Rows, nil
}

// Columns lists the CSV columns a plan accepts, in the documented order.
func Columns(plan *Plan) []string {
	out := []string{ColYear, ColType, ColFiscalCode, ColName, ColAddress}
	for _, c := range plan.Components {
		p := strings.ToLower(c.Code) + "_"
		out = append(out, p+"amount", p+"capitolo", p+"articolo", p+"accertamento")
	}
	return out
}

func knownColumn(h string, plan *Plan) bool {
	for _, c := range Columns(plan) {
		if c == h {
			return true
		}
	}
	return false
}

// ParseEuro reads an amount in euro with at most two decimals, "." or ","
// as the decimal mark and no thousands separator, into cents.
func ParseEuro(s string) (int64, bool) {
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 9 || len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || strings.HasPrefix(whole, "+") {
		return 0, false
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || strings.HasPrefix(frac, "+") || strings.HasPrefix(frac, "-") {
			return 0, false
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	return w*100 + f, true
}

// Check validates every row against the plan and returns every problem at
// once, with its line and field: the rows refused.
func Check(rows []Row, plan *Plan) []RowError {
	var out []RowError
	seen := make(map[string]int, len(rows))
	n := len(plan.Installments)
	for i := range rows {
		r := &rows[i]
		add := func(field, format string, args ...any) {
			out = append(out, RowError{Line: r.Line, Field: field, Message: fmt.Sprintf(format, args...)})
		}
		if r.TaxYear != plan.Year {
			add(ColYear, "must be %d, the campaign's year / deve essere %d", plan.Year, plan.Year)
		}
		if r.Debtor.Type == "" {
			r.Debtor.Type = "F"
			if len(r.Debtor.FiscalCode) == 11 {
				r.Debtor.Type = "G"
			}
		}
		switch r.Debtor.Type {
		case "F":
			if msg := pagopa.CheckCodiceFiscale(r.Debtor.FiscalCode); msg != "" {
				add(ColFiscalCode, "%s", msg)
			}
		case "G":
			if msg := pagopa.CheckPartitaIVA(r.Debtor.FiscalCode); msg != "" {
				add(ColFiscalCode, "%s", msg)
			}
		default:
			add(ColType, "must be F (person) or G (legal person) / F persona fisica, G giuridica")
		}
		if prev, dup := seen[r.Debtor.FiscalCode]; dup && r.Debtor.FiscalCode != "" {
			add(ColFiscalCode, "the debtor is already on line %d / debitore già alla riga %d", prev, prev)
		} else {
			seen[r.Debtor.FiscalCode] = r.Line
		}
		if nm := strings.TrimSpace(r.Debtor.Name); nm == "" || len(nm) > 70 {
			add(ColName, "must be 1 to 70 characters / da 1 a 70 caratteri")
		}
		if len(r.Debtor.Address) > 140 {
			add(ColAddress, "must be at most 140 characters / al massimo 140 caratteri")
		}
		var total int64
		for _, a := range r.Components {
			col := strings.ToLower(a.Code) + "_amount"
			if _, ok := plan.component(a.Code); !ok {
				add("components", "%s is not a component of the plan / componente non prevista", a.Code)
				continue
			}
			switch {
			case a.Cents < 0:
				add(col, "must be an amount in euro like 123.45 / importo in euro come 123,45")
			case a.Cents > 0 && n > 1 && a.Cents < int64(n):
				add(col, "%d cents cannot be split in %d installments / non divisibile in %d rate", a.Cents, n, n)
			}
			if a.Account != nil && a.Account.Capitolo == "" {
				add(strings.ToLower(a.Code)+"_capitolo", "is required with articolo or accertamento / obbligatorio")
			}
			if a.Cents > 0 {
				total += a.Cents
			}
		}
		if total == 0 && len(r.Components) > 0 {
			add("amount", "the row owes nothing / la riga non ha importi")
		}
	}
	return out
}
