package pagopa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Store keeps debt positions, receipts and anomalies in the database (GORM),
// on SQLite or PostgreSQL.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db; now defaults to time.Now.
func NewStore(db *gorm.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	// PostgreSQL keeps microseconds: truncating keeps what we return equal to what we read back.
	return &Store{db: db, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

type positionRow struct {
	ID               string     `gorm:"column:id;primaryKey"`
	IUPD             string     `gorm:"column:iupd"`
	OrgFiscalCode    string     `gorm:"column:org_fiscal_code"`
	Ente             string     `gorm:"column:ente"`
	Creditor         string     `gorm:"column:creditor"`
	DebtorType       string     `gorm:"column:debtor_type"`
	DebtorFiscalCode string     `gorm:"column:debtor_fiscal_code"`
	DebtorName       string     `gorm:"column:debtor_name"`
	DebtorEmail      string     `gorm:"column:debtor_email"`
	DebtorStreet     string     `gorm:"column:debtor_street"`
	DebtorCivic      string     `gorm:"column:debtor_civic"`
	DebtorPostalCode string     `gorm:"column:debtor_postal_code"`
	DebtorCity       string     `gorm:"column:debtor_city"`
	DebtorProvince   string     `gorm:"column:debtor_province"`
	DebtorCountry    string     `gorm:"column:debtor_country"`
	Subject          string     `gorm:"column:subject"`
	ServiceID        string     `gorm:"column:service_id"`
	PraticaID        *string    `gorm:"column:pratica_id"`
	Status           string     `gorm:"column:status"`
	SwitchToExpired  bool       `gorm:"column:switch_to_expired"`
	ValidityDate     *time.Time `gorm:"column:validity_date"`
	Synced           bool       `gorm:"column:synced"`
	PaidAt           *time.Time `gorm:"column:paid_at"`
	CreatedAt        time.Time  `gorm:"column:created_at"`
	UpdatedAt        time.Time  `gorm:"column:updated_at"`
}

// TableName is the positions table.
func (positionRow) TableName() string { return "pagopa_positions" }

type optionRow struct {
	PositionID    string     `gorm:"column:position_id;primaryKey"`
	Seq           int        `gorm:"column:seq;primaryKey"`
	OrgFiscalCode string     `gorm:"column:org_fiscal_code"`
	IUV           string     `gorm:"column:iuv"`
	NoticeNumber  string     `gorm:"column:notice_number"`
	Amount        int64      `gorm:"column:amount"`
	Description   string     `gorm:"column:description"`
	DueDate       time.Time  `gorm:"column:due_date"`
	Installment   bool       `gorm:"column:installment"`
	Status        string     `gorm:"column:status"`
	ReceiptID     string     `gorm:"column:receipt_id"`
	PaidAt        *time.Time `gorm:"column:paid_at"`
}

// TableName is the options table.
func (optionRow) TableName() string { return "pagopa_options" }

type transferRow struct {
	PositionID    string `gorm:"column:position_id;primaryKey"`
	OptionSeq     int    `gorm:"column:option_seq;primaryKey"`
	IDTransfer    int    `gorm:"column:id_transfer;primaryKey"`
	Amount        int64  `gorm:"column:amount"`
	OrgFiscalCode string `gorm:"column:org_fiscal_code"`
	CompanyName   string `gorm:"column:company_name"`
	IBAN          string `gorm:"column:iban"`
	PostalIBAN    string `gorm:"column:postal_iban"`
	Remittance    string `gorm:"column:remittance"`
	Category      string `gorm:"column:category"`
}

// TableName is the transfers table.
func (transferRow) TableName() string { return "pagopa_transfers" }

// Create validates p, gives each option a fresh IUV and notice number from the
// ente's sequence and stores everything in one transaction. A position with the
// same iupd for the same ente is a conflict.
func (s *Store) Create(ctx context.Context, p *Position) error {
	if err := p.Validate(); err != nil {
		return err
	}
	scheme := p.Creditor.Scheme()
	if err := scheme.Validate("creditor"); err != nil {
		return err
	}
	now := s.now()
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	if p.Status == "" {
		p.Status = Draft
	}
	p.CreatedAt, p.UpdatedAt = now, now
	cred, err := json.Marshal(p.Creditor)
	if err != nil {
		return err
	}
	err = store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&positionRow{}).Where("org_fiscal_code = ? AND iupd = ?", p.Creditor.FiscalCode, p.IUPD).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "iupd: position %s already exists", p.IUPD)
		}
		last, err := nextSeq(tx, p.Creditor.FiscalCode, scheme, len(p.Options))
		if err != nil {
			return err
		}
		for i := range p.Options {
			nt, err := scheme.Build(last - int64(len(p.Options)-1-i))
			if err != nil {
				return err
			}
			p.Options[i].IUV, p.Options[i].NoticeNumber = nt.IUV, nt.NoticeNumber
			p.Options[i].Status = Unpaid
		}
		row := toRow(p, string(cred))
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		// One multi-row insert per table: a TARI run stores thousands of these.
		opts := make([]optionRow, 0, len(p.Options))
		var trs []transferRow
		for i, o := range p.Options {
			opts = append(opts, optionRow{PositionID: p.ID, Seq: i, OrgFiscalCode: p.Creditor.FiscalCode, IUV: o.IUV, NoticeNumber: o.NoticeNumber,
				Amount: o.Amount, Description: o.Description, DueDate: o.DueDate.UTC(), Installment: o.Installment, Status: string(o.Status)})
			for _, t := range o.Transfers {
				trs = append(trs, transferRow{PositionID: p.ID, OptionSeq: i, IDTransfer: t.ID, Amount: t.Amount, OrgFiscalCode: t.OrganizationFiscalCode,
					CompanyName: t.CompanyName, IBAN: t.IBAN, PostalIBAN: t.PostalIBAN, Remittance: t.RemittanceInformation, Category: t.Category})
			}
		}
		if err := tx.Create(&opts).Error; err != nil {
			return err
		}
		if err := tx.Create(&trs).Error; err != nil {
			return err
		}
		return nil
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errs.E(errs.Conflict, "iupd: position %s already exists", p.IUPD)
	}
	return err
}

