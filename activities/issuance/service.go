package issuance

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// Enti finds an ente's pagoPA configuration; *catalog.Store implements it.
type Enti interface {
	GetEnte(ctx context.Context, id string) (*catalog.Ente, error)
}

// Engine starts a campaign's workflow and sends it updates; *Launcher
// implements it with the Temporal client.
type Engine interface {
	Start(ctx context.Context, campaignID string) error
	Update(ctx context.Context, campaignID, name string) (Status, error)
}

// Service is what the API does with campaigns.
type Service struct {
	Store  *Store
	Enti   Enti
	Engine Engine
	// Taxonomy, when set, checks each component's category against the
	// national taxonomy: a code that does not exist would fail every row at GPD.
	Taxonomy pagopa.TaxonomyChecker
	Now      func() time.Time
}

// Create validates plan and stores a draft campaign of ente, with the ente's
// creditor data from the catalog. A component credited to the ente itself
// must go to one of its accounts.
func (s *Service) Create(ctx context.Context, ente, by string, plan Plan) (*Campaign, error) {
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	e, err := s.Enti.GetEnte(ctx, ente)
	if err != nil {
		return nil, err
	}
	aux, _ := strconv.Atoi(e.AuxDigit)
	cr := pagopa.Creditor{Ente: e.ID, FiscalCode: e.FiscalCode, Name: e.Name, AuxDigit: aux, ApplicationCode: e.ApplicationCode, SegregationCode: e.SegregationCode}
	for _, a := range e.Accounts {
		if a.Postal && cr.PostalIBAN == "" {
			cr.PostalIBAN = a.IBAN
		} else if !a.Postal && cr.IBAN == "" {
			cr.IBAN = a.IBAN
		}
	}
	if cr.IBAN == "" {
		cr.IBAN = cr.PostalIBAN
	}
	fe := throughIntermediary(e, plan.Intermediary, &cr)
	for i, c := range plan.Components {
		if c.Beneficiary.FiscalCode == e.FiscalCode && !e.HasIBAN(c.Beneficiary.IBAN) {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("plan.components[%d].beneficiary.iban", i),
				Message: "is not an account of " + e.Name + " / non è un conto dell'ente"})
		}
	}
	if s.Taxonomy != nil {
		now := time.Now()
		if s.Now != nil {
			now = s.Now()
		}
		for i, c := range plan.Components {
			if err := s.Taxonomy.Check(ctx, c.Category, now); err != nil {
				if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.NotFound) {
					return nil, fmt.Errorf("taxonomy %s: %w", c.Category, err)
				}
				fe = append(fe, errs.FieldError{Field: fmt.Sprintf("plan.components[%d].category", i), Message: errText(err)})
			}
		}
	}
	if err := errs.Fields(fe); err != nil {
		return nil, err
	}
	if plan.Lang == "" {
		plan.Lang = "it"
	}
	c := &Campaign{ID: uuid.NewString(), Ente: e.ID, OrgFiscalCode: e.FiscalCode, Plan: plan, Creditor: cr, CreatedBy: by}
	if err := s.Store.Create(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Upload reads a roll (format "csv" or "json") into a draft campaign, in
// place of any earlier one, and returns its dry run. Rows with problems are
// refused with every problem listed; a debtor already in another campaign of
// the same tax and year is refused too, so re-uploading a roll never issues
// anyone twice. Nothing is issued until Confirm.
func (s *Service) Upload(ctx context.Context, c *Campaign, format string, body io.Reader) (*DryRun, error) {
	if c.Status != Draft {
		return nil, errs.E(errs.Conflict, "campaign %s is %s: a roll can be uploaded only to a draft / ruolo caricabile solo in bozza", c.ID, c.Status)
	}
	var rows []Row
	var err error
	switch format {
	case "csv":
		rows, err = ParseCSV(body, &c.Plan)
	case "json":
		rows, err = ParseJSON(body)
	default:
		err = errs.Field("Content-Type", "must be text/csv or application/json / deve essere text/csv o application/json")
	}
	if err != nil {
		return nil, err
	}
	refused := Check(rows, &c.Plan)
	if format == "json" {
		for i := range refused {
			refused[i].Field = jsonField(refused[i].Line, refused[i].Field)
		}
	}
	bad := map[int]bool{}
	for _, e := range refused {
		bad[e.Line] = true
	}
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		if !bad[r.Line] {
			codes = append(codes, r.Debtor.FiscalCode)
		}
	}
	taken, err := s.Store.Taken(ctx, c.Ente, c.Plan.Tax, c.Plan.Year, codes, c.ID)
	if err != nil {
		return nil, err
	}
	valid := make([]Row, 0, len(codes))
	for _, r := range rows {
		if bad[r.Line] {
			continue
		}
		if where, ok := taken[r.Debtor.FiscalCode]; ok {
			refused = append(refused, RowError{Line: r.Line, Field: ColFiscalCode,
				Message: fmt.Sprintf("already in campaign %s for %s %d / già in un'altra campagna", where, c.Plan.Tax, c.Plan.Year)})
			continue
		}
		valid = append(valid, r)
	}
	sort.SliceStable(refused, func(i, j int) bool { return refused[i].Line < refused[j].Line })
	dry := Totals(&c.Plan, valid, refused)
	if err := s.Store.ReplaceRoll(ctx, c, valid, refused, dry); err != nil {
		return nil, err
	}
	return &dry, nil
}

