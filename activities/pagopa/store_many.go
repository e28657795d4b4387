package pagopa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// CreateMany stores positions of one creditor in one transaction, a bulk
// issuance's chunk: positions whose iupd is already stored are returned as
// stored (a retry after a crash), the others get their IUVs from one
// reservation of the ente's sequence and are inserted with multi-row
// statements. The result is in the order of ps. Each position must be valid.
func (s *Store) CreateMany(ctx context.Context, ps []*Position) ([]*Position, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	cr := ps[0].Creditor
	scheme := cr.Scheme()
	if err := scheme.Validate("creditor"); err != nil {
		return nil, err
	}
	iupds := make([]string, len(ps))
	for i, p := range ps {
		if p.Creditor.FiscalCode != cr.FiscalCode {
			return nil, errs.Field("creditor", "a batch is of one creditor: %s and %s", cr.FiscalCode, p.Creditor.FiscalCode)
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("position %s: %w", p.IUPD, err)
		}
		iupds[i] = p.IUPD
	}
	credJSON, err := json.Marshal(cr)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]*Position, len(ps))
	var existing []string
	// 200 rows a statement stays under SQLite's bound-variable limit; on
	// PostgreSQL the rows go by COPY.
	err = store.BulkTx(ctx, s.db, 200, func(tx *gorm.DB, insert store.Inserter) error {
		if err := storedIUPDs(tx, cr.FiscalCode, iupds, &existing); err != nil {
			return err
		}
		stored := make(map[string]bool, len(existing))
		for _, x := range existing {
			stored[x] = true
		}
		var fresh []*Position
		n := 0
		for _, p := range ps {
			if !stored[p.IUPD] {
				fresh = append(fresh, p)
				n += len(p.Options)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		last, err := nextSeq(tx, cr.FiscalCode, scheme, n)
		if err != nil {
			return err
		}
		next := last - int64(n) + 1
		rows := make([]positionRow, 0, len(fresh))
		var opts []optionRow
		var trs []transferRow
		for _, p := range fresh {
			if p.ID == "" {
				p.ID = uuid.NewString()
			}
			if p.Status == "" {
				p.Status = Draft
			}
			p.CreatedAt, p.UpdatedAt = now, now
			for i := range p.Options {
				nt, err := scheme.Build(next)
				if err != nil {
					return err
				}
				next++
				o := &p.Options[i]
				o.IUV, o.NoticeNumber, o.Status = nt.IUV, nt.NoticeNumber, Unpaid
				opts = append(opts, optionRow{PositionID: p.ID, Seq: i, OrgFiscalCode: cr.FiscalCode, IUV: o.IUV, NoticeNumber: o.NoticeNumber,
					Amount: o.Amount, Description: o.Description, DueDate: o.DueDate.UTC(), Installment: o.Installment, Status: string(o.Status)})
				for _, t := range o.Transfers {
					trs = append(trs, transferRow{PositionID: p.ID, OptionSeq: i, IDTransfer: t.ID, Amount: t.Amount, OrgFiscalCode: t.OrganizationFiscalCode,
						CompanyName: t.CompanyName, IBAN: t.IBAN, PostalIBAN: t.PostalIBAN, Remittance: t.RemittanceInformation, Category: t.Category})
				}
			}
			rows = append(rows, toRow(p, string(credJSON)))
		}
		if err := insert("", &rows); err != nil {
			return err
		}
		if err := insert("", &opts); err != nil {
			return err
		}
		return insert("", &trs)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, errs.E(errs.Conflict, "a concurrent issuance stored some of these positions: retry")
	}
	if err != nil {
		return nil, errs.Wrap(err, "store %d positions", len(ps))
	}
	stored := make(map[string]bool, len(existing))
	for _, x := range existing {
		stored[x] = true
	}
	for i, p := range ps {
		if !stored[p.IUPD] {
			out[i] = p
			continue
		}
		if out[i], err = s.ByIUPD(ctx, cr.FiscalCode, p.IUPD); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StatusChange is a position's new status and whether GPD has it.
type StatusChange struct {
	ID     string
	Status Status
	Synced bool
}

// SetStatuses records many status changes in one transaction.
func (s *Store) SetStatuses(ctx context.Context, cs []StatusChange) error {
	if len(cs) == 0 {
		return nil
	}
	now := s.now()
	type key struct {
		st     Status
		synced bool
	}
	groups := map[key][]string{}
	for _, c := range cs {
		k := key{c.Status, c.Synced}
		groups[k] = append(groups[k], c.ID)
	}
	err := store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		for k, ids := range groups {
			for start := 0; start < len(ids); start += 500 {
				err := tx.Model(&positionRow{}).Where("id IN ?", ids[start:min(start+500, len(ids))]).
					Updates(map[string]any{"status": string(k.st), "synced": k.synced, "updated_at": now}).Error
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	return errs.Wrap(err, "set the status of %d positions", len(cs))
}

// storedIUPDs finds which of iupds org has stored already. On PostgreSQL the
// keys go as one array joined with the table, so each is one probe of the
// (org, iupd) index: with "iupd IN (…)" the planner of a table growing fast
// under a campaign (statistics not yet refreshed) scanned every position of
// the org once per chunk, 0.6 s a chunk at 60,000 positions.
func storedIUPDs(tx *gorm.DB, org string, iupds []string, out *[]string) error {
	if store.Dialect(tx) != store.Postgres {
		return tx.Model(&positionRow{}).Where("org_fiscal_code = ? AND iupd IN ?", org, iupds).Pluck("iupd", out).Error
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range iupds {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(k))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return tx.Raw(`SELECT p.iupd FROM unnest(CAST(? AS text[])) AS k(iupd)
		JOIN pagopa_positions p ON p.org_fiscal_code = ? AND p.iupd = k.iupd`, b.String(), org).Scan(out).Error
}
