package ledger

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestSetBasedWriteMatchesRowByRow reconciles one generated dataset with
// every kind of exception (missing receipt, amount mismatch, repeated line,
// flow revision, credits without flow or with the wrong amount, direct
// credits) twice, on two databases of the same engine: once with the
// set-based write and once with the item-by-item write it replaced. Three
// runs follow each other (late receipts, a late credit, a flow revision):
// outcomes, queue, entries and run reports must be the same.
func TestSetBasedWriteMatchesRowByRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		other := storetest.SQLite(t)
		if db.Dialector.Name() != "sqlite" {
			other = storetest.Postgres(t)
		}
		ctx := context.Background()
		setBased, rowByRow := newGenerated(db), newGenerated(other)
		for step := 0; step < 3; step++ {
			for _, g := range []*generated{setBased, rowByRow} {
				if err := g.feed(ctx, step); err != nil {
					t.Fatal(err)
				}
			}
			a, err := setBased.svc.Reconcile(ctx, "c_l424", setBased.day(step))
			if err != nil {
				t.Fatal(err)
			}
			r, err := rowByRow.svc.plan(ctx, "c_l424", rowByRow.day(step))
			if err != nil {
				t.Fatal(err)
			}
			b, err := r.writeRowByRow(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(b, a); diff != "" {
				t.Errorf("step %d: run report (-row by row +set-based):\n%s", step, diff)
			}
			if a.Posted == 0 && step == 0 {
				t.Errorf("step 0 posted nothing: %+v", a)
			}
			if diff := cmp.Diff(rowByRow.dump(t), setBased.dump(t)); diff != "" {
				t.Errorf("step %d: tables (-row by row +set-based):\n%s", step, diff)
			}
		}
		x := setBased.dump(t)
		for _, o := range []Outcome{AmountMismatch, UnknownIUV, RepeatedLine, ReceiptWithoutFlow, FlowWithoutCredit, CreditWithoutFlow} {
			if !strings.Contains(strings.Join(x, "\n"), string(o)) {
				t.Errorf("the dataset has no %s item", o)
			}
		}
	})
}

type generated struct {
	db  *gorm.DB
	svc *Service
	rs  []Receipt
}

const genCF = "00210240321"

func newGenerated(db *gorm.DB) *generated {
	g := &generated{db: db}
	g.svc = NewService(db, DemoEntes, ReceiptsFunc(func(_ context.Context, cf string, from, to time.Time) ([]Receipt, error) {
		var out []Receipt
		for _, r := range g.rs {
			if r.EnteCF == cf && !r.PaidAt.Before(from) && r.PaidAt.Before(to) {
				out = append(out, r)
			}
		}
		return out, nil
	}), StaticChart{Default: Capitolo{Capitolo: "3010", Articolo: "1"}, ByService: map[string]Capitolo{"c_l424.tari": {Capitolo: "1010", Articolo: "2"}}})
	g.svc.Log = quietLog
	g.svc.Config.CreditGrace = 1 // flows of the first step go unpaid by the third
	return g
}

func (g *generated) day(step int) string { return fmt.Sprintf("2026-11-%02d", 20+step) }

func genAt(day string, hour int) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, day, calendar.Rome)
	return d.Add(time.Duration(hour) * time.Hour).UTC()
}

