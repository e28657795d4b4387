package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

var taxonomyCodeRE = regexp.MustCompile(`^9/([0-9]{2})([0-9]{2})([0-9]{3})(IM|TS|SP|SA|AP)/$`)

// officialRow is one row of the official JSON dataset, columns named as published.
type officialRow struct {
	EnteType        string `json:"CODICE TIPO ENTE CREDITORE"`
	EnteTypeName    string `json:"TIPO ENTE CREDITORE"`
	MacroArea       string `json:"Progressivo Macro Area per Ente Creditore"`
	MacroAreaName   string `json:"NOME MACRO AREA"`
	MacroAreaDesc   string `json:"DESCRIZIONE MACRO AREA"`
	ServiceType     string `json:"CODICE TIPOLOGIA SERVIZIO"`
	ServiceTypeName string `json:"TIPO SERVIZIO"`
	Reason          string `json:"Motivo Giuridico della riscossione"`
	Description     string `json:"DESCRIZIONE TIPO SERVIZIO"`
	Version         string `json:"VERSIONE TASSONOMIA"`
	Code            string `json:"DATI SPECIFICI DI INCASSO"`
	From            string `json:"DATA INIZIO VALIDITA"`
	To              string `json:"DATA FINE VALIDITA"`
}

// ParseTaxonomy reads the official dataset (a JSON array of rows) and checks
// every row, reporting each bad one by its position; all rows share one version.
func ParseTaxonomy(data []byte) (string, []TaxonomyEntry, error) {
	var rows []officialRow
	if err := json.Unmarshal(data, &rows); err != nil {
		return "", nil, errs.Field("body", "is not the taxonomy JSON array: %v", err)
	}
	if len(rows) == 0 {
		return "", nil, errs.Field("body", "holds no rows")
	}
	var fe []errs.FieldError
	add := func(i int, f, msg string, a ...any) {
		fe = append(fe, errs.FieldError{Field: fmt.Sprintf("[%d].%s", i, f), Message: fmt.Sprintf(msg, a...)})
	}
	version := rows[0].Version
	seen := map[string]int{}
	out := make([]TaxonomyEntry, 0, len(rows))
	for i, r := range rows {
		e := TaxonomyEntry{Code: strings.TrimSpace(r.Code), EnteType: r.EnteType, EnteTypeName: r.EnteTypeName,
			MacroArea: r.MacroArea, MacroAreaName: r.MacroAreaName, MacroAreaDesc: r.MacroAreaDesc,
			ServiceType: r.ServiceType, ServiceTypeName: r.ServiceTypeName, Reason: r.Reason,
			Description: r.Description, Version: r.Version}
		m := taxonomyCodeRE.FindStringSubmatch(e.Code)
		switch {
		case m == nil:
			add(i, "DATI SPECIFICI DI INCASSO", "%q is not 9/TTMMSSSGG/", e.Code)
		case m[1] != e.EnteType || m[2] != e.MacroArea || m[3] != e.ServiceType || m[4] != e.Reason:
			add(i, "DATI SPECIFICI DI INCASSO", "%q does not match the row's ente type, macro area, service type and reason", e.Code)
		}
		if j, dup := seen[e.Code]; dup && m != nil {
			add(i, "DATI SPECIFICI DI INCASSO", "%s is also row %d", e.Code, j)
		}
		seen[e.Code] = i
		if r.Version != version {
			add(i, "VERSIONE TASSONOMIA", "is %q, the dataset is version %q", r.Version, version)
		}
		var err error
		if e.ValidFrom, err = parseItalianDate(r.From); err != nil {
			add(i, "DATA INIZIO VALIDITA", "%v", err)
		}
		if e.ValidTo, err = parseItalianDate(r.To); err != nil {
			add(i, "DATA FINE VALIDITA", "%v", err)
		}
		out = append(out, e)
	}
	if _, err := strconv.Atoi(version); err != nil {
		fe = append(fe, errs.FieldError{Field: "[0].VERSIONE TASSONOMIA", Message: fmt.Sprintf("%q is not a version number", version)})
	}
	if err := errs.Fields(fe); err != nil {
		return "", nil, err
	}
	return version, out, nil
}

// parseItalianDate reads dd/MM/yyyy. The official dataset has a few rows written
// MM/dd/yyyy (e.g. 02/15/2021); a date that is impossible as dd/MM is read that way.
func parseItalianDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("02/01/2006", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("01/02/2006", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a dd/mm/yyyy date", s)
}
