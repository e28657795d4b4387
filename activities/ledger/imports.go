package ledger

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/errs"
)

// ImportResult says what an import changed: nothing, when the same flow or
// journal comes again.
type ImportResult struct {
	Kind    string `json:"kind"` // fdr or giornale
	Ente    string `json:"ente"`
	ID      string `json:"id"` // flow id or journal id
	Added   int    `json:"added"`
	Skipped int    `json:"skipped"`
	// Replaced says a later revision of a flow replaced the one imported before.
	Replaced bool `json:"replaced,omitempty"`
}

// ImportFDRXML parses and imports a FlussoRiversamento document. ente is the
// caller's ente, or "" for a machine client of the intermediary.
func (s *Service) ImportFDRXML(ctx context.Context, ente string, r io.Reader) (ImportResult, error) {
	f, err := fdr.ParseXML(r)
	if err != nil {
		return ImportResult{}, err
	}
	return s.ImportFlow(ctx, ente, f, "xml")
}

// ImportFDRJSON imports a flow read from the FdR API: the flow and its payment pages.
func (s *Service) ImportFDRJSON(ctx context.Context, ente string, flow io.Reader, pages ...io.Reader) (ImportResult, error) {
	f, err := fdr.ParseJSON(flow, pages...)
	if err != nil {
		return ImportResult{}, err
	}
	return s.ImportFlow(ctx, ente, f, "json")
}

// ImportFlow stores a validated flow once. The same flow again is a no-op; a
// different flow under an id already imported is a conflict, never an overwrite.
func (s *Service) ImportFlow(ctx context.Context, ente string, f *fdr.Flow, source string) (ImportResult, error) {
	owner, err := s.owner(ctx, ente, f.Receiver, "istitutoRicevente.identificativoUnivocoRicevente.codiceIdentificativoUnivoco")
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Kind: "fdr", Ente: owner, ID: f.ID}
	row := flowRow{ID: uuid.NewString(), Ente: owner, EnteCF: f.Receiver, FlowID: f.ID, Revision: f.Revision, PSP: f.PSP,
		PSPName: f.PSPName, FlowDate: f.Date.UTC(), Regulation: f.Regulation, RegulationDate: f.RegulationDate,
		Payments: f.Count, Total: f.Total, Digest: digest(f), Source: source, ImportedAt: s.now()}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "ente_cf"}, {Name: "flow_id"}}, DoNothing: true}).Create(&row)
		if ins.Error != nil {
			return ins.Error
		}
		if ins.RowsAffected == 0 {
			var prev flowRow
			if err := tx.Where("ente_cf = ? AND flow_id = ?", f.Receiver, f.ID).Take(&prev).Error; err != nil {
				return err
			}
			switch {
			case prev.Digest == row.Digest:
				res.Skipped = len(f.Lines)
				return nil
			case f.Revision <= prev.Revision:
				return &errs.Error{Code: errs.Conflict, Reason: "fdr_changed",
					Message: fmt.Sprintf("flow %s revision %d was already imported with different content", f.ID, prev.Revision)}
			}
			// A later revision of the flow replaces the earlier one: the node
			// keeps only the last published revision.
			row.ID = prev.ID
			if err := tx.Where("flow_id = ?", prev.ID).Delete(&flowLineRow{}).Error; err != nil {
				return err
			}
			if err := tx.Model(&flowRow{}).Where("id = ?", prev.ID).Select("*").Omit("id").Updates(&row).Error; err != nil {
				return err
			}
			res.Replaced = true
		}
		lines := make([]flowLineRow, len(f.Lines))
		for i, l := range f.Lines {
			lines[i] = flowLineRow{FlowID: row.ID, Idx: i + 1, IUV: l.IUV, IUR: l.IUR, TransferIndex: l.Index, Amount: l.Amount, Outcome: l.Outcome, PaidOn: l.Date}
		}
		res.Added = len(lines)
		return tx.CreateInBatches(lines, 500).Error
	})
	if err != nil {
		return ImportResult{}, errs.Wrap(err, "import flow %s", f.ID)
	}
	s.log().Info("fdr imported", "ente", owner, "flow", f.ID, "added", res.Added, "skipped", res.Skipped)
	return res, nil
}

// ImportOPIXML parses and imports a giornale di cassa in OPI XML.
func (s *Service) ImportOPIXML(ctx context.Context, ente string, r io.Reader) (ImportResult, error) {
	j, err := opi.ParseXML(r)
	if err != nil {
		return ImportResult{}, err
	}
	return s.ImportJournal(ctx, ente, j)
}

// ImportOPICSV parses and imports a giornale di cassa in CSV.
func (s *Service) ImportOPICSV(ctx context.Context, ente string, r io.Reader) (ImportResult, error) {
	j, err := opi.ParseCSV(r)
	if err != nil {
		return ImportResult{}, err
	}
	return s.ImportJournal(ctx, ente, j)
}

// ImportJournal stores each movement once, keyed by its identity in the
// journal, so a resent or overlapping journal adds only what is new.
func (s *Service) ImportJournal(ctx context.Context, ente string, j *opi.Journal) (ImportResult, error) {
	owner, err := s.owner(ctx, ente, j.EnteCF, "testata_messaggio.codice_fiscale_ente")
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Kind: "giornale", Ente: owner, ID: j.FlowID}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, m := range j.Movements {
			row := movementRow{ID: uuid.NewString(), Ente: owner, EnteCF: j.EnteCF, JournalID: j.FlowID, MoveKey: m.Key(j),
				Account: m.Account, Direction: m.Direction, DocType: m.DocType, Operation: m.Operation, Number: m.Number,
				Amount: m.Amount, BookedOn: m.BookedOn, Customer: m.Customer, Causale: m.Causale, ImportedAt: s.now()}
			if m.Direction == opi.Entrata {
				row.FlowRef, row.IUVRef = FlowRef(m.Causale), IUVRef(m.Causale)
			}
			ins := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "move_key"}}, DoNothing: true}).Create(&row)
			if ins.Error != nil {
				return ins.Error
			}
			if ins.RowsAffected == 1 {
				res.Added++
			} else {
				res.Skipped++
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, errs.Wrap(err, "import giornale %s", j.FlowID)
	}
	s.log().Info("giornale di cassa imported", "ente", owner, "journal", j.FlowID, "added", res.Added, "skipped", res.Skipped)
	return res, nil
}

// owner resolves the ente a document belongs to and refuses a document of
// another ente than the caller's.
func (s *Service) owner(ctx context.Context, ente, fiscalCode, field string) (string, error) {
	owner, err := s.Entes.ByFiscalCode(ctx, fiscalCode)
	if errs.Is(err, errs.NotFound) {
		return "", errs.Field(field, "no ente has fiscal code %s", fiscalCode)
	}
	if err != nil {
		return "", err
	}
	if ente != "" && ente != owner {
		return "", &errs.Error{Code: errs.Forbidden, Reason: "other_ente", Message: "the document belongs to another ente (" + owner + ")"}
	}
	return owner, nil
}
