package issuance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/sportello/sportello/activities/pagopa"
)

// IUPD is the position identifier of a natural key: tax, year and a hash of
// the ente and the debtor, so the same debtor × year × tax always names the
// same position (issuing it twice finds the first) and no personal data
// travels in it.
func IUPD(ente, tax string, year int, fiscalCode string) string {
	h := sha256.Sum256([]byte(ente + "|" + tax + "|" + fmt.Sprint(year) + "|" + fiscalCode))
	return fmt.Sprintf("%s-%d-%s", tax, year, hex.EncodeToString(h[:])[:20])
}

// Request builds the position of a row: the single option with the whole
// amount and/or one option per installment (amounts by Split, component by
// component, so every transfer is exact to the cent), one transfer per
// component owed.
func Request(plan *Plan, cr pagopa.Creditor, r *Row) (pagopa.IssueRequest, error) {
	req := pagopa.IssueRequest{IUPD: IUPD(cr.Ente, plan.Tax, plan.Year, r.Debtor.FiscalCode), Creditor: cr,
		Debtor:  pagopa.Debtor{Type: r.Debtor.Type, FiscalCode: r.Debtor.FiscalCode, FullName: r.Debtor.Name},
		Subject: plan.Subject, Publish: true}
	transfers := func(part func(int64) int64, label string) []pagopa.TransferRequest {
		var out []pagopa.TransferRequest
		for _, a := range r.Components {
			c, _ := plan.component(a.Code)
			amt := part(a.Cents)
			if amt <= 0 {
				continue
			}
			out = append(out, pagopa.TransferRequest{Amount: amt, Category: c.Category, OrganizationFiscalCode: c.Beneficiary.FiscalCode,
				CompanyName: c.Beneficiary.Name, IBAN: c.Beneficiary.IBAN, RemittanceInformation: remittance(c, plan, label)})
		}
		return out
	}
	if plan.SingleDue != "" {
		d, err := dueDate(plan.SingleDue)
		if err != nil {
			return req, err
		}
		tr := transfers(func(a int64) int64 { return a }, "unica soluzione")
		req.Options = append(req.Options, pagopa.OptionRequest{Amount: sum(tr), DueDate: d, Transfers: tr,
			Description: fmt.Sprintf("%s %d - unica soluzione", plan.Tax, plan.Year)})
	}
	n := len(plan.Installments)
	for i, s := range plan.Installments {
		d, err := dueDate(s)
		if err != nil {
			return req, err
		}
		label := fmt.Sprintf("rata %d di %d", i+1, n)
		tr := transfers(func(a int64) int64 { return Split(a, n)[i] }, label)
		req.Options = append(req.Options, pagopa.OptionRequest{Amount: sum(tr), DueDate: d, Installment: true, Transfers: tr,
			Description: fmt.Sprintf("%s %d - %s", plan.Tax, plan.Year, label)})
	}
	return req, nil
}

func remittance(c Component, plan *Plan, label string) string {
	desc := c.Description
	if desc == "" {
		desc = c.Code
	}
	s := fmt.Sprintf("%s %d %s", desc, plan.Year, label)
	if len(s) > 140 {
		s = strings.TrimSpace(s[:140])
	}
	return s
}

func sum(tr []pagopa.TransferRequest) int64 {
	var t int64
	for _, x := range tr {
		t += x.Amount
	}
	return t
}
