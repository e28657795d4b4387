package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/errs"
)

// TaxonomyEntry is one code of the pagoPA taxonomy of collection services.
type TaxonomyEntry struct {
	Code            string    `json:"code" gorm:"column:code;primaryKey"` // dati specifici di incasso, 9/TTMMSSSGG/
	EnteType        string    `json:"enteType"`
	EnteTypeName    string    `json:"enteTypeName"`
	MacroArea       string    `json:"macroArea"`
	MacroAreaName   string    `json:"macroAreaName"`
	MacroAreaDesc   string    `json:"macroAreaDescription"`
	ServiceType     string    `json:"serviceType"`
	ServiceTypeName string    `json:"serviceTypeName"`
	Reason          string    `json:"reason"` // motivo giuridico: IM, TS, SP, SA, AP
	Description     string    `json:"description"`
	Version         string    `json:"version"`
	ValidFrom       time.Time `json:"validFrom"`
	ValidTo         time.Time `json:"validTo"`
	// WithdrawnIn is the taxonomy version that no longer lists the code.
	WithdrawnIn string `json:"withdrawnIn,omitempty"`
}

// TableName is the taxonomy table for GORM.
func (TaxonomyEntry) TableName() string { return "catalog_taxonomy" }

type taxonomyRow struct {
	TaxonomyEntry
	Search string `gorm:"column:search"`
}

func (taxonomyRow) TableName() string { return "catalog_taxonomy" }

// TaxonomyVersion is one imported version of the dataset.
type TaxonomyVersion struct {
	Version    string    `json:"version" gorm:"column:version;primaryKey"`
	Number     int       `json:"-" gorm:"column:number"`
	Hash       string    `json:"hash" gorm:"column:hash"`
	Rows       int       `json:"rows" gorm:"column:rows_count"`
	ImportedAt time.Time `json:"importedAt" gorm:"column:imported_at"`
}

// TableName is the versions table for GORM.
func (TaxonomyVersion) TableName() string { return "catalog_taxonomy_versions" }

// ImportResult says what an import of the taxonomy did.
type ImportResult struct {
	Version   string   `json:"version"`
	Unchanged bool     `json:"unchanged"` // the same version was already imported
	Rows      int      `json:"rows"`
	Withdrawn []string `json:"withdrawn,omitempty"` // codes the new version no longer lists
}

// ImportTaxonomy loads the official dataset. Importing the same version again
// changes nothing; a newer version updates the codes and marks those it no
// longer lists as withdrawn; an older version is refused.
func (s *Store) ImportTaxonomy(ctx context.Context, data []byte) (*ImportResult, error) {
	version, entries, err := ParseTaxonomy(data)
	if err != nil {
		return nil, err
	}
	number, _ := strconv.Atoi(version)
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	res := &ImportResult{Version: version, Rows: len(entries)}
	err = s.tx(ctx, func(ts *Store) error {
		var latest TaxonomyVersion
		err := ts.conn(ctx).Order("number DESC").Take(&latest).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
		case err != nil:
			return fmt.Errorf("load taxonomy version: %w", err)
		case latest.Version == version && latest.Hash == hash:
			res.Unchanged = true
			return nil
		case latest.Version == version:
			return errs.Field("VERSIONE TASSONOMIA", "version %s was already imported with different content", version)
		case latest.Number > number:
			return errs.Field("VERSIONE TASSONOMIA", "version %s is older than the imported version %s", version, latest.Version)
		}
		listed := map[string]bool{}
		rows := make([]taxonomyRow, 0, len(entries))
		for _, e := range entries {
			listed[e.Code] = true
			rows = append(rows, taxonomyRow{TaxonomyEntry: e, Search: Normalize(strings.Join(
				[]string{e.Code, e.EnteTypeName, e.MacroAreaName, e.ServiceTypeName, e.Description}, " "))})
		}
		if err := ts.conn(ctx).Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(rows, 100).Error; err != nil {
			return fmt.Errorf("save taxonomy: %w", err)
		}
		var known []string
		if err := ts.conn(ctx).Model(&TaxonomyEntry{}).Where("withdrawn_in = ''").Pluck("code", &known).Error; err != nil {
			return err
		}
		for _, c := range known {
			if !listed[c] {
				res.Withdrawn = append(res.Withdrawn, c)
			}
		}
		sort.Strings(res.Withdrawn)
		for i := 0; i < len(res.Withdrawn); i += 200 {
			chunk := res.Withdrawn[i:min(i+200, len(res.Withdrawn))]
			if err := ts.conn(ctx).Model(&TaxonomyEntry{}).Where("code IN ?", chunk).Update("withdrawn_in", version).Error; err != nil {
				return fmt.Errorf("withdraw taxonomy codes: %w", err)
			}
		}
		v := TaxonomyVersion{Version: version, Number: number, Hash: hash, Rows: len(entries), ImportedAt: s.now()}
		return ts.conn(ctx).Create(&v).Error
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("taxonomy imported", "version", version, "rows", res.Rows, "unchanged", res.Unchanged, "withdrawn", len(res.Withdrawn))
	return res, nil
}

// TaxonomyVersions lists the imported versions, newest first.
func (s *Store) TaxonomyVersions(ctx context.Context) ([]TaxonomyVersion, error) {
	var out []TaxonomyVersion
	err := s.conn(ctx).Order("number DESC").Find(&out).Error
	return out, err
}

// TaxonomyFilter narrows a taxonomy search.
type TaxonomyFilter struct {
	Q         string // words searched in names and descriptions, accents and case ignored
	EnteType  string // e.g. 01 for comuni
	MacroArea string
	At        *time.Time // only codes valid at this instant and not withdrawn
	Limit     int
	Offset    int
}

// SearchTaxonomy browses the taxonomy by code.
func (s *Store) SearchTaxonomy(ctx context.Context, f TaxonomyFilter) ([]TaxonomyEntry, error) {
	q := s.taxonomyQuery(ctx, f)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var rows []taxonomyRow
	if err := q.Order("code").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("search taxonomy: %w", err)
	}
	out := make([]TaxonomyEntry, len(rows))
	for i, r := range rows {
		out[i] = r.TaxonomyEntry
	}
	return out, nil
}

