package issuance

import (
	"fmt"
	"sort"
)

// Totals computes the dry run of the valid rows under plan.
func Totals(plan *Plan, rows []Row, refused []RowError) DryRun {
	d := DryRun{Rows: len(rows), RefusedRows: refused}
	lines := map[int]bool{}
	for _, e := range refused {
		lines[e.Line] = true
	}
	d.Refused = len(lines)
	if len(d.RefusedRows) > MaxRefusedShown {
		d.RefusedRows = d.RefusedRows[:MaxRefusedShown]
	}
	if d.RefusedRows == nil {
		d.RefusedRows = []RowError{}
	}
	n := len(plan.Installments)
	var single Bucket
	inst := make([]Bucket, n)
	ben := map[string]*Bucket{}
	acc := map[string]*Bucket{}
	for i := range rows {
		r := &rows[i]
		t := r.Total()
		d.Total += t
		if plan.SingleDue != "" {
			single.Rows++
			single.Amount += t
		}
		for _, a := range r.Components {
			if a.Cents <= 0 {
				continue
			}
			c, _ := plan.component(a.Code)
			for j, part := range splitOrNil(a.Cents, n) {
				if part > 0 {
					inst[j].Amount += part
				}
			}
			bk := c.Beneficiary.FiscalCode + "/" + c.Beneficiary.IBAN
			if ben[bk] == nil {
				ben[bk] = &Bucket{Key: bk, Label: c.Beneficiary.Name}
			}
			ben[bk].Rows++
			ben[bk].Amount += a.Cents
			line := c.Account
			if a.Account != nil {
				line = *a.Account
			}
			ak := c.Code + " " + line.String()
			if acc[ak] == nil {
				acc[ak] = &Bucket{Key: ak, Label: c.Code}
			}
			acc[ak].Rows++
			acc[ak].Amount += a.Cents
		}
		for j := range inst {
			inst[j].Rows++
		}
	}
	if plan.SingleDue != "" {
		single.Key, single.Label, single.Due = "single", "unica soluzione / single payment", plan.SingleDue
		d.Options = append(d.Options, single)
	}
	for j := range inst {
		inst[j].Key = fmt.Sprintf("installment-%d", j+1)
		inst[j].Label = fmt.Sprintf("rata %d di %d / installment %d of %d", j+1, n, j+1, n)
		inst[j].Due = plan.Installments[j]
		d.Options = append(d.Options, inst[j])
	}
	d.Beneficiaries = sorted(ben)
	d.AccountingLines = sorted(acc)
	return d
}

func splitOrNil(a int64, n int) []int64 {
	if n == 0 {
		return nil
	}
	return Split(a, n)
}

func sorted(m map[string]*Bucket) []Bucket {
	out := make([]Bucket, 0, len(m))
	for _, b := range m {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
