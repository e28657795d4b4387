package ledger

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// RunReport is what one reconciliation run found and did.
type RunReport struct {
	Ente     string                     `json:"ente"`
	Day      string                     `json:"day"`
	Outcomes map[string]map[Outcome]int `json:"outcomes"` // by kind: receipt, fdr, credit
	Posted   int                        `json:"posted"`   // new entries
	Opened   int                        `json:"opened"`   // exceptions now open
	Resolved int                        `json:"resolved"` // exceptions closed because their item now matches
}

// run gathers one run's decisions before they are written in one transaction.
type run struct {
	s        *Service
	ente, cf string
	day      string
	matches  []matchRow
	issues   []Exception
	settled  []string // item keys that match now
	entries  []Entry
	// positions tells the pratica and debt position of an IUV, for the queue.
	positions map[string][2]string
	// plans are the accrued notices (campaigns, imports) among the items.
	plans map[string][]planned
}

// record notes an item's outcome without queueing it: the other side of a
// mismatch that is already queued once.
func (r *run) record(key, kind string, o Outcome, day string, fill func(*matchRow)) matchRow {
	m := matchRow{ItemKey: key, Ente: r.ente, Kind: kind, Outcome: o, Day: day, UpdatedAt: r.s.now()}
	if fill != nil {
		fill(&m)
	}
	r.matches = append(r.matches, m)
	return m
}

// match notes an item's outcome and queues it for operators unless it matches or waits.
func (r *run) match(key, kind string, o Outcome, day string, fill func(*matchRow)) {
	m := r.record(key, kind, o, day, fill)
	if o == Reconciled || o == Pending {
		r.settled = append(r.settled, key)
		return
	}
	x := Exception{Key: key, Ente: r.ente, Outcome: o, ReasonIT: reasons[o][0], ReasonEN: reasons[o][1], Day: day,
		IUV: m.IUV, FlowID: m.FlowID, MovementID: m.MovementID, Amount: m.Amount, Expected: m.Expected}
	if p, ok := r.positions[m.IUV]; ok {
		x.PraticaID, x.Position = p[0], p[1]
	}
	r.issues = append(r.issues, x)
}

// Reconcile matches an ente's receipts, flows and treasury credits up to day
// (YYYY-MM-DD, Europe/calendar.Rome) and posts the entries of what matches. It can run
// any number of times: outcomes are updated in place, entries posted once.
func (s *Service) Reconcile(ctx context.Context, ente, day string) (*RunReport, error) {
	r, err := s.plan(ctx, ente, day)
	if err != nil {
		return nil, err
	}
	return r.write(ctx)
}

// plan reads what a run needs and decides every item's outcome and entry,
// writing nothing.
func (s *Service) plan(ctx context.Context, ente, day string) (*run, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, calendar.Rome)
	if err != nil {
		return nil, errs.Field("day", "must be a date YYYY-MM-DD")
	}
	cf, err := s.Entes.FiscalCode(ctx, ente)
	if err != nil {
		return nil, err
	}
	from := d.AddDate(0, 0, -s.Config.Lookback)
	receipts, err := s.Receipts.ReceiptsBetween(ctx, cf, from, d.AddDate(0, 0, 1))
	if err != nil {
		return nil, fmt.Errorf("read receipts: %w", err)
	}
	db := s.db.WithContext(ctx)
	var flows []flowRow
	if err := db.Where("ente_cf = ? AND regulation_date >= ? AND regulation_date <= ?", cf, from.AddDate(0, 0, -s.Config.Lookback).Format(time.DateOnly), day).Find(&flows).Error; err != nil {
		return nil, err
	}
	// Only executed credits count: a STORNATO or REGOLARIZZATO row speaks of a
	// credit the journal already listed.
	var moves []movementRow
	if err := db.Where("ente_cf = ? AND direction = ? AND operation = ? AND booked_on >= ? AND booked_on <= ?", cf, opi.Entrata, "ESEGUITO", from.Format(time.DateOnly), day).Order("booked_on, id").Find(&moves).Error; err != nil {
		return nil, err
	}
	// Older flows are only candidates for late credits: their lines belong to
	// receipts outside the window and would look unknown.
	var ids []string
	for _, f := range flows {
		if f.RegulationDate >= from.Format(time.DateOnly) {
			ids = append(ids, f.ID)
		}
	}
	var lines []flowLineRow
	for start := 0; start < len(ids); start += 500 {
		var part []flowLineRow
		if err := db.Where("flow_id IN ?", ids[start:min(start+500, len(ids))]).Order("flow_id, idx").Find(&part).Error; err != nil {
			return nil, err
		}
		lines = append(lines, part...)
	}
	plans, err := s.plans(ctx, cf, receipts, lines)
	if err != nil {
		return nil, err
	}
	receipts = append(receipts, imported(cf, plans, receipts, lines)...)
	r := &run{s: s, ente: ente, cf: cf, day: day, positions: map[string][2]string{}, plans: plans}
	for _, rc := range receipts {
		r.positions[rc.IUV] = [2]string{rc.PraticaID, rc.Position}
	}
	if err := r.decide(ctx, d, receipts, flows, lines, moves); err != nil {
		return nil, err
	}
	r.locate(ctx)
	return r, nil
}

