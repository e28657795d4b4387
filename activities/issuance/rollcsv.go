package issuance

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteCSV writes rows as a roll in the documented CSV layout (Columns),
// amounts in euro with a dot: what ParseCSV reads back.
func WriteCSV(w io.Writer, plan *Plan, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns(plan)); err != nil {
		return err
	}
	rec := make([]string, 0, 5+4*len(plan.Components))
	for _, r := range rows {
		rec = append(rec[:0], strconv.Itoa(r.TaxYear), r.Debtor.Type, r.Debtor.FiscalCode, r.Debtor.Name, r.Debtor.Address)
		for _, c := range plan.Components {
			var a Amount
			for _, x := range r.Components {
				if x.Code == c.Code {
					a = x
				}
			}
			rec = append(rec, Euro(a.Cents))
			if a.Account != nil {
				rec = append(rec, a.Account.Capitolo, a.Account.Articolo, a.Account.Accertamento)
			} else {
				rec = append(rec, "", "", "")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Euro formats cents as euro with a dot and two decimals ("123.45").
func Euro(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}
