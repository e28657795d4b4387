package pagopa

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// Get returns the position with id, with its options and transfers.
func (s *Store) Get(ctx context.Context, id string) (*Position, error) {
	return s.first(ctx, s.db.WithContext(ctx), "id = ?", id)
}

// ByIUPD returns the ente's position with iupd.
func (s *Store) ByIUPD(ctx context.Context, orgFiscalCode, iupd string) (*Position, error) {
	return s.first(ctx, s.db.WithContext(ctx), "org_fiscal_code = ? AND iupd = ?", orgFiscalCode, iupd)
}

// ByNotice returns the ente's position holding the option with a notice number.
func (s *Store) ByNotice(ctx context.Context, orgFiscalCode, noticeNumber string) (*Position, error) {
	return byNotice(ctx, s.db.WithContext(ctx), orgFiscalCode, noticeNumber)
}

func byNotice(ctx context.Context, db *gorm.DB, org, notice string) (*Position, error) {
	var o optionRow
	err := db.Where("org_fiscal_code = ? AND notice_number = ?", org, notice).First(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "notice %s of %s not found", notice, org)
	}
	if err != nil {
		return nil, err
	}
	return (&Store{}).first(ctx, db, "id = ?", o.PositionID)
}

// PositionFilter selects positions; empty fields match everything.
type PositionFilter struct {
	Ente      string
	Debtor    string
	PraticaID string
	Limit     int
	Offset    int
}

// List returns positions, newest first.
func (s *Store) List(ctx context.Context, f PositionFilter) ([]*Position, error) {
	q := s.positions(ctx, f)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var ids []string
	if err := q.Order("created_at DESC, id").Limit(f.Limit).Offset(max(f.Offset, 0)).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	out := make([]*Position, 0, len(ids))
	for _, id := range ids {
		p, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (s *Store) first(ctx context.Context, db *gorm.DB, where string, args ...any) (*Position, error) {
	var r positionRow
	err := db.Where(where, args...).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "position not found")
	}
	if err != nil {
		return nil, err
	}
	p := &Position{ID: r.ID, IUPD: r.IUPD, Debtor: r.debtor(),
		Subject: r.Subject, ServiceID: r.ServiceID, Status: Status(r.Status), SwitchToExpired: r.SwitchToExpired,
		ValidityDate: utcPtr(r.ValidityDate), Synced: r.Synced, PaidAt: utcPtr(r.PaidAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.PraticaID != nil {
		p.PraticaID = *r.PraticaID
	}
	if err := json.Unmarshal([]byte(r.Creditor), &p.Creditor); err != nil {
		return nil, err
	}
	var opts []optionRow
	if err := db.Where("position_id = ?", r.ID).Order("seq").Find(&opts).Error; err != nil {
		return nil, err
	}
	var trs []transferRow
	if err := db.Where("position_id = ?", r.ID).Order("option_seq, id_transfer").Find(&trs).Error; err != nil {
		return nil, err
	}
	for _, o := range opts {
		opt := Option{IUV: o.IUV, NoticeNumber: o.NoticeNumber, Amount: o.Amount, Description: o.Description, DueDate: o.DueDate.UTC(),
			Installment: o.Installment, Status: OptionStatus(o.Status), ReceiptID: o.ReceiptID, PaidAt: utcPtr(o.PaidAt)}
		for _, t := range trs {
			if t.OptionSeq == o.Seq {
				opt.Transfers = append(opt.Transfers, Transfer{ID: t.IDTransfer, Amount: t.Amount, OrganizationFiscalCode: t.OrgFiscalCode,
					CompanyName: t.CompanyName, IBAN: t.IBAN, PostalIBAN: t.PostalIBAN, RemittanceInformation: t.Remittance, Category: t.Category})
			}
		}
		p.Options = append(p.Options, opt)
	}
	return p, nil
}

// SetStatus moves a position to status and records whether GPD has it.
func (s *Store) SetStatus(ctx context.Context, id string, status Status, synced bool) error {
	res := s.db.WithContext(ctx).Model(&positionRow{}).Where("id = ?", id).
		Select("status", "synced", "updated_at").
		Updates(positionRow{Status: string(status), Synced: synced, UpdatedAt: s.now()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errs.E(errs.NotFound, "position %s not found", id)
	}
	return nil
}

// MarkReported moves a paid position to REPORTED once reconciliation matched it.
func (s *Store) MarkReported(ctx context.Context, orgFiscalCode, iuv string) error {
	var o optionRow
	if err := s.db.WithContext(ctx).Where("org_fiscal_code = ? AND iuv = ?", orgFiscalCode, iuv).First(&o).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errs.E(errs.NotFound, "iuv %s of %s not found", iuv, orgFiscalCode)
		}
		return err
	}
	res := s.db.WithContext(ctx).Model(&positionRow{}).Where("id = ? AND status IN ?", o.PositionID, []string{string(Paid), string(Reported)}).
		Select("status", "updated_at").Updates(positionRow{Status: string(Reported), UpdatedAt: s.now()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errs.E(errs.Conflict, "position of iuv %s is not paid", iuv)
	}
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ExpireDue moves to EXPIRED the valid positions that asked for it
// (switchToExpired) once every option is past its due date, as GPD does; a
// scheduled job calls it daily. It returns how many expired.
func (s *Store) ExpireDue(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE pagopa_positions SET status = ?, updated_at = ?
		WHERE status = ? AND switch_to_expired = ?
		AND NOT EXISTS (SELECT 1 FROM pagopa_options o WHERE o.position_id = pagopa_positions.id AND o.due_date >= ?)`,
		string(Expired), s.now(), string(Valid), true, now.UTC())
	return res.RowsAffected, res.Error
}

// ByEnteIUPD returns the position iupd of an ente named by its IPA code.
func (s *Store) ByEnteIUPD(ctx context.Context, ente, iupd string) (*Position, error) {
	return s.first(ctx, s.db.WithContext(ctx), "ente = ? AND iupd = ?", ente, iupd)
}

// CountPositions counts the positions f selects, paging aside.
func (s *Store) CountPositions(ctx context.Context, f PositionFilter) (int64, error) {
	var n int64
	err := s.positions(ctx, f).Count(&n).Error
	return n, err
}

func (s *Store) positions(ctx context.Context, f PositionFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&positionRow{})
	if f.Ente != "" {
		q = q.Where("ente = ?", f.Ente)
	}
	if f.Debtor != "" {
		q = q.Where("debtor_fiscal_code = ?", f.Debtor)
	}
	if f.PraticaID != "" {
		q = q.Where("pratica_id = ?", f.PraticaID)
	}
	return q
}