// Confirm starts issuing a draft campaign with rows (or takes up a cancelled
// one's rows still pending). The workflow is started first: its id is the
// campaign's, so a repeated confirm finds it, and it records the state itself.
func (s *Service) Confirm(ctx context.Context, c *Campaign) (*Campaign, error) {
	switch {
	case c.Status != Draft && c.Status != Cancelled:
		return nil, errs.E(errs.Conflict, "campaign %s is %s: only a draft can be confirmed / solo una bozza si conferma", c.ID, c.Status)
	case c.Rows == 0:
		return nil, errs.E(errs.Conflict, "campaign %s has no valid rows: upload a roll first / nessuna riga valida", c.ID)
	}
	if err := s.Engine.Start(ctx, c.ID); err != nil {
		return nil, err
	}
	if err := s.Store.SetStatus(ctx, c.ID, Issuing); err != nil {
		return nil, err
	}
	return s.Store.Get(ctx, c.ID)
}

// Retry puts the rows whose positions failed back to pending and issues them
// again: only those, since every other row is issued or pending already.
func (s *Service) Retry(ctx context.Context, c *Campaign) (*Campaign, error) {
	if c.Status == Draft {
		return nil, errs.E(errs.Conflict, "campaign %s is a draft: confirm it / la campagna è in bozza", c.ID)
	}
	n, err := s.Store.RetryFailed(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if n > 0 && c.Status != Paused {
		if err := s.Engine.Start(ctx, c.ID); err != nil {
			return nil, err
		}
		if err := s.Store.SetStatus(ctx, c.ID, Issuing); err != nil {
			return nil, err
		}
	}
	return s.Store.Get(ctx, c.ID)
}

// Act pauses, resumes or cancels a campaign being issued.
func (s *Service) Act(ctx context.Context, c *Campaign, action string) (*Campaign, error) {
	var name string
	switch strings.ToLower(action) {
	case "pause":
		name = PauseUpdate
	case "resume":
		name = ResumeUpdate
	case "cancel":
		name = CancelUpdate
	default:
		return nil, errs.Field("action", "must be pause, resume or cancel")
	}
	if c.Status != Issuing && c.Status != Paused {
		return nil, errs.E(errs.Conflict, "campaign %s is %s: nothing to %s / niente da fare", c.ID, c.Status, action)
	}
	if _, err := s.Engine.Update(ctx, c.ID, name); err != nil {
		return nil, err
	}
	return s.Store.Get(ctx, c.ID)
}

// jsonField names a row's field as a JSON path of the roll, for a JSON upload.
func jsonField(line int, col string) string {
	path := map[string]string{ColYear: "taxYear", ColType: "debtor.type", ColFiscalCode: "debtor.fiscalCode", ColName: "debtor.name",
		ColAddress: "debtor.address", "amount": "components"}[col]
	if path == "" {
		path = "components"
		if code, ok := strings.CutSuffix(col, "_amount"); ok {
			path = "components[" + strings.ToUpper(code) + "].amount"
		} else if code, field, ok := strings.Cut(col, "_"); ok {
			path = "components[" + strings.ToUpper(code) + "].account." + field
		}
	}
	return fmt.Sprintf("rows[%d].%s", line-1, path)
}
