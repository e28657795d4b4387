// Package issuance is the bollettazione massiva: an ente's finance office
// uploads a roll (one row per debtor, e.g. the yearly TARI), sees a dry run,
// confirms, and one Temporal workflow per campaign issues a debt position per
// row in chunks, idempotently on the natural key debtor × year × tax.
package issuance

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// AccountingLine is where a component is booked in the ente's budget.
type AccountingLine struct {
	Capitolo     string `json:"capitolo"`
	Articolo     string `json:"articolo,omitempty"`
	Accertamento string `json:"accertamento,omitempty"`
}

// String is the line as "capitolo/articolo/accertamento".
func (a AccountingLine) String() string {
	return a.Capitolo + "/" + a.Articolo + "/" + a.Accertamento
}

// Beneficiary is who a component is credited to: the ente itself or another
// (TEFA to the Provincia, or in FVG to the Region): multi-IBAN.
type Beneficiary struct {
	FiscalCode string `json:"fiscalCode"`
	Name       string `json:"name"`
	IBAN       string `json:"iban"`
}

// Component is one part of what each debtor owes (TARI, TEFA ...): one
// transfer of every option.
type Component struct {
	Code        string         `json:"code"` // column prefix in the CSV: tari_amount
	Description string         `json:"description"`
	Category    string         `json:"category"` // taxonomy code, 9/0101101IM/
	Beneficiary Beneficiary    `json:"beneficiary"`
	Account     AccountingLine `json:"account"` // default; a row may override it
}

// Plan is how a campaign is issued: its tax and year (with the debtor, the
// natural key), the single option and/or the installments, notice language,
// App IO service and reminders.
type Plan struct {
	Tax     string `json:"tax"`  // TARI
	Year    int    `json:"year"` // tax year
	Subject string `json:"subject"`
	// SingleDue is the due date (YYYY-MM-DD, Europe/Rome) of the single
	// payment option; empty for installments only.
	SingleDue string `json:"singleDue,omitempty"`
	// Installments are the due dates of the installments (none, or 2 and more).
	Installments []string    `json:"installments,omitempty"`
	Lang         string      `json:"lang,omitempty"` // it, de, sl (default it)
	AppIOService string      `json:"appIoService,omitempty"`
	ReminderDays []int       `json:"reminderDays,omitempty"` // days before each due date
	Components   []Component `json:"components"`
	// Intermediary names which of the ente's pagoPA intermediaries issues the
	// campaign (its id in the ente's settings); empty for the ente's own.
	Intermediary string `json:"intermediary,omitempty"`
}

var codeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,7}$`)

// Validate checks the plan and names every field at fault at once.
func (p *Plan) Validate() error {
	var fe []errs.FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !codeRE.MatchString(p.Tax) {
		add("plan.tax", "must be 1 to 8 capital letters or digits, e.g. TARI / da 1 a 8 maiuscole o cifre")
	}
	if p.Year < 2000 || p.Year > 2100 {
		add("plan.year", "must be a year from 2000 to 2100 / anno tra 2000 e 2100")
	}
	if s := strings.TrimSpace(p.Subject); s == "" || len(s) > 100 {
		add("plan.subject", "must be 1 to 100 characters / da 1 a 100 caratteri")
	}
	if p.SingleDue == "" && len(p.Installments) == 0 {
		add("plan.singleDue", "a single option or installments are required / serve la rata unica o le rate")
	}
	if p.SingleDue != "" {
		if _, err := dueDate(p.SingleDue); err != nil {
			add("plan.singleDue", "must be a date YYYY-MM-DD / data AAAA-MM-GG")
		}
	}
	if len(p.Installments) == 1 {
		add("plan.installments", "installments come at least in two / almeno due rate")
	}
	var prev time.Time
	for i, s := range p.Installments {
		d, err := dueDate(s)
		if err != nil {
			add(fmt.Sprintf("plan.installments[%d]", i), "must be a date YYYY-MM-DD / data AAAA-MM-GG")
			continue
		}
		if !d.After(prev) {
			add(fmt.Sprintf("plan.installments[%d]", i), "must come after the previous one / deve seguire la precedente")
		}
		prev = d
	}
	switch p.Lang {
	case "", "it", "de", "sl", "en":
	default:
		add("plan.lang", "must be it, de, sl or en")
	}
	if len(p.Components) == 0 || len(p.Components) > pagopa.MaxTransfers {
		add("plan.components", "must be 1 to %d (one transfer each) / da 1 a %d componenti", pagopa.MaxTransfers, pagopa.MaxTransfers)
	}
	seen := map[string]bool{}
	for i, c := range p.Components {
		f := fmt.Sprintf("plan.components[%d]", i)
		if !codeRE.MatchString(c.Code) {
			add(f+".code", "must be 1 to 8 capital letters or digits / da 1 a 8 maiuscole o cifre")
		} else if seen[c.Code] {
			add(f+".code", "%s is given twice / ripetuto", c.Code)
		}
		seen[c.Code] = true
		if !pagopa.TaxonomyShape(c.Category) {
			add(f+".category", "must be a taxonomy code like 9/0101101IM/")
		}
		if msg := pagopa.CheckPartitaIVA(c.Beneficiary.FiscalCode); msg != "" {
			add(f+".beneficiary.fiscalCode", "%s", msg)
		}
		if n := strings.TrimSpace(c.Beneficiary.Name); n == "" || len(n) > 140 {
			add(f+".beneficiary.name", "must be 1 to 140 characters / da 1 a 140 caratteri")
		}
		if msg := pagopa.CheckIBAN(c.Beneficiary.IBAN); msg != "" {
			add(f+".beneficiary.iban", "%s", msg)
		}
		if c.Account.Capitolo == "" {
			add(f+".account.capitolo", "is required / obbligatorio")
		}
	}
	for i, d := range p.ReminderDays {
		if d < 1 || d > 60 {
			add(fmt.Sprintf("plan.reminderDays[%d]", i), "must be 1 to 60 days / da 1 a 60 giorni")
		}
	}
	return errs.Fields(fe)
}

// component returns the plan's component with code.
func (p *Plan) component(code string) (Component, bool) {
	for _, c := range p.Components {
		if c.Code == code {
			return c, true
		}
	}
	return Component{}, false
}

// dueDate is the end of day s in Europe/Rome: a notice is payable all day.
func dueDate(s string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, s, calendar.Rome)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(24*time.Hour - time.Second).UTC(), nil
}

// Split divides amount cents into n installments exactly: each gets
// amount/n cents and the remainder goes to the first installments, one cent
// each, so the parts always sum to amount and differ by at most one cent.
func Split(amount int64, n int) []int64 {
	out := make([]int64, n)
	base, rem := amount/int64(n), amount%int64(n)
	for i := range out {
		out[i] = base
		if int64(i) < rem {
			out[i]++
		}
	}
	return out
}
