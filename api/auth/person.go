package auth

import (
	"regexp"
	"strings"

	"github.com/sportello/sportello/errs"
)

// eidasCountries are the states whose eIDAS nodes reach the Italian one: the EU
// members and the EEA states. Greece is "EL" in eIDAS and "GR" in ISO 3166; both
// are taken. Italy is not here: an Italian is known by the codice fiscale.
var eidasCountries = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true, "FI": true,
	"FR": true, "DE": true, "EL": true, "GR": true, "HU": true, "IE": true, "LV": true, "LT": true, "LU": true,
	"MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
	"IS": true, "LI": true, "NO": true,
}

// foreignID is a national identifier as eIDAS carries it: letters and digits,
// with inner dots, slashes or hyphens, at most 64 characters.
var foreignID = regexp.MustCompile(`^[A-Z0-9](?:[A-Z0-9./-]{0,62}[A-Z0-9])?$`)

// NormalizePerson turns the identifier of a person, as the fiscalNumber claim or
// an ente admin gives it, into the key role assignments and pratiche use: the
// upper-case codice fiscale for an Italian ("TINIT-<cf>", "IT-<cf>" or the bare
// code, check character verified), "<country>-<id>" for a foreign eIDAS user
// ("TIN<country>-<id>" or "<country>-<id>", country an EU or EEA state). Anything
// else is refused naming field.
func NormalizePerson(field, s string) (string, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	country, id, ok := strings.Cut(v, "-")
	if !ok {
		return NormalizeFiscalNumber(field, v)
	}
	country = strings.TrimPrefix(country, "TIN")
	if country == "IT" {
		return NormalizeFiscalNumber(field, id)
	}
	if !eidasCountries[country] {
		return "", errs.Field(field, "%s", "not a codice fiscale nor an eIDAS identifier \"<country>-<id>\" of an EU or EEA state / "+
			"non è un codice fiscale né un identificativo eIDAS \"<paese>-<codice>\" di uno Stato UE o SEE")
	}
	if !foreignID.MatchString(id) {
		return "", errs.Field(field, "%s", "the eIDAS identifier after the country must be 1 to 64 letters or digits / "+
			"l'identificativo eIDAS dopo il paese deve avere da 1 a 64 lettere o cifre")
	}
	return country + "-" + id, nil
}
