package issuance

import (
	"fmt"
	"strings"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
)

// DemoFiscalCode is Mario Rossi's codice fiscale, the demo citizen: the demo
// roll always has him on its first line.
const DemoFiscalCode = "RSSMRA80A01L424F"

// DemoPlan is the TARI plan of the demo: TARI to the comune and TEFA (5%) to
// the Region, a single payment or three installments.
func DemoPlan(cr pagopa.Creditor, year int) Plan {
	return Plan{Tax: "TARI", Year: year, Subject: fmt.Sprintf("TARI %d - tassa rifiuti", year),
		SingleDue: fmt.Sprintf("%d-04-30", year), Installments: []string{fmt.Sprintf("%d-04-30", year), fmt.Sprintf("%d-07-31", year), fmt.Sprintf("%d-10-31", year)},
		Lang: "it", ReminderDays: []int{7},
		Components: []Component{
			{Code: "TARI", Description: "TARI", Category: "9/0101101IM/", Beneficiary: Beneficiary{FiscalCode: cr.FiscalCode, Name: cr.Name, IBAN: cr.IBAN},
				Account: AccountingLine{Capitolo: "1010", Articolo: "1", Accertamento: fmt.Sprintf("%d/101", year)}},
			{Code: "TEFA", Description: "TEFA", Category: "9/0201102IM/",
				Beneficiary: Beneficiary{FiscalCode: "80014930327", Name: "Regione Autonoma Friuli Venezia Giulia", IBAN: "IT82G0200802242000101234567"},
				Account:     AccountingLine{Capitolo: "9010", Articolo: "2", Accertamento: fmt.Sprintf("%d/901", year)}},
		}}
}

// DemoRows generates n deterministic households for year: valid codici
// fiscali (Mario Rossi first), Trieste addresses, TARI between 80 and 600
// euro and TEFA at 5% of it.
func DemoRows(n, year int) []Row {
	const letters = "BCDFGLMNPRSTVZ"
	months := "ABCDEHLMPRST"
	rows := make([]Row, 0, n)
	streets := []string{"Via del Corso", "Via Carducci", "Viale XX Settembre", "Via San Nicolò", "Via Battisti", "Via Rossetti"}
	for i := 0; i < n; i++ {
		cf := DemoFiscalCode
		name := "Mario Rossi"
		if i > 0 {
			k := i
			var b strings.Builder
			for j := 0; j < 6; j++ {
				b.WriteByte(letters[k%len(letters)])
				k /= len(letters)
			}
			yy := 40 + (i/7)%60
			first15 := fmt.Sprintf("%s%02d%c%02dL424", b.String(), yy, months[i%12], 1+i%28)
			c, _ := catalog.FiscalCodeCheckChar(first15)
			cf = first15 + string(c)
			name = fmt.Sprintf("Contribuente %d", i)
		}
		tari := int64(8000 + (i*7919)%52000)
		rows = append(rows, Row{Line: i + 2, TaxYear: year,
			Debtor:     Debtor{Type: "F", FiscalCode: cf, Name: name, Address: fmt.Sprintf("%s %d, 34100 Trieste", streets[i%len(streets)], 1+i%120)},
			Components: []Amount{{Code: "TARI", Cents: tari}, {Code: "TEFA", Cents: tari * 5 / 100}}})
	}
	return rows
}
