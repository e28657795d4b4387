package catalog

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Taxonomy is the official pagoPA taxonomy, version 33 (pagopa/pagopa-api,
// taxonomy/tassonomia.json at 440f484), loaded by the demo seed.
//
//go:embed data/tassonomia.json
var Taxonomy []byte

//go:embed data/c_l424_organigramma.csv
var triesteOrg []byte

// Demo enti: IPA codes shared by every area of Sportello.
const (
	Trieste = "c_l424"
	Medea   = "c_f081"
	FVG     = "r_friuve"
)

// seedName marks the catalog seed in demo_seeds.
const seedName = "catalog"

// Seed loads the demo catalog: the taxonomy, enti and their organisation, the
// business catalog concepts, the regional procedimenti and service types and
// the enti's services (Trieste and Medea side by side). It runs once: a second
// call finds its mark and does nothing, and every step is idempotent anyway.
func Seed(ctx context.Context, db *gorm.DB) error {
	var n int64
	if err := db.WithContext(ctx).Table("demo_seeds").Where("name = ?", seedName).Count(&n).Error; err != nil {
		return fmt.Errorf("catalog seed: %w", err)
	}
	s := NewStore(db)
	// The crests came after the first seeds: every start gives the demo enti
	// theirs when they have none yet.
	if n > 0 {
		return s.seedCrests(ctx)
	}
	// One transaction: a seed that fails half-way leaves nothing behind.
	err := s.tx(ctx, func(ts *Store) error {
		if err := seedAll(ctx, ts); err != nil {
			return err
		}
		mark := map[string]any{"name": seedName, "applied_at": time.Now().UTC()}
		return ts.conn(ctx).Table("demo_seeds").Clauses(clause.OnConflict{DoNothing: true}).Create(mark).Error
	})
	if err != nil {
		return fmt.Errorf("catalog seed: %w", err)
	}
	s.log.Info("catalog seeded")
	return s.seedCrests(ctx)
}

func seedAll(ctx context.Context, s *Store) error {
	versions, err := s.TaxonomyVersions(ctx)
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		if _, err := s.ImportTaxonomy(ctx, Taxonomy); err != nil {
			return fmt.Errorf("taxonomy: %w", err)
		}
	}
	for _, e := range seedEnti() {
		if _, err := s.PutEnte(ctx, e, Unconditional); err != nil {
			return fmt.Errorf("ente %s: %w", e.ID, err)
		}
	}
	if _, err := s.ImportOrgCSV(ctx, Trieste, triesteOrg, "seed"); err != nil {
		return fmt.Errorf("organisation of Trieste: %w", err)
	}
	for ente, units := range seedUnits() {
		for _, u := range units {
			if _, err := s.PutUnit(ctx, ente, u, "seed"); err != nil {
				return fmt.Errorf("unit %s of %s: %w", u.Code, ente, err)
			}
		}
	}
	for _, c := range seedConcepts() {
		if _, err := s.PublishConcept(ctx, c); err != nil {
			return fmt.Errorf("concept %s: %w", c.Name, err)
		}
	}
	for _, in := range seedProcedimenti() {
		if _, err := s.PutProcedimento(ctx, in, Unconditional, "seed"); err != nil {
			return fmt.Errorf("procedimento %s: %w", in.ID, err)
		}
	}
	for _, in := range seedServices() {
		if _, err := s.PutService(ctx, in, Unconditional, "seed"); err != nil {
			return fmt.Errorf("service %s: %w", in.ID, err)
		}
	}
	return nil
}

// seedEnti are the demo enti. Codici fiscali of Trieste, Udine, Pordenone,
// Gorizia and the Region are the real ones; Medea's and every IBAN are demo
// values with valid check digits.
func seedEnti() []Ente {
	const fvgPay = "80014930327" // the Region acts as intermediary through FVG-Pay
	return []Ente{
		{ID: FVG, Name: "Regione Autonoma Friuli Venezia Giulia", Kind: KindRegion, FiscalCode: "80014930327",
			AuxDigit: "3", SegregationCode: "01", Accounts: []Account{{IBAN: "IT82G0200802242000101234567", Label: "Tesoreria regionale"}}},
		{ID: Trieste, Name: "Comune di Trieste", Kind: KindComune, FiscalCode: "00210240321", AuxDigit: "3", SegregationCode: "02",
			Intermediary: fvgPay, PatronDay: "11-03", Accounts: []Account{
				{IBAN: "IT13X0306902230100000046001", Label: "Tesoreria comunale"},
				{IBAN: "IT89V0103012134000063221334", Label: "Servizi demografici"}}},
		{ID: Medea, Name: "Comune di Medea", Kind: KindComune, FiscalCode: "00123430316", AuxDigit: "0", ApplicationCode: "01",
			Intermediary: fvgPay, PatronDay: "11-11", Accounts: []Account{{IBAN: "IT66B0760102200001022345678", Label: "Conto corrente postale", Postal: true}}},
		{ID: "c_l483", Name: "Comune di Udine", Kind: KindComune, FiscalCode: "00168650307", AuxDigit: "3", SegregationCode: "03",
			Intermediary: fvgPay, Accounts: []Account{{IBAN: "IT12R0708401801000000012345", Label: "Tesoreria comunale"}}},
		{ID: "c_g888", Name: "Comune di Pordenone", Kind: KindComune, FiscalCode: "00081570939", AuxDigit: "3", SegregationCode: "04",
			Intermediary: fvgPay, Accounts: []Account{{IBAN: "IT27P0200812342000012345678", Label: "Tesoreria comunale"}}},
		{ID: "c_e098", Name: "Comune di Gorizia", Kind: KindComune, FiscalCode: "00122500317", AuxDigit: "3", SegregationCode: "05",
			Intermediary: fvgPay, Accounts: []Account{{IBAN: "IT62A0303202211010000045678", Label: "Tesoreria comunale"}}},
	}
}

// seedUnits are the organisations entered by hand (the comuni without a CSV export).
func seedUnits() map[string][]Unit {
	small := func(name string) []Unit {
		return []Unit{
			{Code: "comune", Name: name, Kind: "ente", Manager: "Sindaco"},
			{Code: "segreteria", Parent: "comune", Name: "Segreteria comunale", Kind: "area", Manager: "Segretario comunale"},
			{Code: "protocollo", Parent: "segreteria", Name: "Protocollo", Kind: "ufficio", Manager: "Responsabile"},
			{Code: "demografici", Parent: "comune", Name: "Servizi demografici", Kind: "area", Manager: "Responsabile"},
			{Code: "stato-civile", Parent: "demografici", Name: "Anagrafe e stato civile", Kind: "ufficio", Manager: "Ufficiale di stato civile"},
			{Code: "tributi", Parent: "comune", Name: "Ufficio tributi", Kind: "ufficio", Manager: "Responsabile"},
			{Code: "istruzione", Parent: "comune", Name: "Ufficio scuola", Kind: "ufficio", Manager: "Responsabile"},
			{Code: "mobilita", Parent: "comune", Name: "Ufficio tecnico e suolo pubblico", Kind: "ufficio", Manager: "Responsabile"},
		}
	}
	return map[string][]Unit{
		Medea:    small("Comune di Medea"),
		"c_l483": small("Comune di Udine"),
		"c_g888": small("Comune di Pordenone"),
		"c_e098": small("Comune di Gorizia"),
	}
}
