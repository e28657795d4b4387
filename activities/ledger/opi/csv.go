package opi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/errs"
)

// CSVColumns are the columns of a giornale di cassa in CSV, named after the OPI
// elements; the journal's header fields repeat on every row. Separator: comma or semicolon.
var CSVColumns = []string{"identificativo_flusso_BT", "codice_ABI_BT", "codice_fiscale_ente", "esercizio", "conto_evidenza",
	"tipo_movimento", "tipo_documento", "tipo_operazione", "numero_documento", "progressivo_documento",
	"numero_bolletta_quietanza", "importo", "data_movimento", "anagrafica_cliente", "causale"}

// ParseCSV reads a giornale di cassa exported as CSV. Amounts accept the Italian
// decimal comma. Every bad cell is reported at once.
func ParseCSV(r io.Reader) (*Journal, error) {
	data, err := safexml.Read(r, MaxSize)
	if err != nil {
		return nil, errs.Field("giornale", "%v", err)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	first, _, _ := strings.Cut(text, "\n")
	cr := csv.NewReader(strings.NewReader(text))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	head, err := cr.Read()
	if err != nil {
		return nil, errs.Field("csv", "has no header row")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	var fe []errs.FieldError
	for _, c := range CSVColumns {
		if _, ok := col[c]; !ok {
			fe = append(fe, errs.FieldError{Field: "csv.header", Message: "misses the column " + c})
		}
	}
	if len(fe) > 0 {
		return nil, errs.Fields(fe)
	}
	j := &Journal{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		p := fmt.Sprintf("csv[%d]", row)
		if err != nil {
			return nil, errs.Field(p, "%v", err)
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		bad := func(c, msg string) { fe = append(fe, errs.FieldError{Field: p + "." + c, Message: msg}) }
		year, err := strconv.Atoi(get("esercizio"))
		if err != nil {
			bad("esercizio", "must be a year")
		}
		if row == 2 {
			j.FlowID, j.ABI, j.EnteCF, j.Year = get("identificativo_flusso_BT"), get("codice_ABI_BT"), get("codice_fiscale_ente"), year
		} else if get("identificativo_flusso_BT") != j.FlowID || get("codice_fiscale_ente") != j.EnteCF || year != j.Year {
			bad("identificativo_flusso_BT", "every row must belong to the same journal, ente and year")
		}
		m := Movement{Account: get("conto_evidenza"), Direction: get("tipo_movimento"), DocType: get("tipo_documento"),
			Operation: get("tipo_operazione"), Customer: get("anagrafica_cliente"), Causale: get("causale")}
		for c, dst := range map[string]*int64{"numero_documento": &m.Number, "progressivo_documento": &m.Progressive, "numero_bolletta_quietanza": &m.Receipt} {
			if v := get(c); v != "" {
				if *dst, err = strconv.ParseInt(v, 10, 64); err != nil {
					bad(c, "must be a whole number")
				}
			}
		}
		amt := get("importo")
		if strings.Contains(amt, ",") { // 1.234,56: Italian thousands and decimals
			amt = strings.Replace(strings.ReplaceAll(amt, ".", ""), ",", ".", 1)
		}
		if m.Amount, err = safexml.Cents(amt); err != nil {
			bad("importo", err.Error())
		}
		if m.BookedOn, err = date(get("data_movimento")); err != nil {
			bad("data_movimento", "must be a date YYYY-MM-DD")
		}
		j.Movements = append(j.Movements, m)
	}
	if len(fe) > 0 {
		return nil, errs.Fields(fe)
	}
	if len(j.Movements) == 0 {
		return nil, errs.Field("csv", "has no movements")
	}
	if err := j.Validate(); err != nil {
		return nil, err
	}
	return j, nil
}