// feed imports step's flows, journal and receipts: 4 flows of 50 payments a
// day, with a few of each exception.
func (g *generated) feed(ctx context.Context, step int) error {
	day := g.day(step)
	paid := g.day(step - 1)
	g.svc.Now = func() time.Time { return genAt(day, 20) }
	var moves []opi.Movement
	for k := 0; k < 4; k++ {
		f := &fdr.Flow{ID: fmt.Sprintf("%sBCITITMM-%d", day, k), Date: genAt(day, 2), Regulation: "SCT " + day, RegulationDate: day,
			SenderType: "B", PSP: "BCITITMM", Receiver: genCF}
		for i := 0; i < 50; i++ {
			iuv := fmt.Sprintf("%02d%02d%03d", step, k, i)
			amount := int64(1000 + i)
			l := fdr.Line{IUV: iuv, IUR: "r" + iuv, Amount: amount, Outcome: "0", Date: paid}
			f.Lines = append(f.Lines, l)
			rc := Receipt{EnteCF: genCF, IUV: iuv, IUR: "r" + iuv, Amount: amount, PaidAt: genAt(paid, 10), PraticaID: "p" + iuv, Service: "c_l424.tari"}
			switch {
			case i == 3: // no receipt yet: unknown IUV, the receipt comes next step
				rc.PaidAt = genAt(paid, 9)
				defer func(rc Receipt) { g.rs = append(g.rs, rc) }(rc)
				continue
			case i == 5: // receipt and line disagree
				rc.Amount++
			case i == 7: // the line is repeated
				f.Lines = append(f.Lines, l)
			case i == 9 && k == 0: // the receipt never reported, paid long ago
				rc.IUV, rc.IUR, rc.PaidAt = "old"+iuv, "rold"+iuv, genAt(day, -24*6)
			}
			g.rs = append(g.rs, rc)
		}
		for _, l := range f.Lines {
			f.Total += l.Amount
		}
		f.Count = len(f.Lines)
		if _, err := g.svc.ImportFlow(ctx, "c_l424", f, "xml"); err != nil {
			return err
		}
		switch k {
		case 0:
			moves = append(moves, opi.Movement{Account: "1", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: int64(step*10 + k),
				Amount: f.Total, BookedOn: day, Customer: "PSP", Causale: "/PUR/LGPE-RIVERSAMENTO/URI/" + f.ID})
		case 1:
			moves = append(moves, opi.Movement{Account: "1", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: int64(step*10 + k),
				Amount: f.Total + 1, BookedOn: day, Customer: "PSP", Causale: "/PUR/LGPE-RIVERSAMENTO/URI/" + f.ID})
		case 2:
			// A revision of the flow replaces it: one line's amount corrected.
			rev := *f
			rev.Revision, rev.Lines = 2, append([]fdr.Line(nil), f.Lines...)
			rev.Lines[5].Amount++
			rev.Total++
			if _, err := g.svc.ImportFlow(ctx, "c_l424", &rev, "json"); err != nil {
				return err
			}
		}
	}
	iuv := fmt.Sprintf("D%d", step)
	g.rs = append(g.rs, Receipt{EnteCF: genCF, IUV: iuv, IUR: "r" + iuv, Amount: 700, PaidAt: genAt(paid, 11), Service: "c_l424.tari"})
	moves = append(moves,
		opi.Movement{Account: "1", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: int64(step*10 + 7),
			Amount: 700, BookedOn: day, Customer: "X", Causale: "/RFB/" + iuv + "/7.00/TXT/tari"},
		opi.Movement{Account: "1", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: int64(step*10 + 8),
			Amount: 4400, BookedOn: day, Customer: "PSP", Causale: "/PUR/LGPE-RIVERSAMENTO/URI/NOSUCHFLOW" + day})
	if step == 2 { // the late credit of step 0's third flow
		var total int64
		g.db.Model(&flowRow{}).Where("flow_id = ?", g.day(0)+"BCITITMM-3").Pluck("total", &total)
		moves = append(moves, opi.Movement{Account: "1", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: 99,
			Amount: total, BookedOn: day, Customer: "PSP", Causale: "/PUR/LGPE-RIVERSAMENTO/URI/" + g.day(0) + "BCITITMM-3"})
	}
	_, err := g.svc.ImportJournal(ctx, "c_l424", &opi.Journal{FlowID: "GDC-" + day, ABI: "02008", EnteCF: genCF, Year: 2026, Movements: moves})
	return err
}

