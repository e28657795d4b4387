package pagopa

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

func (r positionRow) debtor() Debtor {
	return Debtor{Type: r.DebtorType, FiscalCode: r.DebtorFiscalCode, FullName: r.DebtorName, Email: r.DebtorEmail,
		StreetName: r.DebtorStreet, CivicNumber: r.DebtorCivic, PostalCode: r.DebtorPostalCode, City: r.DebtorCity,
		Province: r.DebtorProvince, Country: r.DebtorCountry}
}

// Cursor reads the positions of f (its Limit and Offset ignored) batch at a
// time in id order, each batch in three queries, for a bulk render of
// notices: memory holds one batch, whatever the number of positions.
func (s *Store) Cursor(ctx context.Context, f PositionFilter, batch int) PositionSource {
	if batch <= 0 {
		batch = 500
	}
	f.Limit, f.Offset = 0, 0
	var buf []*Position
	last, done := "", false
	return func() (*Position, error) {
		if len(buf) == 0 && !done {
			var err error
			if buf, err = s.batch(ctx, f, last, batch); err != nil {
				return nil, fmt.Errorf("read positions after %q: %w", last, err)
			}
			if len(buf) < batch {
				done = true
			}
			if len(buf) > 0 {
				last = buf[len(buf)-1].ID
			}
		}
		if len(buf) == 0 {
			return nil, io.EOF
		}
		p := buf[0]
		buf = buf[1:]
		return p, nil
	}
}

// batch loads up to n positions of f with id after "after", with their
// options and transfers.
func (s *Store) batch(ctx context.Context, f PositionFilter, after string, n int) ([]*Position, error) {
	var rows []positionRow
	if err := s.positions(ctx, f).Where("id > ?", after).Order("id").Limit(n).Find(&rows).Error; err != nil {
		return nil, err
	}
	return s.assemble(ctx, rows)
}

// assemble loads the options and transfers of rows and builds their positions.
func (s *Store) assemble(ctx context.Context, rows []positionRow) ([]*Position, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	db := s.db.WithContext(ctx)
	var opts []optionRow
	if err := db.Where("position_id IN ?", ids).Order("position_id, seq").Find(&opts).Error; err != nil {
		return nil, err
	}
	var trs []transferRow
	if err := db.Where("position_id IN ?", ids).Order("position_id, option_seq, id_transfer").Find(&trs).Error; err != nil {
		return nil, err
	}
	type key struct {
		pos string
		seq int
	}
	byOption := map[key][]Transfer{}
	for _, t := range trs {
		k := key{t.PositionID, t.OptionSeq}
		byOption[k] = append(byOption[k], Transfer{ID: t.IDTransfer, Amount: t.Amount, OrganizationFiscalCode: t.OrgFiscalCode,
			CompanyName: t.CompanyName, IBAN: t.IBAN, PostalIBAN: t.PostalIBAN, RemittanceInformation: t.Remittance, Category: t.Category})
	}
	byPosition := map[string][]Option{}
	for _, o := range opts {
		byPosition[o.PositionID] = append(byPosition[o.PositionID], Option{IUV: o.IUV, NoticeNumber: o.NoticeNumber, Amount: o.Amount,
			Description: o.Description, DueDate: o.DueDate.UTC(), Installment: o.Installment, Status: OptionStatus(o.Status),
			ReceiptID: o.ReceiptID, PaidAt: utcPtr(o.PaidAt), Transfers: byOption[key{o.PositionID, o.Seq}]})
	}
	out := make([]*Position, len(rows))
	for i, r := range rows {
		p := &Position{ID: r.ID, IUPD: r.IUPD, Debtor: r.debtor(), Subject: r.Subject, ServiceID: r.ServiceID, Status: Status(r.Status),
			SwitchToExpired: r.SwitchToExpired, ValidityDate: utcPtr(r.ValidityDate), Synced: r.Synced, PaidAt: utcPtr(r.PaidAt),
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Options: byPosition[r.ID]}
		if r.PraticaID != nil {
			p.PraticaID = *r.PraticaID
		}
		if err := json.Unmarshal([]byte(r.Creditor), &p.Creditor); err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}