// CountTaxonomy counts the entries f selects, paging aside.
func (s *Store) CountTaxonomy(ctx context.Context, f TaxonomyFilter) (int64, error) {
	var n int64
	if err := s.taxonomyQuery(ctx, f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count taxonomy: %w", err)
	}
	return n, nil
}

func (s *Store) taxonomyQuery(ctx context.Context, f TaxonomyFilter) *gorm.DB {
	q := s.conn(ctx).Model(&taxonomyRow{})
	for _, w := range strings.Fields(Normalize(f.Q)) {
		q = q.Where("search LIKE ?", "%"+likeEscape(w)+"%")
	}
	if f.EnteType != "" {
		q = q.Where("ente_type = ?", f.EnteType)
	}
	if f.MacroArea != "" {
		q = q.Where("macro_area = ?", f.MacroArea)
	}
	if f.At != nil {
		q = q.Where("withdrawn_in = '' AND valid_from <= ? AND valid_to > ?", f.At.UTC(), f.At.UTC())
	}
	return q
}

// likeEscape drops LIKE wildcards from a search word.
func likeEscape(w string) string { return strings.NewReplacer("%", "", "_", "").Replace(w) }

// TaxonomyCode returns one code of the taxonomy.
func (s *Store) TaxonomyCode(ctx context.Context, code string) (*TaxonomyEntry, error) {
	var r taxonomyRow
	err := s.conn(ctx).Where("code = ?", code).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "taxonomy code %s is unknown", code)
	}
	if err != nil {
		return nil, fmt.Errorf("load taxonomy code %s: %w", code, err)
	}
	return &r.TaxonomyEntry, nil
}

// CheckTaxonomy checks that code is in the imported taxonomy, not withdrawn and
// valid at the instant at; otherwise it is errs invalid naming the code.
func (s *Store) CheckTaxonomy(ctx context.Context, code string, at time.Time) error {
	return s.checkTaxonomy(ctx, "taxonomy", code, at)
}

func (s *Store) checkTaxonomy(ctx context.Context, field, code string, at time.Time) error {
	if !taxonomyCodeRE.MatchString(code) {
		return errs.Field(field, "%q is not a taxonomy code 9/TTMMSSSGG/", code)
	}
	e, err := s.TaxonomyCode(ctx, code)
	if errs.Is(err, errs.NotFound) {
		return errs.Field(field, "taxonomy code %s is unknown", code)
	}
	if err != nil {
		return err
	}
	switch {
	case e.WithdrawnIn != "":
		return errs.Field(field, "taxonomy code %s was withdrawn in version %s", code, e.WithdrawnIn)
	case at.Before(e.ValidFrom):
		return errs.Field(field, "taxonomy code %s is valid only from %s", code, e.ValidFrom.Format("02/01/2006"))
	case !at.Before(e.ValidTo):
		return errs.Field(field, "taxonomy code %s expired on %s", code, e.ValidTo.Format("02/01/2006"))
	}
	return nil
}