// nextSeq reserves n numbers of the ente's sequence for scheme and returns the
// last one. The row update is atomic on both engines, so concurrent workers
// never receive the same number.
func nextSeq(tx *gorm.DB, org string, scheme IUVScheme, n int) (int64, error) {
	if err := tx.Exec("INSERT INTO pagopa_iuv_sequences (org_fiscal_code, prefix, last) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
		org, scheme.prefix()).Error; err != nil {
		return 0, fmt.Errorf("iuv sequence: %w", err)
	}
	var last int64
	if err := tx.Raw("UPDATE pagopa_iuv_sequences SET last = last + ? WHERE org_fiscal_code = ? AND prefix = ? RETURNING last",
		n, org, scheme.prefix()).Scan(&last).Error; err != nil {
		return 0, fmt.Errorf("iuv sequence: %w", err)
	}
	if last > scheme.MaxSeq() {
		return 0, errs.E(errs.Conflict, "the IUV range of aux digit %d is exhausted for %s", scheme.AuxDigit, org)
	}
	return last, nil
}

func toRow(p *Position, cred string) positionRow {
	var pr *string
	if p.PraticaID != "" {
		pr = &p.PraticaID
	}
	return positionRow{ID: p.ID, IUPD: p.IUPD, OrgFiscalCode: p.Creditor.FiscalCode, Ente: p.Creditor.Ente, Creditor: cred,
		DebtorType: p.Debtor.Type, DebtorFiscalCode: p.Debtor.FiscalCode, DebtorName: p.Debtor.FullName, DebtorEmail: p.Debtor.Email,
		DebtorStreet: p.Debtor.StreetName, DebtorCivic: p.Debtor.CivicNumber, DebtorPostalCode: p.Debtor.PostalCode,
		DebtorCity: p.Debtor.City, DebtorProvince: p.Debtor.Province, DebtorCountry: p.Debtor.Country,
		Subject: p.Subject, ServiceID: p.ServiceID, PraticaID: pr, Status: string(p.Status), SwitchToExpired: p.SwitchToExpired,
		ValidityDate: p.ValidityDate, Synced: p.Synced, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}
