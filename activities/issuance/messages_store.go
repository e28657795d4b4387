package issuance

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/errs"
)

// messageRow is one App IO message of a campaign: debtor × kind × installment.
type messageRow struct {
	CampaignID   string    `gorm:"column:campaign_id;primaryKey"`
	FiscalCode   string    `gorm:"column:fiscal_code;primaryKey"`
	Kind         string    `gorm:"column:kind;primaryKey"`
	Installment  int       `gorm:"column:installment;primaryKey"`
	Line         int       `gorm:"column:line"`
	NoticeNumber string    `gorm:"column:notice_number"`
	Status       string    `gorm:"column:status"`
	IOMessageID  string    `gorm:"column:io_message_id"`
	Error        string    `gorm:"column:error"`
	UpdatedAt    time.Time `gorm:"column:updated_at"`
}

// TableName is the campaign messages table.
func (messageRow) TableName() string { return "issuance_messages" }

// recipient is an issued debtor with the options of its position.
type recipient struct {
	Line       int
	FiscalCode string
	Name       string
	Options    []OptionState
}

// recipients returns up to size issued debtors after line, in line order,
// that have no settled message of kind and installment yet (those left in
// sending by an earlier attempt included), each with its options as they
// stand now (paid or not). Settled debtors are skipped by the query, so a
// pass over a campaign already done reads nothing.
func (s *Store) recipients(ctx context.Context, id, kind string, inst, after, size int) ([]recipient, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT r.line, r.fiscal_code, r.name, o.notice_number, o.amount, o.due_date, o.installment, o.status
		FROM (SELECT x.line, x.fiscal_code, x.name, x.position_id FROM issuance_rows x
		      WHERE x.campaign_id = ? AND x.status = ? AND x.line > ? AND NOT EXISTS (SELECT 1 FROM issuance_messages m
		        WHERE m.campaign_id = x.campaign_id AND m.fiscal_code = x.fiscal_code AND m.kind = ? AND m.installment = ? AND m.status <> ?)
		      ORDER BY x.line LIMIT ?) r
		JOIN pagopa_options o ON o.position_id = r.position_id ORDER BY r.line, o.seq`, id, RowIssued, after, kind, inst, string(MsgSending), size).Rows()
	if err != nil {
		return nil, errs.Wrap(err, "read recipients of %s", id)
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var (
			line     int
			cf, name string
			status   string
			o        OptionState
		)
		if err := rows.Scan(&line, &cf, &name, &o.NoticeNumber, &o.Amount, &o.DueDate, &o.Installment, &status); err != nil {
			return nil, errs.Wrap(err, "read recipients of %s", id)
		}
		o.DueDate, o.Paid = o.DueDate.UTC(), status == "PO_PAID"
		if n := len(out); n == 0 || out[n-1].Line != line {
			out = append(out, recipient{Line: line, FiscalCode: cf, Name: name})
		}
		out[len(out)-1].Options = append(out[len(out)-1].Options, o)
	}
	return out, errs.Wrap(rows.Err(), "read recipients of %s", id)
}

// messageStates returns the stored status of the messages of kind and
// installment to codes: code → status.
func (s *Store) messageStates(ctx context.Context, id, kind string, inst int, codes []string) (map[string]MessageStatus, error) {
	out := map[string]MessageStatus{}
	for start := 0; start < len(codes); start += 500 {
		var rows []messageRow
		err := s.db.WithContext(ctx).Select("fiscal_code, status").Where("campaign_id = ? AND kind = ? AND installment = ? AND fiscal_code IN ?",
			id, kind, inst, codes[start:min(start+500, len(codes))]).Find(&rows).Error
		if err != nil {
			return nil, errs.Wrap(err, "read messages of %s", id)
		}
		for _, r := range rows {
			out[r.FiscalCode] = MessageStatus(r.Status)
		}
	}
	return out, nil
}

// claim inserts the message row unless one exists: true means this attempt
// owns the message and may call IO.
func (s *Store) claim(ctx context.Context, m *messageRow) (bool, error) {
	m.UpdatedAt = s.now()
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(m)
	if res.Error != nil {
		return false, errs.Wrap(res.Error, "record message of line %d", m.Line)
	}
	return res.RowsAffected == 1, nil
}

// settle records what became of a message that was being sent (or was left
// uncertain by an earlier attempt: a late answer settles it too).
func (s *Store) settle(ctx context.Context, m *messageRow, st MessageStatus, ioID, reason string) error {
	err := s.db.WithContext(ctx).Model(&messageRow{}).
		Where("campaign_id = ? AND fiscal_code = ? AND kind = ? AND installment = ? AND status IN ?", m.CampaignID, m.FiscalCode, m.Kind, m.Installment,
			[]string{string(MsgSending), string(MsgUnknown)}).
		Updates(map[string]any{"status": string(st), "io_message_id": ioID, "error": reason, "updated_at": s.now()}).Error
	return errs.Wrap(err, "record message of line %d", m.Line)
}

// release deletes a claim whose call IO answered without creating the
// message (429, 5xx), so a later attempt sends it.
func (s *Store) release(ctx context.Context, m *messageRow) error {
	err := s.db.WithContext(ctx).Where("campaign_id = ? AND fiscal_code = ? AND kind = ? AND installment = ? AND status = ?",
		m.CampaignID, m.FiscalCode, m.Kind, m.Installment, string(MsgSending)).Delete(&messageRow{}).Error
	return errs.Wrap(err, "release message of line %d", m.Line)
}

// markUnknown turns the claims an earlier attempt left in sending (it ended
// without recording IO's answer) into unknown: never sent again by itself.
func (s *Store) markUnknown(ctx context.Context, id, kind string, inst int, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Model(&messageRow{}).
		Where("campaign_id = ? AND kind = ? AND installment = ? AND status = ? AND fiscal_code IN ?", id, kind, inst, string(MsgSending), codes).
		Updates(map[string]any{"status": string(MsgUnknown), "error": "an earlier attempt ended without IO's answer / esito non registrato", "updated_at": s.now()}).Error
	return errs.Wrap(err, "mark uncertain messages of %s", id)
}

// MessageCount is how many messages of a kind and installment are in a status.
type MessageCount struct {
	Kind        string        `json:"kind"`
	Installment int           `json:"installment"`
	Status      MessageStatus `json:"status"`
	Count       int           `json:"count"`
}

// MessageCounts counts campaign id's App IO messages by kind, installment and status.
func (s *Store) MessageCounts(ctx context.Context, id string) ([]MessageCount, error) {
	var out []MessageCount
	err := s.db.WithContext(ctx).Model(&messageRow{}).Select("kind, installment, status, COUNT(*) AS count").
		Where("campaign_id = ?", id).Group("kind, installment, status").Order("kind, installment, status").Scan(&out).Error
	return out, errs.Wrap(err, "count messages of %s", id)
}

// PaperDebtor is a debtor the campaign's notice could not reach on App IO:
// the notice goes on paper.
type PaperDebtor struct {
	Line       int           `json:"line"`
	FiscalCode string        `json:"fiscalCode"`
	Name       string        `json:"name"`
	Address    string        `json:"address"`
	Status     MessageStatus `json:"status"`
	Reason     string        `json:"reason,omitempty"`
}

// EachPaperDebtor streams, in line order, the debtors whose notice did not go
// through App IO: not on IO, the service disabled, refused by IO, or unknown
// (an attempt ended between the call and its record: the message may never
// have arrived, and a paper notice as well is better than none).
func (s *Store) EachPaperDebtor(ctx context.Context, id string, f func(*PaperDebtor) error) error {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT m.line, m.fiscal_code, r.name, r.address, m.status, m.error
		FROM issuance_messages m JOIN issuance_rows r ON r.campaign_id = m.campaign_id AND r.line = m.line
		WHERE m.campaign_id = ? AND m.kind = ? AND m.status IN ? ORDER BY m.line`, id, KindNotice,
		[]string{string(MsgNotOnIO), string(MsgDisabled), string(MsgFailed), string(MsgUnknown)}).Rows()
	if err != nil {
		return errs.Wrap(err, "read paper debtors of %s", id)
	}
	defer rows.Close()
	for rows.Next() {
		var d PaperDebtor
		var reason sql.NullString
		if err := rows.Scan(&d.Line, &d.FiscalCode, &d.Name, &d.Address, &d.Status, &reason); err != nil {
			return errs.Wrap(err, "read paper debtors of %s", id)
		}
		d.Reason = reason.String
		if err := f(&d); err != nil {
			return err
		}
	}
	return errs.Wrap(rows.Err(), "read paper debtors of %s", id)
}
