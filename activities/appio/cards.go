package appio

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Card is an identity card in the registry the expiry campaign reads.
type Card struct {
	ID         string    `gorm:"column:id;primaryKey" json:"-"`
	Ente       string    `gorm:"column:ente" json:"ente"`
	Number     string    `gorm:"column:card_number" json:"cardNumber"`
	FiscalCode string    `gorm:"column:fiscal_code" json:"fiscalCode"`
	GivenName  string    `gorm:"column:given_name" json:"givenName,omitempty"`
	ExpiresOn  string    `gorm:"column:expires_on" json:"expiresOn"` // YYYY-MM-DD, Europe/calendar.Rome
	CreatedAt  time.Time `gorm:"column:created_at" json:"-"`
}

// TableName is the identity card registry.
func (Card) TableName() string { return "appio_id_cards" }

// Recipients gives the cards of an ente expiring on a day (YYYY-MM-DD).
type Recipients interface {
	CardsExpiringOn(ctx context.Context, ente, day string) ([]Card, error)
}

// CardsExpiringOn returns the cards of ente expiring on day, by card number.
func (s *Store) CardsExpiringOn(ctx context.Context, ente, day string) ([]Card, error) {
	var out []Card
	err := s.db.WithContext(ctx).Where("ente = ? AND expires_on = ?", ente, day).Order("card_number").Find(&out).Error
	return out, err
}

// ImportResult counts the rows of an import.
type ImportResult struct {
	Added   int `json:"added"`
	Skipped int `json:"skipped"` // already in the registry
}

// ImportCards reads a CSV with the header card_number,fiscal_code,expires_on[,given_name]
// and adds the cards of ente; a card already present is skipped. Every bad row is
// reported at once and nothing is written then.
func (s *Store) ImportCards(ctx context.Context, ente string, r io.Reader) (ImportResult, error) {
	cr := csv.NewReader(io.LimitReader(r, 16<<20))
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return ImportResult{}, errs.Field("csv", "has no header row")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var fe []errs.FieldError
	for _, need := range []string{"card_number", "fiscal_code", "expires_on"} {
		if _, ok := col[need]; !ok {
			fe = append(fe, errs.FieldError{Field: "csv.header", Message: "misses the column " + need})
		}
	}
	if len(fe) > 0 {
		return ImportResult{}, errs.Fields(fe)
	}
	var cards []Card
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ImportResult{}, errs.Field(fmt.Sprintf("csv[%d]", line), "%v", err)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := Card{Ente: ente, Number: get("card_number"), FiscalCode: strings.ToUpper(get("fiscal_code")), GivenName: get("given_name"), ExpiresOn: get("expires_on")}
		f := fmt.Sprintf("csv[%d]", line)
		if c.Number == "" {
			fe = append(fe, errs.FieldError{Field: f + ".card_number", Message: "is required"})
		}
		if err := CheckFiscalCode(c.FiscalCode); err != nil {
			fe = append(fe, errs.FieldError{Field: f + ".fiscal_code", Message: err.(*errs.Error).Message})
		}
		if _, err := time.Parse(time.DateOnly, c.ExpiresOn); err != nil {
			fe = append(fe, errs.FieldError{Field: f + ".expires_on", Message: "must be a date YYYY-MM-DD"})
		}
		cards = append(cards, c)
	}
	if err := errs.Fields(fe); err != nil {
		return ImportResult{}, err
	}
	return s.addCards(ctx, cards)
}

func (s *Store) addCards(ctx context.Context, cards []Card) (ImportResult, error) {
	var res ImportResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, c := range cards {
			c.ID, c.CreatedAt = uuid.NewString(), s.now().UTC()
			r := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "ente"}, {Name: "card_number"}}, DoNothing: true}).Create(&c)
			if r.Error != nil {
				return r.Error
			}
			if r.RowsAffected == 1 {
				res.Added++
			} else {
				res.Skipped++
			}
		}
		return nil
	})
	return res, errs.Wrap(err, "import identity cards")
}

// SeedDemoCards adds a few cards of Comune di Trieste expiring 30, 60 and 90
// days after today, so the reminder campaign has someone to remind in the demo.
func (s *Store) SeedDemoCards(ctx context.Context, today time.Time) (ImportResult, error) {
	day := func(n int) string { return today.In(calendar.Rome).AddDate(0, 0, n).Format(time.DateOnly) }
	return s.addCards(ctx, []Card{
		{Ente: "c_l424", Number: "CA00000AA", FiscalCode: "RSSMRA80A01L424F", GivenName: "Mario", ExpiresOn: day(30)},
		{Ente: "c_l424", Number: "CA00001AA", FiscalCode: "BNCLRA85M41L424K", GivenName: "Laura", ExpiresOn: day(30)},
		{Ente: "c_l424", Number: "CA00002AA", FiscalCode: "VRDGPP70C15L424V", GivenName: "Giuseppe", ExpiresOn: day(60)},
		{Ente: "c_l424", Number: "CA00003AA", FiscalCode: "NREFNC92T50L424R", GivenName: "Francesca", ExpiresOn: day(90)},
	})
}
