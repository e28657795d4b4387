package ledger

import (
	"context"
	"sort"

	"github.com/sportello/sportello/errs"
)

// Intermediary is a pagoPA intermediary an ente issues positions through
// (FVG-Pay, a tax concessionaire's): its notices carry its segregation codes,
// which is how a receipt or an FdR line tells whose it is. Its credentials
// never reach the ledger.
type Intermediary struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	FiscalCode       string   `json:"fiscalCode,omitempty"`
	SegregationCodes []string `json:"segregationCodes"`
}

// Intermediaries lists the intermediaries of an ente; the lead adapts the catalog.
type Intermediaries interface {
	Intermediaries(ctx context.Context, ente string) ([]Intermediary, error)
}

// StaticIntermediaries is an Intermediaries from a fixed map, ente to its intermediaries.
type StaticIntermediaries map[string][]Intermediary

// Intermediaries returns the ente's list.
func (s StaticIntermediaries) Intermediaries(_ context.Context, ente string) ([]Intermediary, error) {
	return s[ente], nil
}

// Unassigned names the items whose IUV no configured intermediary claims.
const Unassigned = "-"

// IntermediaryOf is the id of the intermediary whose segregation code starts
// iuv (the 17-digit IUV of aux digit 3), or Unassigned.
func IntermediaryOf(list []Intermediary, iuv string) string {
	if len(iuv) == 17 {
		for _, im := range list {
			for _, c := range im.SegregationCodes {
				if iuv[:2] == c {
					return im.ID
				}
			}
		}
	}
	return Unassigned
}

// IntermediaryTotals is one intermediary's part of a day's reconciliation:
// receipts and FdR lines by outcome, and its open exceptions. Treasury
// credits pay whole flows and stay the ente's: one ledger, one treasury.
type IntermediaryTotals struct {
	ID             string                       `json:"id"`
	Name           string                       `json:"name"`
	Counts         map[string]map[Outcome]int   `json:"counts"`
	Totals         map[string]map[Outcome]int64 `json:"totals"`
	OpenExceptions int                          `json:"openExceptions"`
	Exceptions     map[Outcome]int              `json:"exceptions,omitempty"`
}

// byIntermediary splits the day's items by intermediary: an item with an IUV
// by its segregation code, a flow and its credit by the IUVs of the flow's
// lines when they all name the same intermediary.
func (s *Service) byIntermediary(ctx context.Context, ente, day string) ([]IntermediaryTotals, error) {
	var list []Intermediary
	if s.Intermediaries != nil {
		var err error
		if list, err = s.Intermediaries.Intermediaries(ctx, ente); err != nil {
			return nil, errs.Wrap(err, "intermediaries of %s", ente)
		}
	}
	db := s.db.WithContext(ctx)
	var items []matchRow
	if err := db.Where("ente = ? AND day = ?", ente, day).Find(&items).Error; err != nil {
		return nil, errs.Wrap(err, "read outcomes of %s", day)
	}
	var open []Exception
	if err := db.Where("ente = ? AND day = ? AND status = ?", ente, day, Open).Find(&open).Error; err != nil {
		return nil, errs.Wrap(err, "read exceptions of %s", day)
	}
	ofFlow, err := s.flowIntermediaries(ctx, ente, list, items, open)
	if err != nil {
		return nil, err
	}
	by := map[string]*IntermediaryTotals{}
	get := func(iuv, flow string) *IntermediaryTotals {
		id := IntermediaryOf(list, iuv)
		if iuv == "" {
			id = Unassigned
			if x, ok := ofFlow[flow]; ok {
				id = x
			}
		}
		if by[id] == nil {
			t := &IntermediaryTotals{ID: id, Counts: map[string]map[Outcome]int{}, Totals: map[string]map[Outcome]int64{}, Exceptions: map[Outcome]int{}}
			for _, im := range list {
				if im.ID == id {
					t.Name = im.Name
				}
			}
			by[id] = t
		}
		return by[id]
	}
	for _, im := range list {
		if len(im.SegregationCodes) > 0 {
			get(im.SegregationCodes[0]+"000000000000000", "")
		}
	}
	for _, m := range items {
		t := get(m.IUV, m.FlowID)
		if t.Counts[m.Kind] == nil {
			t.Counts[m.Kind], t.Totals[m.Kind] = map[Outcome]int{}, map[Outcome]int64{}
		}
		t.Counts[m.Kind][m.Outcome]++
		t.Totals[m.Kind][m.Outcome] += m.Amount
	}
	for _, x := range open {
		t := get(x.IUV, x.FlowID)
		t.OpenExceptions++
		t.Exceptions[x.Outcome]++
	}
	out := make([]IntermediaryTotals, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// flowIntermediaries tells the intermediary of each flow the items name: the
// one all its lines' IUVs name, or Unassigned when they differ.
func (s *Service) flowIntermediaries(ctx context.Context, ente string, list []Intermediary, items []matchRow, open []Exception) (map[string]string, error) {
	seen := map[string]bool{}
	var ids []string
	note := func(iuv, flow string) {
		if iuv == "" && flow != "" && !seen[flow] {
			seen[flow] = true
			ids = append(ids, flow)
		}
	}
	for _, m := range items {
		note(m.IUV, m.FlowID)
	}
	for _, x := range open {
		note(x.IUV, x.FlowID)
	}
	out := map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		var rows []struct {
			FlowID string
			IUV    string
		}
		err := s.db.WithContext(ctx).Table("ledger_flow_lines fl").Select("DISTINCT f.flow_id AS flow_id, fl.iuv AS iuv").
			Joins("JOIN ledger_flows f ON f.id = fl.flow_id").Where("f.ente = ? AND f.flow_id IN ?", ente, ids[start:min(start+500, len(ids))]).Scan(&rows).Error
		if err != nil {
			return nil, errs.Wrap(err, "read the lines of the day's flows")
		}
		for _, r := range rows {
			id := IntermediaryOf(list, r.IUV)
			if prev, ok := out[r.FlowID]; ok && prev != id {
				id = Unassigned
			}
			out[r.FlowID] = id
		}
	}
	return out, nil
}

// IntermediaryCodes returns the segregation codes of the ente's intermediary
// id, for ExceptionFilter; an id the ente does not have is refused naming
// intermediary.
func (s *Service) IntermediaryCodes(ctx context.Context, ente, id string) ([]string, error) {
	if s.Intermediaries != nil {
		list, err := s.Intermediaries.Intermediaries(ctx, ente)
		if err != nil {
			return nil, errs.Wrap(err, "intermediaries of %s", ente)
		}
		for _, im := range list {
			if im.ID == id && len(im.SegregationCodes) > 0 {
				return im.SegregationCodes, nil
			}
		}
	}
	return nil, errs.Field("intermediary", "%s is not an intermediary of %s / non è un intermediario dell'ente", id, ente)
}