// dump lists the outcome, queue and entry rows, ids replaced by stable keys.
func (g *generated) dump(t *testing.T) []string {
	t.Helper()
	var moves []movementRow
	g.db.Find(&moves)
	ids := map[string]string{}
	for _, m := range moves {
		ids[m.ID] = m.MoveKey
	}
	norm := func(s string) string {
		for id, k := range ids {
			s = strings.ReplaceAll(s, id, k)
		}
		return s
	}
	var out []string
	var ms []matchRow
	if err := g.db.Order("item_key").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		out = append(out, norm(fmt.Sprintf("match %s %s %s %s %s %s %s %d %d %s", m.ItemKey, m.Ente, m.Kind, m.Outcome, m.Day, m.IUV, m.FlowID, m.Amount, m.Expected, m.UpdatedAt.UTC())))
	}
	var xs []Exception
	g.db.Order("ex_key").Find(&xs)
	for _, x := range xs {
		out = append(out, norm(fmt.Sprintf("exception %s %s %s %s/%s %s %s %s %s %s %d %d %s %s %s %v %s %s", x.Key, x.Ente, x.Outcome, x.ReasonIT, x.ReasonEN, x.Day,
			x.PraticaID, x.Position, x.IUV, x.FlowID, x.Amount, x.Expected, x.Status, x.Resolution, x.ResolvedBy, x.ResolvedAt != nil, x.CreatedAt.UTC(), x.UpdatedAt.UTC())))
	}
	var es []Entry
	g.db.Find(&es)
	byID := map[string]string{}
	for _, e := range es {
		byID[e.ID] = e.SourceKey
		out = append(out, fmt.Sprintf("entry %s %s %s %s %s %s %s %s", e.SourceKey, e.Ente, e.Kind, e.PostedOn, e.Description, e.PraticaID, e.IUV, e.CreatedAt.UTC()))
	}
	var ls []Line
	g.db.Find(&ls)
	for _, l := range ls {
		out = append(out, fmt.Sprintf("line %s %d %s %s %s %d %d", byID[l.EntryID], l.N, l.Account, l.Capitolo, l.Articolo, l.Debit, l.Credit))
	}
	sort.Strings(out)
	return out
}

// writeRowByRow is the writing of a run before it was set-based, kept as the
// reference the set-based write must agree with: a statement per item.
func (r *run) writeRowByRow(ctx context.Context) (*RunReport, error) {
	rep := &RunReport{Ente: r.ente, Day: r.day, Outcomes: map[string]map[Outcome]int{}}
	// An item decided twice (a receipt in a flow and in a single credit) keeps
	// its last decision: one row per key in a batch upsert.
	last := map[string]int{}
	for i, m := range r.matches {
		last[m.ItemKey] = i
	}
	uniq := r.matches[:0]
	for i, m := range r.matches {
		if last[m.ItemKey] == i {
			uniq = append(uniq, m)
		}
	}
	r.matches = uniq
	for _, m := range r.matches {
		if rep.Outcomes[m.Kind] == nil {
			rep.Outcomes[m.Kind] = map[Outcome]int{}
		}
		rep.Outcomes[m.Kind][m.Outcome]++
	}
	now := r.s.now()
	err := r.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		upsert := clause.OnConflict{Columns: []clause.Column{{Name: "item_key"}},
			DoUpdates: clause.AssignmentColumns([]string{"outcome", "day", "iuv", "flow_id", "movement_id", "amount", "expected", "updated_at"})}
		for start := 0; start < len(r.matches); start += 200 {
			if err := tx.Clauses(upsert).Create(r.matches[start:min(start+200, len(r.matches))]).Error; err != nil {
				return err
			}
		}
		for _, x := range r.issues {
			x.ID, x.Status, x.CreatedAt, x.UpdatedAt = uuid.NewString(), Open, now, now
			res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "ex_key"}}, DoNothing: true}).Create(&x)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				rep.Opened++
				continue
			}
			// Already queued: follow the item's current outcome while it is open.
			if err := tx.Model(&Exception{}).Where("ex_key = ? AND status = ?", x.Key, Open).Updates(map[string]any{
				"outcome": x.Outcome, "reason_it": x.ReasonIT, "reason_en": x.ReasonEN, "amount": x.Amount, "expected": x.Expected, "updated_at": now,
			}).Error; err != nil {
				return err
			}
		}
		for start := 0; start < len(r.settled); start += 200 {
			res := tx.Model(&Exception{}).Where("ex_key IN ? AND status = ?", r.settled[start:min(start+200, len(r.settled))], Open).
				Updates(map[string]any{"status": Resolved, "resolution": "auto", "resolved_by": "reconciliation", "resolved_at": now, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			rep.Resolved += int(res.RowsAffected)
		}
		for _, e := range r.entries {
			created, err := post(tx, e, now)
			if err != nil {
				return err
			}
			if created {
				rep.Posted++
			}
		}
		return nil
	})
	if err != nil {
		return nil, errs.Wrap(err, "record reconciliation of %s on %s", r.ente, r.day)
	}
	r.s.log().Info("reconciliation", "ente", r.ente, "day", r.day, "posted", rep.Posted, "opened", rep.Opened, "resolved", rep.Resolved)
	return rep, nil
}

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))
