package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// Kinds of ente.
const (
	KindComune  = "comune"
	KindUnione  = "unione"
	KindRegion  = "regione"
	KindOtherPA = "altro"
)

// Account is a bank or postal account of an ente, where pagoPA credits payments.
type Account struct {
	IBAN   string `json:"iban"`
	Label  string `json:"label,omitempty"`
	Postal bool   `json:"postal,omitempty"`
}

// Ente is the master data of an ente: who it is for pagoPA and where its money goes.
type Ente struct {
	ID         string `json:"id"` // IPA code, e.g. c_l424
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	FiscalCode string `json:"fiscalCode"`
	// AuxDigit is the first digit of the notice number: 0 with ApplicationCode, 3 with SegregationCode.
	AuxDigit        string    `json:"auxDigit"`
	SegregationCode string    `json:"segregationCode,omitempty"`
	ApplicationCode string    `json:"applicationCode,omitempty"`
	Accounts        []Account `json:"accounts"`
	// Intermediary is the pagoPA technological intermediary, e.g. FVG-Pay, by its codice fiscale.
	Intermediary string `json:"intermediary,omitempty"`
	// Intermediaries are further intermediaries the ente issues through (a
	// tax concessionaire's), each with its own segregation code.
	Intermediaries []Intermediary `json:"intermediaries,omitempty"`
	// PatronDay is the day of the patron saint, "MM-DD" (e.g. "11-03", San
	// Giusto in Trieste): a local holiday that working-day terms skip.
	PatronDay string    `json:"patronDay,omitempty"`
	Revision  int64     `json:"revision"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// ETag is the entity tag of the stored ente, for If-Match.
func (e *Ente) ETag() string { return fmt.Sprintf(`"%s.%d"`, e.ID, e.Revision) }

// HasIBAN reports whether iban is one of the ente's accounts.
func (e *Ente) HasIBAN(iban string) bool {
	for _, a := range e.Accounts {
		if a.IBAN == iban {
			return true
		}
	}
	return false
}

var (
	ipaRE     = regexp.MustCompile(`^[a-z0-9_]{2,20}$`)
	twoDigits = regexp.MustCompile(`^[0-9]{2}$`)
)

// Validate checks the ente's fields all at once, naming each bad one.
func (e *Ente) Validate() error {
	var fe []errs.FieldError
	add := func(f, msg string, a ...any) {
		fe = append(fe, errs.FieldError{Field: f, Message: fmt.Sprintf(msg, a...)})
	}
	if !ipaRE.MatchString(e.ID) {
		add("id", "must be the IPA code: lower-case letters, digits and underscores")
	}
	if e.Name == "" {
		add("name", "is required")
	}
	switch e.Kind {
	case KindComune, KindUnione, KindRegion, KindOtherPA:
	default:
		add("kind", "must be one of comune, unione, regione, altro")
	}
	if f := fieldErr("fiscalCode", CheckLegalFiscalCode(e.FiscalCode)); f != nil {
		fe = append(fe, *f)
	}
	switch e.AuxDigit {
	case "0":
		if !twoDigits.MatchString(e.ApplicationCode) {
			add("applicationCode", "must be two digits when the aux digit is 0")
		}
	case "3":
		if !twoDigits.MatchString(e.SegregationCode) {
			add("segregationCode", "must be two digits when the aux digit is 3")
		}
	case "1", "2":
	default:
		add("auxDigit", "must be 0, 1, 2 or 3")
	}
	seen := map[string]bool{}
	for i, a := range e.Accounts {
		if f := fieldErr(fmt.Sprintf("accounts[%d].iban", i), CheckIBAN(a.IBAN)); f != nil {
			fe = append(fe, *f)
		} else if seen[a.IBAN] {
			add(fmt.Sprintf("accounts[%d].iban", i), "is listed twice")
		}
		seen[a.IBAN] = true
	}
	if e.Intermediary != "" {
		if f := fieldErr("intermediary", CheckLegalFiscalCode(e.Intermediary)); f != nil {
			fe = append(fe, *f)
		}
	}
	fe = append(fe, e.checkIntermediaries()...)
	if e.PatronDay != "" && !validMonthDay(e.PatronDay) {
		add("patronDay", "must be a day of the year as MM-DD, e.g. 11-03")
	}
	return errs.Fields(fe)
}

// validMonthDay reports whether s is MM-DD of a real day (29 February included).
func validMonthDay(s string) bool {
	_, err := time.Parse("2006-01-02", "2024-"+s) // a leap year
	return len(s) == 5 && err == nil
}

type enteRow struct {
	ID              string    `gorm:"column:id;primaryKey"`
	Name            string    `gorm:"column:name"`
	Kind            string    `gorm:"column:kind"`
	FiscalCode      string    `gorm:"column:fiscal_code"`
	AuxDigit        string    `gorm:"column:aux_digit"`
	SegregationCode string    `gorm:"column:segregation_code"`
	ApplicationCode string    `gorm:"column:application_code"`
	Accounts        string    `gorm:"column:accounts"`
	Intermediary    string    `gorm:"column:intermediary"`
	Intermediaries  string    `gorm:"column:intermediaries"`
	PatronDay       string    `gorm:"column:patron_day"`
	Revision        int64     `gorm:"column:revision"`
	CreatedAt       time.Time `gorm:"column:created_at"`
	UpdatedAt       time.Time `gorm:"column:updated_at"`
}

func (enteRow) TableName() string { return "catalog_enti" }

func (r *enteRow) ente() (*Ente, error) {
	e := &Ente{ID: r.ID, Name: r.Name, Kind: r.Kind, FiscalCode: r.FiscalCode, AuxDigit: r.AuxDigit,
		SegregationCode: r.SegregationCode, ApplicationCode: r.ApplicationCode, Intermediary: r.Intermediary,
		PatronDay: r.PatronDay, Revision: r.Revision, UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Accounts), &e.Accounts); err != nil {
		return nil, fmt.Errorf("decode accounts of %s: %w", r.ID, err)
	}
	if err := decodeIntermediaries(r.Intermediaries, e); err != nil {
		return nil, err
	}
	return e, nil
}

// GetEnte returns one ente.
func (s *Store) GetEnte(ctx context.Context, id string) (*Ente, error) {
	var r enteRow
	err := s.conn(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "ente %s does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load ente %s: %w", id, err)
	}
	return r.ente()
}

// ListEnti returns every ente by id.
func (s *Store) ListEnti(ctx context.Context) ([]Ente, error) {
	var rows []enteRow
	if err := s.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list enti: %w", err)
	}
	out := make([]Ente, 0, len(rows))
	for i := range rows {
		e, err := rows[i].ente()
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, nil
}

// PutEnte creates (ifMatch 0) or updates (ifMatch the stored revision, or
// AnyRevision or Unconditional) an ente's master data.
func (s *Store) PutEnte(ctx context.Context, e Ente, ifMatch int64) (*Ente, error) {
	for i := range e.Accounts {
		e.Accounts[i].IBAN = NormalizeIBAN(e.Accounts[i].IBAN)
	}
	if e.Accounts == nil {
		e.Accounts = []Account{}
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	acc, _ := json.Marshal(e.Accounts)
	var out *Ente
	err := s.tx(ctx, func(ts *Store) error {
		cur, err := ts.GetEnte(ctx, e.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		k := kind{name: "ente"}
		var row *defRow
		if cur != nil {
			row = &defRow{Revision: cur.Revision}
		}
		if err := precondition(k, e.ID, row, ifMatch); err != nil {
			return err
		}
		now := s.now()
		r := enteRow{ID: e.ID, Name: e.Name, Kind: e.Kind, FiscalCode: e.FiscalCode, AuxDigit: e.AuxDigit,
			SegregationCode: e.SegregationCode, ApplicationCode: e.ApplicationCode, Accounts: string(acc),
			Intermediary: e.Intermediary, Intermediaries: encodeIntermediaries(e.Intermediaries), PatronDay: e.PatronDay, Revision: 1, CreatedAt: now, UpdatedAt: now}
		if cur != nil {
			c := *cur
			c.Revision, c.UpdatedAt, e.Revision, e.UpdatedAt = 0, time.Time{}, 0, time.Time{}
			if same, _ := equalJSON(c, e); same {
				out = cur
				return nil
			}
			if err := ts.checkAccountsKept(ctx, cur, &e); err != nil {
				return err
			}
			r.Revision = cur.Revision + 1
			err = ts.conn(ctx).Model(&enteRow{}).Where("id = ?", e.ID).
				Select("name", "kind", "fiscal_code", "aux_digit", "segregation_code", "application_code", "accounts", "intermediary", "intermediaries", "patron_day", "revision", "updated_at").
				Updates(&r).Error
		} else {
			err = ts.conn(ctx).Create(&r).Error
		}
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return errs.Field("fiscalCode", "%s belongs to another ente", e.FiscalCode)
		}
		if err != nil {
			return fmt.Errorf("save ente %s: %w", e.ID, err)
		}
		out, err = r.ente()
		return err
	})
	return out, err
}

func equalJSON(a, b any) (bool, error) {
	x, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	y, err := json.Marshal(b)
	return string(x) == string(y), err
}

// checkAccountsKept refuses to remove an account a service of the ente still
// credits its payments to.
func (s *Store) checkAccountsKept(ctx context.Context, cur, next *Ente) error {
	var gone []string
	for _, a := range cur.Accounts {
		if !next.HasIBAN(a.IBAN) {
			gone = append(gone, a.IBAN)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	services, err := s.ListServices(ctx, ServiceFilter{Ente: cur.ID})
	if err != nil {
		return err
	}
	var fe []errs.FieldError
	for _, iban := range gone {
		for _, sv := range services {
			for i, p := range sv.Payments {
				if p.IBAN == iban {
					fe = append(fe, errs.FieldError{Field: "accounts", Message: fmt.Sprintf(
						"%s is the account of %s payments[%d]: change the service first", iban, sv.ID, i)})
				}
			}
		}
	}
	return errs.Fields(fe)
}