// locate asks the payments area for the pratica of queue items that have an
// IUV but no receipt (an FdR line or a single credit with an unknown IUV).
func (r *run) locate(ctx context.Context) {
	if r.s.Positions == nil {
		return
	}
	for i := range r.issues {
		x := &r.issues[i]
		if x.IUV == "" || x.PraticaID != "" || x.Position != "" {
			continue
		}
		pr, iupd, err := r.s.Positions.ByIUV(ctx, r.cf, x.IUV)
		if err != nil {
			if !errs.Is(err, errs.NotFound) {
				r.s.log().Warn("position of an exception", "iuv", x.IUV, "err", err)
			}
			continue
		}
		x.PraticaID, x.Position = pr, iupd
	}
}

type group struct {
	flow   *flowRow
	iuv    string
	iur    string
	amount int64
}

func (r *run) decide(ctx context.Context, d time.Time, receipts []Receipt, flows []flowRow, lines []flowLineRow, moves []movementRow) error {
	cfg := r.s.Config
	flowByID := map[string]*flowRow{}
	for i := range flows {
		flowByID[flows[i].ID] = &flows[i]
	}
	groups := map[string]*group{}
	keysOfIUV := map[string][]string{}
	var order []string
	orderOf := map[*flowRow][]string{} // the groups of each flow, in order
	seenLine := map[string]bool{}
	for _, l := range lines {
		lk := fmt.Sprintf("%s|%s|%s|%d", l.FlowID, l.IUV, l.IUR, l.TransferIndex)
		if seenLine[lk] {
			f := flowByID[l.FlowID]
			r.match(fmt.Sprintf("line:%s:%s:%s:%d:repeat%d", f.FlowID, l.IUV, l.IUR, l.TransferIndex, l.Idx), "fdr_line", RepeatedLine,
				f.RegulationDate, func(x *matchRow) { x.IUV, x.FlowID, x.Amount = l.IUV, f.FlowID, l.Amount })
			continue
		}
		seenLine[lk] = true
		k := l.IUV + "|" + l.IUR
		g, ok := groups[k]
		if !ok {
			g = &group{flow: flowByID[l.FlowID], iuv: l.IUV, iur: l.IUR}
			groups[k] = g
			order = append(order, k)
			orderOf[g.flow] = append(orderOf[g.flow], k)
			keysOfIUV[l.IUV] = append(keysOfIUV[l.IUV], k)
		}
		g.amount += l.Amount
	}
	// Each credit names at most one flow: the longest flow id its causale starts with.
	creditOf := map[string]*movementRow{}
	byIUV := map[string][]*movementRow{}
	for i := range moves {
		m := &moves[i]
		if m.IUVRef != "" {
			byIUV[m.IUVRef] = append(byIUV[m.IUVRef], m)
		}
		if m.FlowRef == "" {
			continue
		}
		var best *flowRow
		for j := range flows {
			if refersTo(m.FlowRef, flows[j].FlowID) && (best == nil || len(flows[j].FlowID) > len(best.FlowID)) {
				best = &flows[j]
			}
		}
		if best == nil {
			r.match("credit:"+m.ID, "credit", CreditWithoutFlow, m.BookedOn, func(x *matchRow) { x.MovementID, x.Amount = m.ID, m.Amount })
			continue
		}
		if _, dup := creditOf[best.ID]; !dup {
			creditOf[best.ID] = m
		}
	}
	reported := map[string]bool{} // receipts whose accertamento is posted in this run
	receiptOf := map[string]Receipt{}
	for _, rc := range receipts {
		if rc.EnteCF != r.cf {
			continue
		}
		k := lineOf(rc, keysOfIUV[rc.IUV])
		receiptOf[k] = rc
		paidOn := rc.PaidAt.In(calendar.Rome).Format(time.DateOnly)
		key := "receipt:" + r.cf + ":" + rc.IUV + ":" + rc.IUR
		fill := func(x *matchRow) { x.IUV, x.Amount = rc.IUV, rc.Amount }
		g, ok := groups[k]
		switch {
		case ok && g.amount == rc.Amount:
			r.match(key, "receipt", Reconciled, paidOn, func(x *matchRow) { fill(x); x.FlowID, x.Expected = g.flow.FlowID, g.amount })
			if err := r.accertamento(ctx, rc); err != nil {
				return err
			}
			reported[k] = true
		case ok:
			r.match(key, "receipt", AmountMismatch, paidOn, func(x *matchRow) { fill(x); x.FlowID, x.Expected = g.flow.FlowID, g.amount })
		case len(byIUV[rc.IUV]) > 0:
			// Paid straight to the treasury (/RFB/): settled with the credits below.
		case !rc.PaidAt.After(d.AddDate(0, 0, -cfg.ReceiptGrace)):
			r.match(key, "receipt", ReceiptWithoutFlow, paidOn, fill)
		default:
			r.match(key, "receipt", Pending, paidOn, fill)
		}
	}
	for _, k := range order {
		g := groups[k]
		lineKey := "line:" + g.flow.FlowID + ":" + g.iuv + ":" + g.iur
		if _, ok := receiptOf[k]; ok {
			r.settled = append(r.settled, lineKey) // its receipt has arrived since
			continue
		}
		r.match(lineKey, "fdr_line", UnknownIUV, g.flow.RegulationDate, func(x *matchRow) {
			x.IUV, x.FlowID, x.Amount = g.iuv, g.flow.FlowID, g.amount
		})
	}
	for i := range flows {
		f := &flows[i]
		if f.RegulationDate < d.AddDate(0, 0, -cfg.Lookback).Format(time.DateOnly) {
			continue // only a candidate for old credits
		}
		key := "fdr:" + r.cf + ":" + f.FlowID
		m, ok := creditOf[f.ID]
		fill := func(x *matchRow) { x.FlowID, x.Expected = f.FlowID, f.Total }
		switch {
		case ok && m.Amount == f.Total:
			r.match(key, "fdr", Reconciled, f.RegulationDate, func(x *matchRow) { fill(x); x.MovementID, x.Amount = m.ID, m.Amount })
			r.match("credit:"+m.ID, "credit", Reconciled, m.BookedOn, func(x *matchRow) { fill(x); x.MovementID, x.Amount = m.ID, m.Amount })
			for _, k := range orderOf[f] {
				if reported[k] {
					if err := r.reversale(ctx, receiptOf[k], m.BookedOn, "Riversamento "+f.FlowID); err != nil {
						return err
					}
				}
			}
		case ok:
			r.match(key, "fdr", AmountMismatch, f.RegulationDate, func(x *matchRow) { fill(x); x.MovementID, x.Amount = m.ID, m.Amount })
			r.record("credit:"+m.ID, "credit", AmountMismatch, m.BookedOn, func(x *matchRow) { fill(x); x.MovementID, x.Amount = m.ID, m.Amount })
		case f.RegulationDate <= d.AddDate(0, 0, -cfg.CreditGrace).Format(time.DateOnly):
			r.match(key, "fdr", FlowWithoutCredit, f.RegulationDate, fill)
		default:
			r.match(key, "fdr", Pending, f.RegulationDate, fill)
		}
	}
	ivs := make([]string, 0, len(byIUV))
	for iuv := range byIUV {
		ivs = append(ivs, iuv)
	}
	sort.Strings(ivs)
	for _, iuv := range ivs {
		if err := r.singleCredits(ctx, iuv, byIUV[iuv], receipts); err != nil {
			return err
		}
	}
	return nil
}

// lineOf picks the FdR line group of a receipt: by IUV and IUR, where the IUR
// may be the receipt id (new-model payments report it so); a receipt that
// carries no IUR takes its IUV's only group.
func lineOf(rc Receipt, keys []string) string {
	for _, k := range keys {
		if iur := k[len(rc.IUV)+1:]; iur != "" && (iur == rc.IUR || iur == rc.ReceiptID) {
			return k
		}
	}
	if rc.IUR == "" && len(keys) == 1 {
		return keys[0]
	}
	return rc.IUV + "|" + rc.IUR
}
